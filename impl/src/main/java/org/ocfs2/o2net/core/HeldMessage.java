// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import org.ocfs2.o2net.wire.O2netMsg;

/**
 * A message the sender keeps until its call is over (ReliableO2net's {@code held[seq]}): re-sent on every new
 * connection as MSG while its status is missing, as MH_REMOVE once the status is kept. It carries the caller's
 * opaque call object, which the core hands back in {@link Effects#complete} and never looks into.
 * <p>
 * It keeps the request's header fields and the caller's payload array, not a frame: a MSG is written from them with
 * the ack of the moment ({@link Effects#writeRequest}), so holding a message costs this object alone (48 bytes with a
 * compressed-pointer JVM) and writing it builds nothing unless the {@link Effects} wants a frame value.
 *
 * @param <C> the caller's call object
 */
final class HeldMessage<C> {
    /** ReliableO2net's {@code phase}; O2net (v11) uses only MSG. UNSENT: not written yet, no connection was up. */
    enum Phase {
        UNSENT,
        MSG,
        REMOVE
    }

    final C call;
    /** The caller's array, not a copy: it keeps it unchanged until the call returns. */
    final byte[] payload;

    final long msgSeq;
    final int key;
    final int msgNum;
    /** {@code msg_type}: 16-bit unsigned on the wire, as a {@code char} is. */
    final char msgType;

    Phase phase;
    /** ReliableO2net (v12): the status kept in phase REMOVE. */
    CallResult result;

    HeldMessage(C call, int msgType, int key, int msgNum, long msgSeq, byte[] payload, Phase phase) {
        this.call = call;
        this.msgType = (char) msgType;
        this.key = key;
        this.msgNum = msgNum;
        this.msgSeq = msgSeq;
        this.payload = payload;
        this.phase = phase;
    }

    /** The MH_REMOVE for this message (v12), built from the header held. */
    O2netMsg removeRequest() {
        return O2netMsg.removeRequest(msgType, key, msgNum, msgSeq);
    }

    /** The request as a frame value carrying {@code ack} (for the event log and snapshots; not for writing). */
    O2netMsg request(long ack) {
        return O2netMsg.wrapRequest(msgType, key, msgNum, msgSeq, ack, payload);
    }
}
