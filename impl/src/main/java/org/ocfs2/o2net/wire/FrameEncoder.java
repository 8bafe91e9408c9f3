// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
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
        Magic magic = msg.magic();
        if (!version.supports(magic)) {
            throw new EncoderException(magic + " frames do not exist in protocol v" + version.version());
        }
        int extLen = version.extLen(magic);
        if (!version.carriesAck() && msg.ack() != 0) {
            throw new EncoderException(magic + " frame cannot carry ack " + Long.toUnsignedString(msg.ack())
                    + " in protocol v" + version.version());
        }
        if (magic == Magic.ACK) {
            out.ensureWritable(O2netMsg.HEADER_LEN + extLen);
            out.writeShort(magic.value());
            out.writeShort(0);
            out.writeShort(0);
            out.writeShort(extLen);
            out.writeZero(16);
            out.writeLong(msg.ack());
            return;
        }
        if (extLen == 0 && msg.msgSeq() != 0) {
            throw new EncoderException(magic + " frame cannot carry msg_seq " + Long.toUnsignedString(msg.msgSeq())
                    + " in protocol v" + version.version());
        }
        if (extLen != 0 && msg.msgSeq() == 0) {
            throw new EncoderException(magic + " frame needs a non-zero msg_seq in protocol v" + version.version());
        }
        out.ensureWritable(O2netMsg.HEADER_LEN + extLen + msg.dataLen());
        out.writeShort(magic.value());
        out.writeShort(msg.dataLen());
        out.writeShort(msg.msgType());
        out.writeShort(extLen);
        out.writeInt(msg.sysStatus());
        out.writeInt(msg.status());
        out.writeInt(msg.key());
        out.writeInt(msg.msgNum());
        if (extLen != 0) {
            out.writeLong(msg.msgSeq());
        }
        if (extLen > O2netMsg.MSG_SEQ_LEN) {
            out.writeLong(msg.ack());
        }
        out.writeBytes(msg.payloadArray());
    }
}
