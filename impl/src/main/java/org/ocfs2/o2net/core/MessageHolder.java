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
 * The status is stored as the STATUS frame that answers the request (built once, to be written): it carries the
 * request's header ({@code msg_type}, {@code key}, {@code msg_num}, {@code msg_seq}) with {@code sys_status} and
 * {@code status}, which is all a DONE Message Holder needs, so it keeps no copy of them.
 */
public final class MessageHolder {
    private static final byte[] EMPTY = new byte[0];

    /** The request; null once a v13 Message Holder is DONE and keeps the status only. */
    private O2netMsg msg;

    /** The STATUS frame answering the request, once the handler returned; null while it runs. */
    private O2netMsg reply;

    /** v11: the connection the request came on (its reply goes back on that one only). */
    int connEpoch;

    MessageHolder(O2netMsg msg) {
        this.msg = msg;
    }

    /** The handler returned: its status is stored as {@code reply}, the STATUS that answers the request. DONE. */
    void done(O2netMsg reply) {
        this.reply = reply;
    }

    /** AckO2net: a DONE Message Holder keeps the status only; the request and its payload go. */
    void dropPayload() {
        msg = null;
    }

    /**
     * The request: the frame itself while it is kept, else (a DONE v13 Message Holder) its header rebuilt from the
     * STATUS, without the payload.
     */
    public O2netMsg msg() {
        if (msg != null) {
            return msg;
        }
        return O2netMsg.request(reply.msgType(), reply.key(), reply.msgNum(), reply.msgSeq(), EMPTY);
    }

    /** The message's {@code msg_seq}. */
    public long msgSeq() {
        return msg != null ? msg.msgSeq() : reply.msgSeq();
    }

    /** True once the handler's status is stored. */
    public boolean done() {
        return reply != null;
    }

    /** The stored {@code sys_status}; NONE until {@link #done()}. */
    public SysStatus sysStatus() {
        return reply == null ? SysStatus.NONE : SysStatus.of(reply.sysStatus());
    }

    /** The stored handler status; 0 until {@link #done()}. */
    public int status() {
        return reply == null ? 0 : reply.status();
    }

    @Override
    public String toString() {
        O2netMsg m = msg != null ? msg : reply;
        return "MessageHolder{seq=" + m.msgSeq() + ", type=" + m.msgType() + ", key=0x" + Integer.toHexString(m.key())
                + (reply == null ? ", RUNNING" : ", DONE, sys=" + reply.sysStatus() + ", status=" + reply.status())
                + '}';
    }
}
