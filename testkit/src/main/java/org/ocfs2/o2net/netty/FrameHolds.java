// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.netty;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;
import org.ocfs2.o2net.wire.O2netMsg;

/**
 * A {@link FaultInjector} driven by explicit rules, for tests, fault schedules and the conformance replayer; one
 * instance may serve every node of an in-JVM cluster. A rule names a link by its sender and receiver and applies where
 * the sender writes ({@link FaultInjector.Direction#OUTBOUND} on node {@code from} towards {@code to}), so that a
 * shared instance matches each frame once:
 * <ul>
 * <li>{@link #hold(int, int, int)}: the next {@code n} frames from {@code from} to {@code to} are held (a fault
 * schedule's {@code hold A->B xN});</li>
 * <li>{@link #hold(int, int, int, Predicate)}: the next {@code n} such frames that match are held, for example only
 * STATUS frames, to open the window between a handler's run and its status;</li>
 * <li>{@link #resetOn(int, int, Predicate)}: the connection is reset when the next matching frame is written; the
 * frame is lost with it.</li>
 * </ul>
 * Rules are used up in the order they were added. Held frames are released by {@link FaultHandler#release()}
 * ({@link org.ocfs2.o2net.node.NodeControl#releaseFrames}) or lost with the connection. Thread-safe.
 * <p>
 * Part of the test kit (o2net-testkit), not of the product: a node has a fault handler only when it is built with an
 * injector such as this one.
 */
public final class FrameHolds implements FaultInjector {
    private final List<Rule> rules = new ArrayList<>();
    private long held;
    private long resets;

    /** Holds the next {@code frames} frames, of any kind, that node {@code from} writes to node {@code to}. */
    public FrameHolds hold(int from, int to, int frames) {
        return hold(from, to, frames, f -> true);
    }

    /** Holds the next {@code frames} frames matching {@code which} that node {@code from} writes to node {@code to}. */
    public synchronized FrameHolds hold(int from, int to, int frames, Predicate<O2netMsg> which) {
        if (frames < 1) {
            throw new IllegalArgumentException("frames must be >= 1, got " + frames);
        }
        rules.add(new Rule(from, to, frames, requireNonNull(which, "which"), Verdict.HOLD));
        return this;
    }

    /** Resets the connection when node {@code from} next writes a frame matching {@code which} to node {@code to}. */
    public synchronized FrameHolds resetOn(int from, int to, Predicate<O2netMsg> which) {
        rules.add(new Rule(from, to, 1, requireNonNull(which, "which"), Verdict.RESET));
        return this;
    }

    /** Drops every rule not yet used up; frames already held stay held. */
    public synchronized void clear() {
        rules.clear();
    }

    /** Returns how many rules are not used up yet. */
    public synchronized int pendingRules() {
        return rules.size();
    }

    /** Returns how many frames the rules have held so far. */
    public synchronized long heldSoFar() {
        return held;
    }

    /** Returns how many resets the rules have caused so far. */
    public synchronized long resetsSoFar() {
        return resets;
    }

    @Override
    public synchronized Verdict inspect(int node, int peer, Direction direction, O2netMsg frame) {
        if (direction != Direction.OUTBOUND) {
            return Verdict.PASS;
        }
        for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
            Rule r = it.next();
            if (r.from == node && r.to == peer && r.which.test(frame)) {
                if (--r.left == 0) {
                    it.remove();
                }
                if (r.verdict == Verdict.HOLD) {
                    held++;
                } else {
                    resets++;
                }
                return r.verdict;
            }
        }
        return Verdict.PASS;
    }

    private static final class Rule {
        final int from;
        final int to;
        final Predicate<O2netMsg> which;
        final Verdict verdict;
        int left;

        Rule(int from, int to, int left, Predicate<O2netMsg> which, Verdict verdict) {
            this.from = from;
            this.to = to;
            this.left = left;
            this.which = which;
            this.verdict = verdict;
        }
    }
}
