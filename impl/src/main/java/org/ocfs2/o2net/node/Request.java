// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.ByteBuffer;
import org.ocfs2.o2net.core.MessageHolder;
import org.ocfs2.o2net.wire.O2netMsg;

/**
 * A request as its {@link Handler} sees it: who sent it and what it carries. Immutable.
 * <p>
 * The payload is read in place, in the bytes the node received: {@link #payloadInt}, {@link #payloadBuffer()} make no
 * copy, {@link #payload()} does. The request is the handler's to read while it and its post-handler run (its bytes go
 * back to the node's buffer pool then); a handler that keeps the payload longer keeps {@link #payload()}, as a kernel
 * handler copies what it keeps out of the page it was given.
 */
public final class Request {
    private final int fromNode;
    /** The Message Holder: the header. */
    private final MessageHolder mh;
    /** The request as the frame value it came as, or null: it came as a view, and {@link #payload} is its payload. */
    private final O2netMsg msg;

    /** The payload of a request that came as a view: a slice of the bytes received, released after the run. */
    private final ByteBuf payload;

    /**
     * @param mh      the Message Holder of the run
     * @param payload the payload of a request that came as a view (not released here); ignored if {@code mh} keeps
     *                the request's value
     */
    Request(int fromNode, MessageHolder mh, ByteBuf payload) {
        this.fromNode = fromNode;
        this.mh = mh;
        // taken now: a v13 holder drops its request once the status is stored, before the post-handler runs
        this.msg = mh.value();
        this.payload = payload;
    }

    /** The sending node's number. */
    public int fromNode() {
        return fromNode;
    }

    /** {@code msg_type}, 1..65535. */
    public int msgType() {
        return mh.msgType();
    }

    /** {@code key}. */
    public int key() {
        return mh.key();
    }

    /** {@code data_len}: the payload length. */
    public int dataLen() {
        return msg != null ? msg.dataLen() : payload.readableBytes();
    }

    /**
     * The payload as a read-only buffer, without a copy. For a handler that only reads the payload: {@link #payload()}
     * copies it, 4 KB per call at the largest size.
     */
    public ByteBuffer payloadBuffer() {
        return msg != null ? msg.payloadBuffer() : payload.nioBuffer().asReadOnlyBuffer();
    }

    /**
     * The big-endian 32-bit integer at byte {@code index} of the payload, read in place: no copy, no buffer.
     *
     * @throws IndexOutOfBoundsException if the payload has no 4 bytes at {@code index}
     */
    public int payloadInt(int index) {
        if (msg != null) {
            return msg.payloadInt(index);
        }
        java.util.Objects.checkFromIndexSize(index, 4, payload.readableBytes());
        return payload.getInt(payload.readerIndex() + index);
    }

    /** A copy of the payload. */
    public byte[] payload() {
        return msg != null ? msg.payload() : ByteBufUtil.getBytes(payload);
    }

    /** The sender's waiter id ({@code msg_num}). */
    public int msgNum() {
        return mh.msgNum();
    }

    /** The message's sequence number, 0 in protocol v11. */
    public long msgSeq() {
        return mh.msgSeq();
    }

    /** The frame: the value the request came as, else one built of its header and a copy of its payload. */
    public O2netMsg msg() {
        return msg != null ? msg : O2netMsg.request(mh.msgType(), mh.key(), mh.msgNum(), mh.msgSeq(), payload());
    }

    @Override
    public String toString() {
        return "Request{from=" + fromNode + ", " + msg() + '}';
    }
}
