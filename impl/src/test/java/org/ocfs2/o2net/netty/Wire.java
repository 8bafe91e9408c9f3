// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.ocfs2.o2net.config.ClusterConfig;
import org.ocfs2.o2net.config.Node;
import org.ocfs2.o2net.wire.FrameEncoder;
import org.ocfs2.o2net.wire.Handshake;
import org.ocfs2.o2net.wire.Magic;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.ProtocolVersion;

/** Test helpers: bytes a peer would send, and what a channel wrote. */
final class Wire {
    static final int KEEPALIVE_MS = 1000;
    static final int IDLE_MS = 3000;
    static final long INCARNATION = 0x1234_5678_9abcL;

    private Wire() {}

    /** A two-node cluster as node {@code local} sees it: node 1 at 127.0.0.1:7777, node 2 at 127.0.0.2:7777. */
    static ClusterConfig config(int local) {
        return ClusterConfig.newBuilder()
                .name("test")
                .addNode(1, "a", "127.0.0.1", 7777)
                .addNode(2, "b", "127.0.0.2", 7777)
                .localNode(local)
                .keepaliveDelayMs(KEEPALIVE_MS)
                .idleTimeoutMs(IDLE_MS)
                .allowShortTimeouts()
                .build();
    }

    static Node peerOf(ClusterConfig c) {
        return c.peers().get(0);
    }

    static Handshake handshake(ClusterConfig c) {
        return Handshake.of(c, INCARNATION);
    }

    static ByteBuf bytes(Handshake hs) {
        ByteBuf b = Unpooled.buffer(hs.length());
        hs.writeTo(b);
        return b;
    }

    static ByteBuf bytes(O2netMsg msg, ProtocolVersion v) {
        ByteBuf b = Unpooled.buffer();
        FrameEncoder.encode(msg, v, b);
        return b;
    }

    /** Drains what the channel wrote, one entry per write, releasing the buffers. */
    static List<byte[]> outbound(EmbeddedChannel ch) {
        List<byte[]> out = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            try {
                byte[] a = new byte[b.readableBytes()];
                b.readBytes(a);
                out.add(a);
            } finally {
                b.release();
            }
        }
        return out;
    }

    /** The frame kinds among {@code writes}, skipping handshakes (whose first bytes are a be64 version). */
    static List<Magic> magics(List<byte[]> writes) {
        List<Magic> ms = new ArrayList<>();
        for (byte[] w : writes) {
            if (w.length >= 24) {
                Magic m = Magic.find(((w[0] & 0xff) << 8) | (w[1] & 0xff));
                if (m != null) {
                    ms.add(m);
                }
            }
        }
        return ms;
    }
}
