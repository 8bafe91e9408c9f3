// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Encodes an {@link O2netMsg} in the layout of one protocol version (drawn in {@link FrameDecoder}). Stateless and
 * sharable between channels of the same version.
 * <p>
 * A frame the version cannot carry fails the write with an {@link EncoderException} and writes nothing: an MH_REMOVE
 * or MH_REMOVED, or a non-zero {@code msgSeq}, in v11; a sequenced frame with {@code msgSeq} 0 in v12.
 */
@Sharable
public final class FrameEncoder extends MessageToByteEncoder<O2netMsg> {
    /** The name {@link WirePipeline} gives this handler. */
    public static final String NAME = "o2net-frame-encoder";

    private final ProtocolVersion version;

    public FrameEncoder(ProtocolVersion version) {
        super(O2netMsg.class);
        this.version = requireNonNull(version, "version");
    }

    /** Returns the protocol version this encoder writes. */
    public ProtocolVersion version() {
        return version;
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, O2netMsg msg, boolean preferDirect) {
        int len = msg.frameLength(version);
        return preferDirect ? ctx.alloc().ioBuffer(len) : ctx.alloc().heapBuffer(len);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, O2netMsg msg, ByteBuf out) {
        encode(msg, version, out);
    }

    /**
     * Writes {@code msg} as {@code version} lays it out.
     *
     * @throws EncoderException if {@code version} cannot carry {@code msg}; nothing is written then
     */
    public static void encode(O2netMsg msg, ProtocolVersion version, ByteBuf out) {
        check(version, msg.magic(), msg.msgSeq(), msg.ack());
        write(
                version,
                msg.magic(),
                msg.msgType(),
                msg.sysStatus(),
                msg.status(),
                msg.key(),
                msg.msgNum(),
                msg.msgSeq(),
                msg.ack(),
                msg.payloadArray(),
                out);
    }

    /**
     * Returns a MSG given as its fields, in a buffer of {@code alloc}'s: the bytes
     * {@link #encode(O2netMsg, ProtocolVersion, ByteBuf)} writes for the frame {@link O2netMsg#wrapRequest} builds of
     * them, without building it (what a node writes for each call).
     *
     * @param payload at most {@value O2netMsg#MAX_PAYLOAD_BYTES} bytes, read now
     * @throws EncoderException if {@code version} cannot carry the frame; nothing is allocated then
     */
    public static ByteBuf encodeRequest(
            ByteBufAllocator alloc,
            ProtocolVersion version,
            int msgType,
            int key,
            int msgNum,
            long msgSeq,
            long ack,
            byte[] payload) {
        check(version, Magic.MSG, msgSeq, ack);
        ByteBuf out = alloc.ioBuffer(frameLength(version, Magic.MSG, payload.length));
        write(version, Magic.MSG, msgType, 0, 0, key, msgNum, msgSeq, ack, payload, out);
        return out;
    }

    /**
     * Returns a STATUS given as its fields, in a buffer of {@code alloc}'s: the bytes
     * {@link #encode(O2netMsg, ProtocolVersion, ByteBuf)} writes for the frame {@link O2netMsg#status} builds of them,
     * without building it (what a node writes for each handler run).
     *
     * @throws EncoderException if {@code version} cannot carry the frame; nothing is allocated then
     */
    public static ByteBuf encodeStatus(
            ByteBufAllocator alloc,
            ProtocolVersion version,
            int msgType,
            int sysStatus,
            int status,
            int key,
            int msgNum,
            long msgSeq,
            long ack) {
        check(version, Magic.STATUS, msgSeq, ack);
        ByteBuf out = alloc.ioBuffer(frameLength(version, Magic.STATUS, 0));
        write(version, Magic.STATUS, msgType, sysStatus, status, key, msgNum, msgSeq, ack, EMPTY, out);
        return out;
    }

    /** The length of a frame of kind {@code magic} with {@code dataLen} payload bytes in {@code version}. */
    static int frameLength(ProtocolVersion version, Magic magic, int dataLen) {
        return O2netMsg.HEADER_LEN + version.extLen(magic) + dataLen;
    }

    private static final byte[] EMPTY = new byte[0];

    /** Refuses a frame {@code version} cannot carry, before anything is written or allocated. */
    private static void check(ProtocolVersion version, Magic magic, long msgSeq, long ack) {
        if (!version.supports(magic)) {
            throw new EncoderException(magic + " frames do not exist in protocol v" + version.version());
        }
        if (!version.carriesAck() && ack != 0) {
            throw new EncoderException(magic + " frame cannot carry ack " + Long.toUnsignedString(ack)
                    + " in protocol v" + version.version());
        }
        if (magic == Magic.ACK) {
            return;
        }
        int extLen = version.extLen(magic);
        if (extLen == 0 && msgSeq != 0) {
            throw new EncoderException(magic + " frame cannot carry msg_seq " + Long.toUnsignedString(msgSeq)
                    + " in protocol v" + version.version());
        }
        if (extLen != 0 && msgSeq == 0) {
            throw new EncoderException(magic + " frame needs a non-zero msg_seq in protocol v" + version.version());
        }
    }

    /** Writes a frame {@link #check} accepted. */
    private static void write(
            ProtocolVersion version,
            Magic magic,
            int msgType,
            int sysStatus,
            int status,
            int key,
            int msgNum,
            long msgSeq,
            long ack,
            byte[] payload,
            ByteBuf out) {
        int extLen = version.extLen(magic);
        if (magic == Magic.ACK) {
            out.ensureWritable(O2netMsg.HEADER_LEN + extLen);
            out.writeShort(magic.value());
            out.writeShort(0);
            out.writeShort(0);
            out.writeShort(extLen);
            out.writeZero(16);
            out.writeLong(ack);
            return;
        }
        out.ensureWritable(O2netMsg.HEADER_LEN + extLen + payload.length);
        out.writeShort(magic.value());
        out.writeShort(payload.length);
        out.writeShort(msgType);
        out.writeShort(extLen);
        out.writeInt(sysStatus);
        out.writeInt(status);
        out.writeInt(key);
        out.writeInt(msgNum);
        if (extLen != 0) {
            out.writeLong(msgSeq);
        }
        if (extLen > O2netMsg.MSG_SEQ_LEN) {
            out.writeLong(ack);
        }
        out.writeBytes(payload);
    }
}
