// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a set of replayed traces covered: traces, steps, steps per action, and the distinct states and edges (state,
 * action with parameters, successor) of the spec's state graph they went through. States are told apart by their
 * JSON text, which is canonical ({@link TlaValue}).
 */
public final class Coverage {
    private final Map<String, Integer> states = new HashMap<>();
    private final Set<String> edges = new HashSet<>();
    private final SortedMap<String, Long> actions = new TreeMap<>();
    private long traces;
    private long steps;

    /** Counts the steps of {@code trace}, {@code Init} not counted. */
    public void add(Trace trace) {
        traces++;
        List<Step> s = trace.steps();
        int from = id(s.get(0));
        for (Step step : s.subList(1, s.size())) {
            int to = id(step);
            edges.add(from + " " + step.label() + " " + to);
            actions.merge(step.action(), 1L, Long::sum);
            steps++;
            from = to;
        }
    }

    private int id(Step step) {
        return states.computeIfAbsent(step.state().toString(), k -> states.size());
    }

    public long traces() {
        return traces;
    }

    /** Steps, {@code Init} not counted. */
    public long steps() {
        return steps;
    }

    /** Distinct states visited, the initial one included. */
    public int states() {
        return states.size();
    }

    /** Distinct edges taken. */
    public int edges() {
        return edges.size();
    }

    /** Steps per action name. */
    public SortedMap<String, Long> actions() {
        return actions;
    }
}
