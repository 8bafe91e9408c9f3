// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which edge-cover paths the Netty tier replays. A Netty replay costs about a millisecond a step and tens of
 * milliseconds a trace (two nodes started, a restart closes and starts one), so by default it replays a fixed subset:
 * greedily, the path that adds the most edges not yet covered per step, until a budget of steps
 * ({@value #DEFAULT_BUDGET}). Edges are counted only on the part of a path the implementation can take
 * ({@link #takeable}). The selection depends on the trace file only: the same file gives the same subset.
 */
public final class NettyCover {
    /** The default budget of steps. */
    public static final int DEFAULT_BUDGET = 10000;

    private NettyCover() {}

    /**
     * The paths chosen, with what they cover.
     *
     * @param mode     {@code all}, or the budget of steps
     * @param indices  the indices of the chosen paths in the file
     * @param steps    their steps
     * @param edges    the distinct edges of the takeable part of the chosen paths
     * @param takeable the distinct edges of the takeable part of every path: the most the Netty tier can cover
     */
    public record Subset(String mode, Set<Integer> indices, long steps, int edges, int takeable) {}

    /**
     * Chooses the paths of {@code file} to replay.
     *
     * @param mode {@code all}: every path; a number: that budget of steps; empty: {@value #DEFAULT_BUDGET}
     */
    public static Subset subset(Path file, String mode) {
        boolean all = mode.equals("all");
        int budget = all ? Integer.MAX_VALUE : mode.isEmpty() ? DEFAULT_BUDGET : Integer.parseInt(mode);
        Map<String, Integer> states = new HashMap<>();
        Map<String, Integer> edgeIds = new HashMap<>();
        List<int[]> pathEdges = new ArrayList<>();
        List<Integer> pathSteps = new ArrayList<>();
        Trace.forEach(file, t -> {
            int n = takeable(t);
            List<Step> s = t.steps();
            TreeSet<Integer> es = new TreeSet<>();
            int from = states.computeIfAbsent(s.get(0).state().toString(), k -> states.size());
            for (int i = 1; i < s.size(); i++) {
                int to = states.computeIfAbsent(s.get(i).state().toString(), k -> states.size());
                if (i <= n) {
                    es.add(edgeIds.computeIfAbsent(from + " " + s.get(i).label() + " " + to, k -> edgeIds.size()));
                }
                from = to;
            }
            pathEdges.add(es.stream().mapToInt(Integer::intValue).toArray());
            pathSteps.add(s.size() - 1);
        });
        BitSet covered = new BitSet();
        TreeSet<Integer> chosen = new TreeSet<>();
        long steps = 0;
        // Lazy greedy: a path's gain only shrinks as others are chosen.
        PriorityQueue<double[]> queue =
                new PriorityQueue<>((a, b) -> a[0] != b[0] ? Double.compare(b[0], a[0]) : Double.compare(a[1], b[1]));
        for (int i = 0; i < pathEdges.size(); i++) {
            queue.add(new double[] {gain(pathEdges.get(i), covered, pathSteps.get(i)), i});
        }
        while (!queue.isEmpty()) {
            double[] top = queue.poll();
            int i = (int) top[1];
            double g = gain(pathEdges.get(i), covered, pathSteps.get(i));
            if (!queue.isEmpty() && g < queue.peek()[0]) {
                queue.add(new double[] {g, i});
                continue;
            }
            if (!all && (g == 0 || steps + pathSteps.get(i) > budget)) {
                continue;
            }
            chosen.add(i);
            steps += pathSteps.get(i);
            for (int e : pathEdges.get(i)) {
                covered.set(e);
            }
        }
        return new Subset(
                all ? "all" : "budget " + budget + " steps", chosen, steps, covered.cardinality(), edgeIds.size());
    }

    private static double gain(int[] edges, BitSet covered, int steps) {
        int n = 0;
        for (int e : edges) {
            if (!covered.get(e)) {
                n++;
            }
        }
        return steps == 0 ? 0 : (double) n / steps;
    }

    /**
     * How many steps of {@code t}, after {@code Init}, the implementation can take: all but those from the first
     * that finishes a handler run while a run that arrived before it on the same incarnation of R has not finished
     * (R runs one peer's handlers one at a time, in arrival order: {@link NettyDriver.SerialHandlers}).
     */
    public static int takeable(Trace t) {
        List<Step> s = t.steps();
        List<String> queue = new ArrayList<>();
        for (int i = 1; i < s.size(); i++) {
            Step step = s.get(i);
            JsonNode pre = s.get(i - 1).state();
            switch (step.action()) {
                case "RecvMsg" -> {
                    var before = TlaValue.entries(pre.get("mh")).keySet();
                    TlaValue.entries(step.state().get("mh")).forEach((seq, mh) -> {
                        if (!before.contains(seq)) {
                            queue.add(TlaValue.text(mh.get("call")));
                        }
                    });
                }
                case "RunHandler" -> {
                    String x = TlaValue.text(TlaValue.entries(pre.get("mh"))
                            .get(step.param("s").asText())
                            .get("call"));
                    if (queue.isEmpty() || !queue.get(0).equals(x)) {
                        return i - 1;
                    }
                    queue.remove(0);
                }
                case "RunOrphan" -> {
                    String x = TlaValue.text(step.param("x"));
                    if (queue.isEmpty() || !queue.get(0).equals(x)) {
                        return i - 1;
                    }
                    queue.remove(0);
                }
                case "Restart" -> {
                    if (step.param("n").asText().equals(Abstraction.R)) {
                        queue.clear();
                    }
                }
                default -> {}
            }
        }
        return s.size() - 1;
    }
}
