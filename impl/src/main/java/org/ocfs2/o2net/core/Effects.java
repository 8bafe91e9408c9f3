// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import org.ocfs2.o2net.wire.Errno;
import org.ocfs2.o2net.wire.O2netMsg;

/**
 * What the core asks the outside world to do. The Netty layer implements it; tests and the conformance replayer
 * record it. Every method is called on the core's thread and must not call back into the core.
 * <p>
 * A call is the caller's own object ({@code C}), handed to {@link PeerCore#send} and handed back, untouched, in
 * exactly one of {@link #complete} or {@link #refuse}: the core keeps no future and wakes no one, the caller's side
 * turns the result into whatever its API promises (as etcd-raft's core hands back plain values).
 *
 * @param <C> the caller's call object
 */
public interface Effects<C> {
    /** Write {@code frame} on the current connection (the core calls this only while it is connected). */
    void write(O2netMsg frame);

    /**
     * Write a MSG (a request, or its resend) on the current connection, given as its fields: the frame
     * {@link O2netMsg#wrapRequest} would build. The default builds that frame and passes it to {@link #write}; an
     * implementation that encodes straight into its socket's buffer (the Netty node's) overrides it, and a call then
     * makes no frame object to send its request.
     *
     * @param payload the caller's array, not a copy; not to be kept after the call returns
     */
    default void writeRequest(int msgType, int key, int msgNum, long msgSeq, long ack, byte[] payload) {
        write(O2netMsg.wrapRequest(msgType, key, msgNum, msgSeq, ack, payload));
    }

    /**
     * Write a STATUS on the current connection, given as its fields: the frame {@link O2netMsg#status} would build.
     * The default builds that frame and passes it to {@link #write}; see {@link #writeRequest}.
     */
    default void writeStatus(int msgType, int sysStatus, int status, int key, int msgNum, long msgSeq, long ack) {
        write(O2netMsg.status(msgType, sysStatus, status, key, msgNum, msgSeq, ack));
    }

    /**
     * Run the handler for {@code mh}'s request off the core's thread, then report its status with
     * {@link PeerCore#handlerDone}. Handlers of one peer run one at a time, in this order. Called only from
     * {@link PeerCore#receive}, while the request's frame is handled: if it came as a view
     * ({@link MessageHolder#value()} null), its payload is the frame's, which the implementation takes for the run.
     */
    void runHandler(MessageHolder mh);

    /**
     * The spec's {@code Send} took {@code call}: its message now has a waiter id and a sequence number (what debugfs
     * {@code send_tracking} shows). In v11 a call made while no connection is up gets them when one comes up. The
     * default does nothing.
     *
     * @param msgSeq the message's {@code msg_seq}; 0 in v11
     */
    default void sent(C call, int msgNum, long msgSeq) {}

    /** The call is over with {@code result} (the handler's answer, or DIED: EHOSTDOWN): wake its caller. */
    void complete(C call, CallResult result);

    /**
     * The call ends with {@code errno} before or without an answer: refused at {@link PeerCore#send} (ENOTCONN: the
     * peer is down), given up while it waited for a connection (v11; the errno of a node-down or of a persistent
     * error), or dropped when the node stops ({@link PeerCore#stop}; EHOSTDOWN).
     */
    void refuse(C call, Errno errno, String why);

    /** Close the current connection: the core has already forgotten it ({@code why} is for the log). */
    void disconnect(String why);

    /**
     * v13: S's ack is ahead of what the current connection has carried: call {@link PeerCore#ackTimer} soon (a
     * delayed ACK; by then a MSG or STATUS may have carried it, and the timer writes nothing). Called at most once
     * until the timer ran. The default does nothing, for v11/v12 users.
     */
    default void ackPending() {}

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
