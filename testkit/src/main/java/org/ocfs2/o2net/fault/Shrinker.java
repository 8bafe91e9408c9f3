// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.fault;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Finds a small schedule that still fails, starting from one that fails.
 * <p>
 * The search is greedy: it tries candidates smaller than the current schedule and moves to the first one for which
 * the predicate says "fails". One round tries, in this order:
 * <ol>
 * <li>removing chunks of events: all of them, then halves, quarters, ..., single events (delta debugging);</li>
 * <li>merging two {@link Fault.Call}s into one at the first one's step and nodes, with the counts added;</li>
 * <li>renumbering the nodes in order of first appearance (node numbers are usually symmetric);</li>
 * <li>a smaller cluster, down to one above the highest node named (and at least {@value FaultSchedule#MIN_NODES});
 * </li>
 * <li>for each event, a lower step (not below the previous event's) and the {@link Fault#simpler()} candidates.</li>
 * </ol>
 * Rounds repeat until one changes nothing (a fixed point: no single candidate of these kinds fails) or until the
 * predicate has run {@link #maxRuns()} times. A candidate already seen to pass is not run again.
 * <p>
 * The result is always the given schedule or a candidate for which the predicate returned true. The predicate is
 * run on candidates only, never on the given schedule, which the caller has seen fail. Exceptions from the
 * predicate propagate.
 */
public final class Shrinker {
    /** The default bound on predicate runs. */
    public static final int DEFAULT_MAX_RUNS = 1000;

    private final int maxRuns;

    /** Returns a shrinker with at most {@value #DEFAULT_MAX_RUNS} predicate runs. */
    public Shrinker() {
        this(DEFAULT_MAX_RUNS);
    }

    /**
     * Returns a shrinker.
     *
     * @param maxRuns the most times one {@link #shrink} call runs the predicate, 0 or more (0 returns the input)
     */
    public Shrinker(int maxRuns) {
        if (maxRuns < 0) {
            throw new IllegalArgumentException("maxRuns must be 0 or more, was " + maxRuns);
        }
        this.maxRuns = maxRuns;
    }

    public int maxRuns() {
        return maxRuns;
    }

    /**
     * The outcome of {@link #shrink}.
     *
     * @param original   the schedule given
     * @param minimal    the smallest failing schedule found: {@code original} or one the predicate said fails
     * @param runs       how many times the predicate ran, at most {@link #maxRuns()}
     * @param reductions how many candidates were taken (predicate runs that returned true)
     * @param exhausted  whether the search stopped at the bound with candidates left to try; if false,
     *                   {@code minimal} is a fixed point
     */
    public record Result(FaultSchedule original, FaultSchedule minimal, int runs, int reductions, boolean exhausted) {
        public Result {
            requireNonNull(original, "original");
            requireNonNull(minimal, "minimal");
        }
    }

    /**
     * Shrinks {@code failing}.
     *
     * @param failing a schedule the caller has seen fail
     * @param fails   runs a schedule, true if it fails (the same way, as the caller judges)
     */
    public Result shrink(FaultSchedule failing, Predicate<FaultSchedule> fails) {
        Search s = new Search(requireNonNull(failing, "failing"), requireNonNull(fails, "fails"));
        s.run();
        return new Result(failing, s.current, s.runs, s.reductions, s.exhausted);
    }

    private final class Search {
        private final Predicate<FaultSchedule> fails;
        private final Set<FaultSchedule> passed = new HashSet<>();
        private FaultSchedule current;
        private int runs;
        private int reductions;
        private boolean exhausted;

        Search(FaultSchedule start, Predicate<FaultSchedule> fails) {
            this.current = start;
            this.fails = fails;
        }

        void run() {
            boolean changed = true;
            while (changed && !exhausted) {
                changed = removeChunks();
                changed |= mergeCalls();
                changed |= renumber();
                changed |= smallerCluster();
                changed |= smallerFields();
            }
        }

        /** Runs the predicate on {@code candidate} if allowed and new; moves to it if it fails. */
        private boolean attempt(FaultSchedule candidate) {
            if (exhausted || candidate.equals(current) || passed.contains(candidate)) {
                return false;
            }
            if (runs >= maxRuns) {
                exhausted = true;
                return false;
            }
            runs++;
            if (fails.test(candidate)) {
                current = candidate;
                reductions++;
                return true;
            }
            passed.add(candidate);
            return false;
        }

        private boolean removeChunks() {
            boolean any = false;
            for (int chunk = current.size(); chunk >= 1 && !exhausted; chunk /= 2) {
                int start = 0;
                while (start < current.size() && !exhausted) {
                    int end = Math.min(start + chunk, current.size());
                    if (attempt(current.without(start, end))) {
                        any = true;
                    } else {
                        start = end;
                    }
                }
            }
            return any;
        }

        private boolean mergeCalls() {
            boolean any = false;
            boolean again = true;
            while (again && !exhausted) {
                again = false;
                List<Fault> faults = current.faults();
                search:
                for (int i = 0; i < faults.size(); i++) {
                    for (int j = i + 1; j < faults.size(); j++) {
                        if (faults.get(i) instanceof Fault.Call && faults.get(j) instanceof Fault.Call) {
                            Fault.Call a = (Fault.Call) faults.get(i);
                            Fault.Call b = (Fault.Call) faults.get(j);
                            long sum = (long) a.count() + b.count();
                            if (sum > Integer.MAX_VALUE) {
                                continue;
                            }
                            Fault merged = new Fault.Call(a.step(), a.fromNode(), a.toNode(), (int) sum);
                            if (attempt(current.with(i, merged).without(j, j + 1))) {
                                any = true;
                                again = true;
                                break search;
                            }
                        }
                    }
                }
            }
            return any;
        }

        private boolean renumber() {
            Map<Integer, Integer> map = new HashMap<>();
            for (Fault f : current.faults()) {
                for (int n : f.nodes()) {
                    map.putIfAbsent(n, map.size());
                }
            }
            int next = map.size();
            for (int n = 0; n < current.nodes(); n++) {
                if (!map.containsKey(n)) {
                    map.put(n, next++);
                }
            }
            List<Fault> renamed = new ArrayList<>();
            for (Fault f : current.faults()) {
                renamed.add(f.mapNodes(map::get));
            }
            return attempt(current.withFaults(renamed));
        }

        private boolean smallerCluster() {
            int min = Math.max(FaultSchedule.MIN_NODES, current.highestNode() + 1);
            boolean any = false;
            boolean again = true;
            while (again && !exhausted) {
                again = false;
                for (int n : Candidates.toward(current.nodes(), min)) {
                    if (attempt(current.withNodes(n))) {
                        any = true;
                        again = true;
                        break;
                    }
                }
            }
            return any;
        }

        private boolean smallerFields() {
            boolean any = false;
            for (int i = 0; i < current.size() && !exhausted; i++) {
                boolean again = true;
                while (again && !exhausted) {
                    again = false;
                    Fault f = current.faults().get(i);
                    int lowest = i == 0 ? 0 : current.faults().get(i - 1).step();
                    List<Fault> candidates = new ArrayList<>();
                    for (int step : Candidates.toward(f.step(), lowest)) {
                        candidates.add(f.withStep(step));
                    }
                    candidates.addAll(f.simpler());
                    for (Fault c : candidates) {
                        if (attempt(current.with(i, c))) {
                            any = true;
                            again = true;
                            break;
                        }
                    }
                }
            }
            return any;
        }
    }
}
