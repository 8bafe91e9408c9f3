// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import org.ocfs2.o2net.wire.Frame;
import org.ocfs2.o2net.wire.FrameView;
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
 * It keeps the request's header in its own fields, and the request itself only if it came as a frame value (the
 * conformance suite's core tier, a node with a fault injector) or the event log needs it: a request that came as a
 * decoder's {@link FrameView} (a node's pipeline) is not kept here, its payload going with the handler run instead
 * (see {@link Effects#runHandler}), so receiving it makes no frame object. A DONE v13 Message Holder drops the request
 * and keeps its header and the status in fields sized as the wire's ({@code msg_type} 16 bits, {@code sys_status}
 * below {@code O2NET_ERR_MAX}): 48 bytes with a compressed-pointer JVM.
 */
public final class MessageHolder {
    private static final byte[] EMPTY = new byte[0];

    /**
     * The request as a frame value; null if it came as a view (and no event log needs it), or once a v13 Message
     * Holder is DONE and keeps the status only.
     */
    private O2netMsg request;

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

    /**
     * @param msg  the request, a value or a view
     * @param keep keep a value of a request that came as a view (for the event log, which names calls by payload)
     */
    MessageHolder(Frame msg, boolean keep) {
        // a view is valid only while it is handled: the header is copied here, the payload goes with the handler run
        this.request = msg instanceof FrameView && !keep ? null : msg.toValue();
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
        request = null;
    }

    /**
     * The request as a frame value: the one kept (the same object every time), else its header without the payload
     * (a request that came as a view, a DONE v13 Message Holder).
     */
    public O2netMsg msg() {
        if (request != null) {
            return request;
        }
        return O2netMsg.request(msgType, key, msgNum, msgSeq, EMPTY);
    }

    /** The request kept as a frame value, or null (it came as a view, or a DONE v13 holder dropped it). */
    public O2netMsg value() {
        return request;
    }

    /** The message's {@code msg_seq}. */
    public long msgSeq() {
        return msgSeq;
    }

    /** The message's {@code msg_type}. */
    public int msgType() {
        return msgType;
    }

    /** The message's {@code key}. */
    public int key() {
        return key;
    }

    /** The sender's waiter id, {@code msg_num}. */
    public int msgNum() {
        return msgNum;
    }

    /** True once the handler's status is stored. */
    public boolean done() {
        return done;
    }

    /** The stored {@code sys_status}; NONE until {@link #done()}. */
    public SysStatus sysStatus() {
        return SysStatus.of(sysStatus);
    }

    /** The stored {@code sys_status} as its wire code ({@code O2NET_ERR_*}); 0 (NONE) until {@link #done()}. */
    int sysStatusCode() {
        return sysStatus;
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
