// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.SysStatus;

/**
 * The receiver's record of one message (the RFC's Message Holder, ReliableO2net's {@code mh[seq]}): RUNNING while the
 * handler runs, DONE once its status is stored. Kept in a red-black tree ({@link java.util.TreeMap}) keyed by
 * {@code msg_seq} until the sender's MH_REMOVE. It is also the token of a handler run: the run's status goes back into
 * this very object, and only while the tree still holds it (see {@link PeerCore#handlerDone}).
 * In protocol v11 a Message Holder is only that token and is never in a tree.
 */
public final class MessageHolder {
    enum State {
        RUNNING,
        DONE
    }

    private O2netMsg msg;
    State state = State.RUNNING;
    int sysStatus;
    int status;
    /** v11 only: the connection the message came on. */
    int connEpoch;

    MessageHolder(O2netMsg msg) {
        this.msg = msg;
    }

    /**
     * v13: once DONE the Message Holder keeps the status only; the request's header (type, key, msg_num, msg_seq) is
     * all a duplicate's STATUS needs.
     */
    void dropPayload() {
        if (msg.dataLen() != 0) {
            msg = O2netMsg.builder(msg.magic())
                    .msgType(msg.msgType())
                    .key(msg.key())
                    .msgNum(msg.msgNum())
                    .msgSeq(msg.msgSeq())
                    .build();
        }
    }

    /** The request whose handler runs (v13, once DONE: its header only). */
    public O2netMsg msg() {
        return msg;
    }

    public long msgSeq() {
        return msg.msgSeq();
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
        return "MessageHolder{seq=" + msg.msgSeq() + ", type=" + msg.msgType() + ", key=0x"
                + Integer.toHexString(msg.key()) + ", " + state
                + (state == State.DONE ? ", sys=" + sysStatus + ", status=" + status : "") + '}';
    }
}
