// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import org.ocfs2.o2net.wire.O2netMsg;

/**
 * One spec action taken by a protocol core, with what an event log needs to check it against the spec
 * ({@code spec/tla/TraceReliableO2net.tla}): who took it, the message it is about, the status, the incarnation it
 * learned. The core makes one only while {@link Effects#tracing()} is on, so tracing costs nothing when it is off.
 * Fields an action has no value for are {@code null}, 0 or {@code false}.
 *
 * @param node            the node whose core took the action
 * @param peer            the peer that core talks to
 * @param incarnation     the node's incarnation (the core's)
 * @param action          the spec action
 * @param msg             the request the action is about, whose payload names the call ({@code Send}, {@code RecvMsg},
 *                        {@code RecvDup}, {@code RunHandler}, {@code RunOrphan}, {@code RecvRemoved}; O2net's
 *                        {@code Recv}), or the frame received when it carries no request ({@code RecvStatus},
 *                        {@code RecvStaleStatus}: the STATUS frame; {@code RecvRemove}: the MH_REMOVE frame);
 *                        {@code null} otherwise. Frames are immutable.
 * @param caller          {@code Send}: who calls (the calling thread's name)
 * @param result          {@code RecvStatus}, {@code RecvStaleStatus}: the status received; {@code RunHandler},
 *                        {@code RunOrphan}: the handler's; {@code RecvRemoved}: what the call returns
 * @param peerIncarnation {@code Connect}: the peer's incarnation from its handshake; {@code HbNodeDown}: the one
 *                        heartbeat declares dead; {@code HbNodeUp}: the one it sees alive
 * @param forgot          {@code HbNodeDown}, {@code HbNodeUp}: the core forgot the peer (the spec's
 *                        {@code ForgetPeer}: disconnect, fail the held calls, free the Message Holders)
 */
public record TraceEvent(
        int node,
        int peer,
        long incarnation,
        Action action,
        O2netMsg msg,
        String caller,
        CallResult result,
        long peerIncarnation,
        boolean forgot) {

    /** An event with no message, status or incarnation ({@code Reset}, and {@code Restart} from the node). */
    public static TraceEvent of(int node, int peer, long incarnation, Action action) {
        return new TraceEvent(node, peer, incarnation, action, null, null, null, 0, false);
    }

    /** The message's {@code msg_seq}, 0 if none. */
    public long msgSeq() {
        return msg == null ? 0 : msg.msgSeq();
    }

    /** The message's {@code msg_num}, 0 if none. */
    public int msgNum() {
        return msg == null ? 0 : msg.msgNum();
    }
}
