// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import org.ocfs2.o2net.wire.O2netMsg;

/** A request as its {@link Handler} sees it: who sent it and what it carries. Immutable. */
public final class Request {
    private final int fromNode;
    private final O2netMsg msg;

    Request(int fromNode, O2netMsg msg) {
        this.fromNode = fromNode;
        this.msg = requireNonNull(msg, "msg");
    }

    /** The sending node's number. */
    public int fromNode() {
        return fromNode;
    }

    /** {@code msg_type}, 1..65535. */
    public int msgType() {
        return msg.msgType();
    }

    /** {@code key}. */
    public int key() {
        return msg.key();
    }

    /** {@code data_len}: the payload length. */
    public int dataLen() {
        return msg.dataLen();
    }

    /**
     * The payload as a read-only buffer, without a copy (the request keeps its bytes as long as it is referenced).
     * For a handler that only reads the payload: {@link #payload()} copies it, 4 KB per call at the largest size.
     */
    public ByteBuffer payloadBuffer() {
        return msg.payloadBuffer();
    }

    /**
     * The big-endian 32-bit integer at byte {@code index} of the payload, read in place: no copy, no buffer.
     *
     * @throws IndexOutOfBoundsException if the payload has no 4 bytes at {@code index}
     */
    public int payloadInt(int index) {
        return msg.payloadInt(index);
    }

    /** A copy of the payload. */
    public byte[] payload() {
        return msg.payload();
    }

    /** The sender's waiter id ({@code msg_num}). */
    public int msgNum() {
        return msg.msgNum();
    }

    /** The message's sequence number, 0 in protocol v11. */
    public long msgSeq() {
        return msg.msgSeq();
    }

    /** The frame itself. */
    public O2netMsg msg() {
        return msg;
    }

    @Override
    public String toString() {
        return "Request{from=" + fromNode + ", " + msg + '}';
    }
}
