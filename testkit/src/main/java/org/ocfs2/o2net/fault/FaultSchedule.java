// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.fault;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A run to perform: a cluster of {@code nodes} nodes (numbered 0..nodes-1) and a list of {@link Fault} events in
 * order of their steps. The {@link Fault.Call} events are the workload; the others are faults injected into it.
 * Immutable, plain data: {@link #format()} prints it and {@link #parse(String)} reads it back, so a failing schedule
 * can be replayed exactly.
 * <p>
 * A schedule is valid when {@code nodes} is {@value #MIN_NODES}..{@value #MAX_NODES}, every node number of every
 * event is below {@code nodes}, and steps never decrease along the list. Events with the same step happen at the
 * same logical moment, in list order.
 *
 * @param seed   the generator seed the schedule came from (kept, unchanged, through shrinking); informational
 * @param nodes  the cluster size
 * @param faults the events, steps non-decreasing
 */
public record FaultSchedule(long seed, int nodes, List<Fault> faults) {
    /** The smallest cluster a schedule runs on. */
    public static final int MIN_NODES = 2;
    /** The largest cluster o2net allows ({@code O2NM_MAX_NODES}). */
    public static final int MAX_NODES = Fault.MAX_NODE + 1;

    /**
     * Returns a schedule.
     *
     * @throws IllegalArgumentException if the schedule is not valid; the message names the first offending event
     */
    public FaultSchedule {
        faults = List.copyOf(requireNonNull(faults, "faults"));
        if (nodes < MIN_NODES || nodes > MAX_NODES) {
            throw new IllegalArgumentException("nodes must be " + MIN_NODES + ".." + MAX_NODES + ", was " + nodes);
        }
        int previous = 0;
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            String problem = problem(f, previous, nodes);
            if (problem != null) {
                throw new IllegalArgumentException("event " + i + " '" + f.format() + "': " + problem);
            }
            previous = f.step();
        }
    }

    /** Returns a schedule of the given events. */
    public static FaultSchedule of(long seed, int nodes, Fault... faults) {
        return new FaultSchedule(seed, nodes, Arrays.asList(faults));
    }

    /**
     * Reads the text form written by {@link #format()} or {@link #formatInline()}.
     *
     * @throws ScheduleFormatException if the text is malformed or describes an invalid schedule; the message gives
     *                                 the line and what was expected there
     */
    public static FaultSchedule parse(String text) {
        return ScheduleText.parse(text);
    }

    /** Returns the number of events. */
    public int size() {
        return faults.size();
    }

    /** Returns this schedule with other events (same seed and cluster size). */
    public FaultSchedule withFaults(List<Fault> faults) {
        return new FaultSchedule(seed, nodes, faults);
    }

    /** Returns this schedule on a cluster of another size. */
    public FaultSchedule withNodes(int nodes) {
        return new FaultSchedule(seed, nodes, faults);
    }

    /** Returns this schedule without the events from index {@code from} (inclusive) to {@code to} (exclusive). */
    public FaultSchedule without(int from, int to) {
        List<Fault> rest = new ArrayList<>(faults.subList(0, from));
        rest.addAll(faults.subList(to, faults.size()));
        return withFaults(rest);
    }

    /** Returns this schedule with event {@code index} replaced. */
    public FaultSchedule with(int index, Fault fault) {
        List<Fault> copy = new ArrayList<>(faults);
        copy.set(index, fault);
        return withFaults(copy);
    }

    /** Returns the highest node number any event names, or -1 if none does. */
    public int highestNode() {
        int max = -1;
        for (Fault f : faults) {
            for (int n : f.nodes()) {
                max = Math.max(max, n);
            }
        }
        return max;
    }

    /**
     * Returns the text form: a header line {@code seed=S nodes=N}, then one line per event (see
     * {@link Fault#format()}), each line ending in {@code '\n'}.
     */
    public String format() {
        StringBuilder b = new StringBuilder(header()).append('\n');
        for (Fault f : faults) {
            b.append(f.format()).append('\n');
        }
        return b.toString();
    }

    /** Returns the text form on one line, the lines separated by {@code "; "}, as for {@code -Do2net.schedule}. */
    public String formatInline() {
        StringBuilder b = new StringBuilder(header());
        for (Fault f : faults) {
            b.append("; ").append(f.format());
        }
        return b.toString();
    }

    /** Returns {@link #format()}. */
    @Override
    public String toString() {
        return format();
    }

    private String header() {
        return "seed=" + seed + " nodes=" + nodes;
    }

    /** Returns why {@code f} cannot follow an event at step {@code previous} in a cluster of {@code nodes}, or null. */
    static String problem(Fault f, int previous, int nodes) {
        if (f.step() < previous) {
            return "step " + f.step() + " is before the previous event's step " + previous;
        }
        for (int n : f.nodes()) {
            if (n >= nodes) {
                return "node " + n + " is out of range 0.." + (nodes - 1) + " for nodes=" + nodes;
            }
        }
        return null;
    }
}
