// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * The frame a {@link FrameDecoder} made with {@code views} on has just decoded: one object per decoder, its fields
 * set anew for every frame, so that decoding a frame makes no frame object. Valid only while the frame is handled,
 * that is, until the {@code channelRead} that carried it returns; a handler that keeps a frame keeps
 * {@link #toValue()}. Confined to the channel's event loop.
 * <p>
 * The payload is a retained slice of the bytes received (empty but for a MSG): read in place, never copied on the
 * way. It belongs to whoever handles the view: the handler that keeps it past the {@code channelRead} takes it
 * ({@link #takePayload()}) and releases it when done; the last handler of the pipeline releases a payload nobody took
 * ({@link #releasePayload()}).
 */
public final class FrameView implements Frame {
    private Magic magic;
    private int msgType;
    private int sysStatus;
    private int status;
    private int key;
    private int msgNum;
    private long msgSeq;
    private long ack;
    private int dataLen;
    /** The payload, until it is taken or released; then an empty buffer. */
    private ByteBuf payload = Unpooled.EMPTY_BUFFER;

    FrameView() {}

    /** Sets the view to the frame just decoded; the fields are the decoder's, already checked. */
    FrameView set(
            Magic magic,
            int msgType,
            int sysStatus,
            int status,
            int key,
            int msgNum,
            long msgSeq,
            long ack,
            ByteBuf payload) {
        releasePayload(); // a handler broke the contract and left the last one: not leaked, at least
        this.magic = magic;
        this.msgType = msgType;
        this.sysStatus = sysStatus;
        this.status = status;
        this.key = key;
        this.msgNum = msgNum;
        this.msgSeq = msgSeq;
        this.ack = ack;
        this.dataLen = payload.readableBytes();
        this.payload = payload;
        return this;
    }

    @Override
    public Magic magic() {
        return magic;
    }

    @Override
    public int msgType() {
        return msgType;
    }

    @Override
    public int sysStatus() {
        return sysStatus;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public int key() {
        return key;
    }

    @Override
    public int msgNum() {
        return msgNum;
    }

    @Override
    public long msgSeq() {
        return msgSeq;
    }

    @Override
    public long ack() {
        return ack;
    }

    @Override
    public int dataLen() {
        return dataLen;
    }

    /**
     * Takes the payload: the caller now owns it (it must release it) and the view has none. Each frame's payload can
     * be taken once; a second take returns an empty buffer.
     */
    public ByteBuf takePayload() {
        ByteBuf p = payload;
        payload = Unpooled.EMPTY_BUFFER;
        return p;
    }

    /** Releases the payload if nobody took it. */
    public void releasePayload() {
        ByteBuf p = payload;
        payload = Unpooled.EMPTY_BUFFER;
        p.release();
    }

    /** A value with this frame's fields and a copy of its payload (which must not have been taken). */
    @Override
    public O2netMsg toValue() {
        if (payload.readableBytes() != dataLen) {
            throw new IllegalStateException("the payload of " + magic + " msg_seq " + msgSeq + " was taken");
        }
        byte[] bytes = dataLen == 0 ? new byte[0] : ByteBufUtil.getBytes(payload);
        return new O2netMsg(magic, msgType, sysStatus, status, key, msgNum, msgSeq, bytes, ack);
    }

    /** As the value's, while the payload is here; else without it. */
    @Override
    public String toString() {
        if (payload.readableBytes() == dataLen) {
            return toValue().toString();
        }
        return new O2netMsg(magic, msgType, sysStatus, status, key, msgNum, msgSeq, new byte[0], ack) + " (payload of "
                + dataLen + " bytes taken)";
    }
}
