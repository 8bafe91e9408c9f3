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
 */
public final class MessageHolder {
    private static final byte[] EMPTY = new byte[0];

    enum State {
        RUNNING,
        DONE
    }

    /** The request; null once a v13 Message Holder is DONE and keeps the status only. */
    private O2netMsg msg;

    private final int msgType;
    private final int key;
    private final int msgNum;
    private final long msgSeq;
    State state = State.RUNNING;
    int sysStatus;
    int status;
    /** v11 only: the connection the message came on. */
    int connEpoch;

    MessageHolder(O2netMsg msg) {
        this.msg = msg;
        this.msgType = msg.msgType();
        this.key = msg.key();
        this.msgNum = msg.msgNum();
        this.msgSeq = msg.msgSeq();
    }

    /**
     * v13: once DONE the Message Holder keeps the status only, in its own fields; the request's header (type, key,
     * msg_num, msg_seq) is all a duplicate's STATUS needs, and it keeps that too.
     */
    void dropPayload() {
        msg = null;
    }

    /** The request whose handler runs (v13, once DONE: a copy of its header, without payload, made on each call). */
    public O2netMsg msg() {
        if (msg != null) {
            return msg;
        }
        return O2netMsg.request(msgType, key, msgNum, msgSeq, EMPTY);
    }

    public long msgSeq() {
        return msgSeq;
    }

    /** True once the handler's status is stored. */
    public boolean done() {
        return state == State.DONE;
    }

    /** The stored {@code sys_status}; meaningful once {@link #done()}. */
    public SysStatus sysStatus() {
        return SysStatus.of(sysStatus);
    }

    /** The stored handler status; meaningful once {@link #done()}. */
    public int status() {
        return status;
    }

    @Override
    public String toString() {
        return "MessageHolder{seq=" + msgSeq + ", type=" + msgType + ", key=0x"
                + Integer.toHexString(key) + ", " + state
                + (state == State.DONE ? ", sys=" + sysStatus + ", status=" + status : "") + '}';
    }
}
