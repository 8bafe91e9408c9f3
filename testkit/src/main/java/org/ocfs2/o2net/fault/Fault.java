// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * One event of a {@link FaultSchedule}: plain, immutable data.
 * <p>
 * Every event has a {@linkplain #step() step}, a logical position (0 or more) that orders it in the schedule; the
 * runner maps steps to moments of a real run. Node fields are node numbers 0..{@value #MAX_NODE}; a schedule further
 * requires them to be below its cluster size. Constructors reject values out of range with an
 * {@link IllegalArgumentException} that names the field.
 * <p>
 * To add an event: add a record here, a constant to {@link FaultKind}, a case to {@code ScheduleText.event} (parsing)
 * and to {@link ScheduleGenerator} (generation). Nothing else dispatches on the kind of event.
 */
public sealed interface Fault {
    /** The highest node number o2net allows ({@code O2NM_MAX_NODES - 1}). */
    int MAX_NODE = 254;

    /** Returns the logical position of this event, 0 or more. */
    int step();

    /** Returns the kind of this event. */
    FaultKind kind();

    /** Returns the node numbers this event names, in field order. */
    List<Integer> nodes();

    /** Returns this event at another step. */
    Fault withStep(int step);

    /** Returns this event with every node number {@code n} replaced by {@code map.applyAsInt(n)}. */
    Fault mapNodes(IntUnaryOperator map);

    /**
     * Returns the events that differ from this one in exactly one field other than the step, each smaller in that
     * field (fewer calls or frames, a shorter pause, a lower node number), and valid on their own. The most
     * aggressive candidates for a field come first. Used by {@link Shrinker}.
     */
    List<Fault> simpler();

    /** Returns this event as one line of the text form, e.g. {@code "3 call 1->2 x4"}. */
    String format();

    /**
     * {@code step call A->B xN}: a caller on node {@code fromNode} starts {@code count} concurrent calls (messages
     * that expect a reply) to node {@code toNode}.
     *
     * @param count 1 or more
     */
    record Call(int step, int fromNode, int toNode, int count) implements Fault {
        public Call {
            checkStep(step);
            checkPair(fromNode, toNode);
            checkAtLeast1("count", count);
        }

        @Override
        public FaultKind kind() {
            return FaultKind.CALL;
        }

        @Override
        public List<Integer> nodes() {
            return List.of(fromNode, toNode);
        }

        @Override
        public Call withStep(int step) {
            return new Call(step, fromNode, toNode, count);
        }

        @Override
        public Call mapNodes(IntUnaryOperator map) {
            return new Call(step, map.applyAsInt(fromNode), map.applyAsInt(toNode), count);
        }

        @Override
        public List<Fault> simpler() {
            List<Fault> out = new ArrayList<>();
            for (int c : Candidates.toward(count, 1)) {
                out.add(new Call(step, fromNode, toNode, c));
            }
            for (int n = 0; n < fromNode; n++) {
                if (n != toNode) {
                    out.add(new Call(step, n, toNode, count));
                }
            }
            for (int n = 0; n < toNode; n++) {
                if (n != fromNode) {
                    out.add(new Call(step, fromNode, n, count));
                }
            }
            return out;
        }

        @Override
        public String format() {
            return step + " call " + fromNode + "->" + toNode + " x" + count;
        }
    }

    /**
     * {@code step reset A-B}: the TCP connection between the two nodes is reset (closed with {@code SO_LINGER} 0, so
     * the peer sees an RST). The pair is unordered; the constructor puts the lower number in {@code nodeA}.
     */
    record Reset(int step, int nodeA, int nodeB) implements Fault {
        public Reset {
            checkStep(step);
            checkPair(nodeA, nodeB);
            if (nodeA > nodeB) {
                int t = nodeA;
                nodeA = nodeB;
                nodeB = t;
            }
        }

        @Override
        public FaultKind kind() {
            return FaultKind.RESET;
        }

        @Override
        public List<Integer> nodes() {
            return List.of(nodeA, nodeB);
        }

        @Override
        public Reset withStep(int step) {
            return new Reset(step, nodeA, nodeB);
        }

        @Override
        public Reset mapNodes(IntUnaryOperator map) {
            return new Reset(step, map.applyAsInt(nodeA), map.applyAsInt(nodeB));
        }

        @Override
        public List<Fault> simpler() {
            List<Fault> out = new ArrayList<>();
            for (int n = 0; n < nodeA; n++) {
                out.add(new Reset(step, n, nodeB));
            }
            for (int n = 0; n < nodeB; n++) {
                if (n != nodeA) {
                    out.add(new Reset(step, nodeA, n));
                }
            }
            return out;
        }

        @Override
        public String format() {
            return step + " reset " + nodeA + "-" + nodeB;
        }
    }

    /** {@code step restart N}: the node's process stops and starts again, with a new incarnation. */
    record Restart(int step, int node) implements Fault {
        public Restart {
            checkStep(step);
            checkNode("node", node);
        }

        @Override
        public FaultKind kind() {
            return FaultKind.RESTART;
        }

        @Override
        public List<Integer> nodes() {
            return List.of(node);
        }

        @Override
        public Restart withStep(int step) {
            return new Restart(step, node);
        }

        @Override
        public Restart mapNodes(IntUnaryOperator map) {
            return new Restart(step, map.applyAsInt(node));
        }

        @Override
        public List<Fault> simpler() {
            List<Fault> out = new ArrayList<>();
            for (int n = 0; n < node; n++) {
                out.add(new Restart(step, n));
            }
            return out;
        }

        @Override
        public String format() {
            return step + " restart " + node;
        }
    }

    /**
     * {@code step down N}: the liveness (heartbeat) layer declares the node dead on all other nodes. The generator
     * pairs it with a {@link Restart} of the same node at the same step, in either order; alone, it is a heartbeat
     * false positive about a live node.
     */
    record NodeDown(int step, int node) implements Fault {
        public NodeDown {
            checkStep(step);
            checkNode("node", node);
        }

        @Override
        public FaultKind kind() {
            return FaultKind.NODE_DOWN;
        }

        @Override
        public List<Integer> nodes() {
            return List.of(node);
        }

        @Override
        public NodeDown withStep(int step) {
            return new NodeDown(step, node);
        }

        @Override
        public NodeDown mapNodes(IntUnaryOperator map) {
            return new NodeDown(step, map.applyAsInt(node));
        }

        @Override
        public List<Fault> simpler() {
            List<Fault> out = new ArrayList<>();
            for (int n = 0; n < node; n++) {
                out.add(new NodeDown(step, n));
            }
            return out;
        }

        @Override
        public String format() {
            return step + " down " + node;
        }
    }

    /**
     * {@code step pause Nms}: the runner lets {@code millis} milliseconds of real time pass.
     *
     * @param millis 1 or more
     */
    record Pause(int step, int millis) implements Fault {
        public Pause {
            checkStep(step);
            checkAtLeast1("millis", millis);
        }

        @Override
        public FaultKind kind() {
            return FaultKind.PAUSE;
        }

        @Override
        public List<Integer> nodes() {
            return List.of();
        }

        @Override
        public Pause withStep(int step) {
            return new Pause(step, millis);
        }

        @Override
        public Pause mapNodes(IntUnaryOperator map) {
            return this;
        }

        @Override
        public List<Fault> simpler() {
            List<Fault> out = new ArrayList<>();
            for (int m : Candidates.toward(millis, 1)) {
                out.add(new Pause(step, m));
            }
            return out;
        }

        @Override
        public String format() {
            return step + " pause " + millis + "ms";
        }
    }

    /**
     * {@code step hold A->B xN}: the next {@code frames} frames sent from node {@code fromNode} to node
     * {@code toNode} are delayed (held back, then delivered in order); the other direction is not affected.
     *
     * @param frames 1 or more
     */
    record HoldFrames(int step, int fromNode, int toNode, int frames) implements Fault {
        public HoldFrames {
            checkStep(step);
            checkPair(fromNode, toNode);
            checkAtLeast1("frames", frames);
        }

        @Override
        public FaultKind kind() {
            return FaultKind.HOLD_FRAMES;
        }

        @Override
        public List<Integer> nodes() {
            return List.of(fromNode, toNode);
        }

        @Override
        public HoldFrames withStep(int step) {
            return new HoldFrames(step, fromNode, toNode, frames);
        }

        @Override
        public HoldFrames mapNodes(IntUnaryOperator map) {
            return new HoldFrames(step, map.applyAsInt(fromNode), map.applyAsInt(toNode), frames);
        }

        @Override
        public List<Fault> simpler() {
            List<Fault> out = new ArrayList<>();
            for (int f : Candidates.toward(frames, 1)) {
                out.add(new HoldFrames(step, fromNode, toNode, f));
            }
            for (int n = 0; n < fromNode; n++) {
                if (n != toNode) {
                    out.add(new HoldFrames(step, n, toNode, frames));
                }
            }
            for (int n = 0; n < toNode; n++) {
                if (n != fromNode) {
                    out.add(new HoldFrames(step, fromNode, n, frames));
                }
            }
            return out;
        }

        @Override
        public String format() {
            return step + " hold " + fromNode + "->" + toNode + " x" + frames;
        }
    }

    private static void checkStep(int step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be 0 or more, was " + step);
        }
    }

    private static void checkNode(String field, int node) {
        if (node < 0 || node > MAX_NODE) {
            throw new IllegalArgumentException(field + " must be 0.." + MAX_NODE + ", was " + node);
        }
    }

    private static void checkPair(int a, int b) {
        checkNode("first node", a);
        checkNode("second node", b);
        if (a == b) {
            throw new IllegalArgumentException("the two nodes must differ, both are " + a);
        }
    }

    private static void checkAtLeast1(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be 1 or more, was " + value);
        }
    }
}
