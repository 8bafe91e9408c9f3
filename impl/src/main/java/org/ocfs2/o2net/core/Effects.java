// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import org.ocfs2.o2net.wire.O2netMsg;

/**
 * What the core asks the outside world to do. The Netty layer implements it; tests and the conformance replayer
 * record it. Every method is called on the core's thread and must not call back into the core.
 */
public interface Effects {
    /** Write {@code frame} on the current connection (the core calls this only while it is connected). */
    void write(O2netMsg frame);

    /**
     * Run the handler for {@code mh.msg()} off the core's thread, then report its status with
     * {@link PeerCore#handlerDone}. Handlers of one peer run one at a time, in this order.
     */
    void runHandler(MessageHolder mh);

    /** The call of {@code waiter} is over with {@code result}: wake its caller. */
    void complete(Waiter waiter, CallResult result);

    /** Close the current connection: the core has already forgotten it ({@code why} is for the log). */
    void disconnect(String why);

    /** A spec action was taken; for the event log. The default does nothing. */
    default void trace(Action action, long msgSeq, int msgNum) {}

    /**
     * Whether the core should report its actions with {@link #trace(TraceEvent)}. While it is {@code false} the core
     * makes no event at all (tracing off costs one call per action). The default is {@code true}.
     */
    default boolean tracing() {
        return true;
    }

    /**
     * A spec action was taken, with what an event log needs to check it against the spec; called only while
     * {@link #tracing()}. The default passes the action to {@link #trace(Action, long, int)}.
     */
    default void trace(TraceEvent event) {
        trace(event.action(), event.msgSeq(), event.msgNum());
    }
}
