package org.ocfs2.o2net.node;

import org.ocfs2.o2net.core.Action;

/**
 * Receives every spec action the protocol core takes ({@code Effects.trace}), for an event log that can be checked
 * against the TLA+ spec. Called on the peer's event loop: it must be fast and must not block. {@link #NONE}, the
 * default, costs one comparison per event.
 */
@FunctionalInterface
public interface TraceSink {
    /** Records nothing. */
    TraceSink NONE = (node, peer, action, msgSeq, msgNum, nanoTime) -> {
    };

    /**
     * @param node     the node whose core took the action
     * @param peer     the peer that core talks to
     * @param action   the spec action
     * @param msgSeq   the message's {@code msg_seq}, 0 if none
     * @param msgNum   the message's {@code msg_num}, 0 if none
     * @param nanoTime the node's {@link Clock} at the event
     */
    void trace(int node, int peer, Action action, long msgSeq, int msgNum, long nanoTime);
}
