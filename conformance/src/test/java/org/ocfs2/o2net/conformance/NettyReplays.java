// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * The replays of one trace file on the Netty tier, {@value #THREADS} at a time by default
 * ({@code -Dconformance.netty.threads=N}), each driver on its own loopback addresses. Each trace ends one of three
 * ways:
 * <ul>
 *   <li>it conforms, every step;</li>
 *   <li>the implementation refuses a step by design ({@link NettyDriver.SerialHandlers}): the steps before it were
 *       replayed and compared, and count;</li>
 *   <li>it fails: kept in {@code target/failures/netty/}.</li>
 * </ul>
 * A failure is kept in {@link #FAILURES} ({@link KeptFailure}: the trace, the failure, its chart), replayable with
 * {@code -Dconformance.tier=netty -Dconformance.trace=<the kept .jsonl's absolute path>#0}.
 */
final class NettyReplays {
    static final Path FAILURES = KeptFailure.ROOT.resolve("netty");
    static final int THREADS = 2;

    private final Coverage coverage = new Coverage();
    private final List<ConformanceFailure> failures = new ArrayList<>();
    /** Refused steps: the step's action, how many times. */
    private final Map<String, Integer> refused = new TreeMap<>();

    private String firstRefusal;
    private int traces;
    private int complete;
    private long stepsNotReached;
    private int edgesNotReached;
    private double seconds;

    /** How one trace ended. */
    private record Outcome(Trace trace, int replayed, ConformanceFailure failure) {}

    /** Netty and the nodes log at INFO for every connection: WARN and above only, unless asked otherwise. */
    static void quietLogs() {
        for (String logger : List.of("org.ocfs2.o2net", "io.netty")) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
    }

    /** Replays the traces of {@code file} whose index {@code select} accepts. */
    static NettyReplays of(Path file, IntPredicate select) {
        return of(file, select, NettyDriver::new);
    }

    /** Replays the traces of {@code file} whose index {@code select} accepts, on drivers {@code driver(slot)} makes. */
    static NettyReplays of(Path file, IntPredicate select, IntFunction<NettyDriver> driver) {
        List<Trace> chosen = new ArrayList<>();
        int[] index = {0};
        Trace.forEach(file, t -> {
            if (select.test(index[0]++)) {
                chosen.add(t);
            }
        });
        int threads = Integer.getInteger("conformance.netty.threads", THREADS);
        NettyReplays r = new NettyReplays();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        ThreadLocal<Integer> slot = new ThreadLocal<>();
        int[] slots = {0};
        try {
            List<Future<Outcome>> outcomes = new ArrayList<>();
            for (Trace t : chosen) {
                outcomes.add(pool.submit(() -> {
                    if (slot.get() == null) {
                        synchronized (slots) {
                            slot.set(2 + slots[0]++);
                        }
                    }
                    return replay(t, driver.apply(slot.get()));
                }));
            }
            Coverage whole = new Coverage();
            for (Future<Outcome> f : outcomes) {
                Outcome o = f.get();
                whole.add(o.trace);
                r.add(o);
            }
            r.edgesNotReached = whole.edges() - r.coverage.edges();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a replay crashed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        r.seconds = (System.nanoTime() - start) / 1e9;
        return r;
    }

    private static Outcome replay(Trace t, NettyDriver d) {
        try (d) {
            Replayer.replay(t, d);
            return new Outcome(t, t.steps().size(), null);
        } catch (ConformanceFailure f) {
            if (!(f.getCause() instanceof NettyDriver.SerialHandlers)) {
                KeptFailure.keep(FAILURES, t, f);
            }
            return new Outcome(t, f.step(), f);
        }
    }

    private void add(Outcome o) {
        traces++;
        Trace t = o.trace;
        if (o.replayed > 0) {
            coverage.add(new Trace(t.name(), t.steps().subList(0, o.replayed)));
        }
        ConformanceFailure f = o.failure;
        if (f == null) {
            complete++;
            return;
        }
        stepsNotReached += t.steps().size() - f.step();
        if (f.getCause() instanceof NettyDriver.SerialHandlers) {
            refused.merge(t.steps().get(f.step()).action(), 1, Integer::sum);
            if (firstRefusal == null) {
                firstRefusal =
                        f.trace() + " step " + f.step() + ": " + f.getCause().getMessage();
            }
        } else {
            failures.add(f);
        }
    }

    Coverage coverage() {
        return coverage;
    }

    int traces() {
        return traces;
    }

    void assertNoFailure(String what) {
        assertTrue(
                failures.isEmpty(),
                () -> failures.size() + " of the " + what + " do not conform on the Netty tier" + " (kept in "
                        + FAILURES + "); the first:\n" + failures.get(0).getMessage());
    }

    /** These figures for the main job's report: {@link CoverageSummary}. */
    void summarize(String suite, String what, com.fasterxml.jackson.databind.JsonNode model) {
        CoverageSummary.write(suite, "netty", what, coverage, failures.size(), seconds, model);
    }

    void print(String what) {
        System.out.printf(
                "  %-11s %d traces: %d replayed whole, %d up to a step refused by design %s, %d failed%n"
                        + "  %-11s %d steps, %d edges, %d states replayed in %.1f s (%d steps and %d edges not reached)%n",
                what,
                traces,
                complete,
                traces - complete - failures.size(),
                refused,
                failures.size(),
                "",
                coverage.steps(),
                coverage.edges(),
                coverage.states(),
                seconds,
                stepsNotReached,
                edgesNotReached);
        System.out.printf("  %-11s actions %s%n", "", coverage.actions());
        if (firstRefusal != null) {
            System.out.printf("  %-11s first refusal: %s%n", "", firstRefusal);
        }
    }
}
