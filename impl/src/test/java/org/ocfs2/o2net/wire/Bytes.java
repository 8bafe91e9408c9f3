// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;

/** Test helpers for byte arrays and buffers. */
final class Bytes {
    private Bytes() {}

    /** Reads every outbound buffer of {@code ch} into one array, releasing the buffers. */
    static byte[] drainOutbound(EmbeddedChannel ch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (; ; ) {
            ByteBuf buf = ch.readOutbound();
            if (buf == null) {
                return out.toByteArray();
            }
            try {
                byte[] b = new byte[buf.readableBytes()];
                buf.readBytes(b);
                out.writeBytes(b);
            } finally {
                buf.release();
            }
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Builds a 24-byte header (plus optional 8-byte msg_seq and payload) field by field, big-endian. */
    static byte[] frame(
            int magic,
            int dataLen,
            int msgType,
            int extLen,
            int sysStatus,
            int status,
            int key,
            int msgNum,
            Long msgSeq,
            byte[] payload) {
        ByteBuf b = Unpooled.buffer();
        try {
            b.writeShort(magic).writeShort(dataLen).writeShort(msgType).writeShort(extLen);
            b.writeInt(sysStatus).writeInt(status).writeInt(key).writeInt(msgNum);
            if (msgSeq != null) {
                b.writeLong(msgSeq);
            }
            b.writeBytes(payload);
            byte[] out = new byte[b.readableBytes()];
            b.readBytes(out);
            return out;
        } finally {
            b.release();
        }
    }

    static byte[] header(int magic, int dataLen, int extLen) {
        return frame(magic, dataLen, 0, extLen, 0, 0, 0, 0, null, new byte[0]);
    }

    static byte[] encode(O2netMsg msg, ProtocolVersion version) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameEncoder(version));
        ch.writeOutbound(msg);
        byte[] b = drainOutbound(ch);
        ch.finishAndReleaseAll();
        return b;
    }

    static byte[] encode(Handshake hs) {
        EmbeddedChannel ch = new EmbeddedChannel(HandshakeEncoder.INSTANCE);
        ch.writeOutbound(hs);
        byte[] b = drainOutbound(ch);
        ch.finishAndReleaseAll();
        return b;
    }
}
