// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.SysStatus;

/**
 * The receiver's record of one message (the RFC's Message Holder, ReliableO2net's {@code mh[seq]}): RUNNING while the
 * handler runs, DONE once its status is stored. Kept by {@code msg_seq}: in v12 in a red-black tree
 * ({@link java.util.TreeMap}) until the sender's MH_REMOVE; in v13 in a ring of window size ({@link SeqRing}) until
 * the sender's acknowledgement passes it. It is also the token of a handler run: the run's status goes back into
 * this very object, and only while the tree still holds it (see {@link PeerCore#handlerDone}).
 * In protocol v11 a Message Holder is only that token and is never in a tree.
 * <p>
 * A DONE v13 Message Holder drops the request and keeps its header and the status in fields sized as the wire's
 * ({@code msg_type} 16 bits, {@code sys_status} below {@code O2NET_ERR_MAX}): 48 bytes with a compressed-pointer JVM.
 */
public final class MessageHolder {
    private static final byte[] EMPTY = new byte[0];

    /** The request; null once a v13 Message Holder is DONE and keeps the status only. */
    private O2netMsg msg;

    private final long msgSeq;
    private final int key;
    private final int msgNum;
    /** {@code msg_type}: 16-bit unsigned on the wire, as a {@code char} is. */
    private final char msgType;

    private boolean done;
    /** {@code O2NET_ERR_*}, below {@link SysStatus#MAX}. */
    private byte sysStatus;

    private int status;
    /** v11: the connection the request came on (its reply goes back on that one only). */
    int connEpoch;

    MessageHolder(O2netMsg msg) {
        this.msg = msg;
        this.msgSeq = msg.msgSeq();
        this.key = msg.key();
        this.msgNum = msg.msgNum();
        this.msgType = (char) msg.msgType();
    }

    /** The handler returned {@code status} with {@code sysStatus}: stored. DONE. */
    void done(SysStatus sysStatus, int status) {
        this.sysStatus = (byte) sysStatus.code();
        this.status = status;
        this.done = true;
    }

    /** AckO2net: a DONE Message Holder keeps the status only; the request and its payload go. */
    void dropPayload() {
        msg = null;
    }

    /**
     * The request: the frame itself while it is kept, else (a DONE v13 Message Holder) its header, without the
     * payload.
     */
    public O2netMsg msg() {
        if (msg != null) {
            return msg;
        }
        return O2netMsg.request(msgType, key, msgNum, msgSeq, EMPTY);
    }

    /** The message's {@code msg_seq}. */
    public long msgSeq() {
        return msgSeq;
    }

    /** True once the handler's status is stored. */
    public boolean done() {
        return done;
    }

    /** The stored {@code sys_status}; NONE until {@link #done()}. */
    public SysStatus sysStatus() {
        return SysStatus.of(sysStatus);
    }

    /** The stored handler status; 0 until {@link #done()}. */
    public int status() {
        return status;
    }

    @Override
    public String toString() {
        return "MessageHolder{seq=" + msgSeq + ", type=" + (int) msgType + ", key=0x" + Integer.toHexString(key)
                + (done ? ", DONE, sys=" + sysStatus + ", status=" + status : ", RUNNING") + '}';
    }
}
