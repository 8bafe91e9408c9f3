// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import org.ocfs2.o2net.core.Action;
import org.ocfs2.o2net.core.TraceEvent;

/**
 * Receives every spec action the protocol core takes ({@code Effects.trace}), for an event log that can be checked
 * against the TLA+ spec. Called on the peer's event loop: it must be fast and must not block. {@link #NONE}, the
 * default, costs one comparison per event: with it the cores make no events at all.
 * <p>
 * Besides the core's actions the node reports {@code Restart} when it closes, once per peer, on that peer's event
 * loop: the end of this incarnation's core (the first half of the spec's {@code Restart}; the next incarnation is a
 * new node). A sink that needs more than the action and the message numbers (an event log checked by TLC: the call,
 * the status, the incarnations) overrides {@link #trace(TraceEvent, long)}.
 */
@FunctionalInterface
public interface TraceSink {
    /** Records nothing. */
    TraceSink NONE = (node, peer, action, msgSeq, msgNum, nanoTime) -> {};

    /**
     * @param node     the node whose core took the action
     * @param peer     the peer that core talks to
     * @param action   the spec action
     * @param msgSeq   the message's {@code msg_seq}, 0 if none
     * @param msgNum   the message's {@code msg_num}, 0 if none
     * @param nanoTime the node's {@link Clock} at the event
     */
    void trace(int node, int peer, Action action, long msgSeq, int msgNum, long nanoTime);

    /**
     * The whole event, on the same thread and at the same moment as {@link #trace(int, int, Action, long, int, long)},
     * which the default calls.
     *
     * @param event    what the core (or, for {@code Restart}, the node) did
     * @param nanoTime the node's {@link Clock} at the event
     */
    default void trace(TraceEvent event, long nanoTime) {
        trace(event.node(), event.peer(), event.action(), event.msgSeq(), event.msgNum(), nanoTime);
    }
}
