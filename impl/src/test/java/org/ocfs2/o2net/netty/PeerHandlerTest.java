// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ocfs2.o2net.config.ClusterConfig;
import org.ocfs2.o2net.core.ProtocolException;
import org.ocfs2.o2net.wire.Frame;
import org.ocfs2.o2net.wire.FrameView;
import org.ocfs2.o2net.wire.Handshake;
import org.ocfs2.o2net.wire.HandshakeMismatchException;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.ProtocolVersion;

/** A whole connection pipeline ({@link Pipelines}) on an {@link EmbeddedChannel}, with a recording listener. */
class PeerHandlerTest {
    private static final String PEER = "node b (num 2) at 127.0.0.2:7777";

    private final ClusterConfig config = Wire.config(1);
    private final List<String> events = new ArrayList<>();
    private boolean throwOnFrame;
    private EmbeddedChannel ch;

    private final PeerHandler.Listener listener = new PeerHandler.Listener() {
        @Override
        public void handshake(Channel c, Handshake peer) {
            events.add("handshake " + Long.toHexString(peer.incarnation()));
        }

        @Override
        public void handshakeFailed(Channel c, HandshakeMismatchException cause) {
            events.add("mismatch " + cause.field());
        }

        @Override
        public void frame(Channel c, Frame frame) {
            if (throwOnFrame) {
                throw new ProtocolException("MH_REMOVED for msg_seq 9 from node 2, which is not held");
            }
            events.add("frame " + frame);
        }

        @Override
        public void closed(Channel c) {
            events.add("closed");
        }
    };

    private EmbeddedChannel open() {
        return open(FaultInjector.NONE);
    }

    private EmbeddedChannel open(FaultInjector injector) {
        ch = new EmbeddedChannel(Pipelines.initializer(
                new Pipelines.Spec(config, Wire.handshake(config), 2, PEER, injector, null, listener)));
        return ch;
    }

    @AfterEach
    void tearDown() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void aPipelineWithoutAFaultInjectorHasNoFaultHandler() {
        open();
        assertNull(
                ch.pipeline().get(FaultHandler.class),
                "production pipeline: " + ch.pipeline().names());
        assertNull(ch.pipeline().get(FaultHandler.NAME));
        assertNotNull(ch.pipeline().get(PeerHandler.class), "the pipeline was built");
    }

    @Test
    void aPipelineWithAFaultInjectorHasItsFaultHandlerBeforeTheKeepaliveHandler() {
        open((node, peer, direction, frame) -> FaultInjector.Verdict.PASS);
        List<String> names = ch.pipeline().names();
        assertNotNull(ch.pipeline().get(FaultHandler.class), names.toString());
        assertTrue(names.indexOf(FaultHandler.NAME) < names.indexOf(KeepaliveHandler.NAME), names.toString());
    }

    @Test
    void writesItsHandshakeFirstAndPassesTheConnectionsEvents() {
        open();
        List<byte[]> out = Wire.outbound(ch);
        assertEquals(1, out.size());
        assertEquals(Handshake.V12_LENGTH, out.get(0).length);
        O2netMsg msg = O2netMsg.request(7, 0x1234, 3, 1, new byte[] {42});
        ch.writeInbound(Unpooled.wrappedBuffer(
                Wire.bytes(Wire.handshake(Wire.config(2))), Wire.bytes(msg, ProtocolVersion.V12)));
        assertEquals(List.of("handshake " + Long.toHexString(Wire.INCARNATION), "frame " + msg), events);
        ch.close();
        assertEquals("closed", events.get(events.size() - 1));
    }

    /**
     * A production pipeline decodes into views whose payload is a slice of the bytes received: a payload the listener
     * does not take (here: none takes it) goes back when its frame is handled, the keepalive handler's frames too, and
     * nothing of the received buffer stays held. With a fault injector the listener gets values.
     */
    @Test
    void aPayloadTheListenerDoesNotTakeIsReleasedWhenItsFrameIsHandled() {
        open();
        List<Frame> got = new ArrayList<>();
        ch.pipeline().addBefore(PeerHandler.NAME, "spy", new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object m) {
                got.add((Frame) m);
                ctx.fireChannelRead(m);
            }
        });
        O2netMsg msg = O2netMsg.request(7, 0x1234, 3, 1, new byte[] {42, 43});
        io.netty.buffer.ByteBuf in = io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer();
        in.writeBytes(Wire.bytes(Wire.handshake(Wire.config(2))))
                .writeBytes(Wire.bytes(msg, ProtocolVersion.V12))
                .writeBytes(Wire.bytes(O2netMsg.keepReq(), ProtocolVersion.V12))
                .writeBytes(Wire.bytes(msg.withMsgSeq(2), ProtocolVersion.V12));
        ch.writeInbound(in);
        assertEquals(
                List.of(
                        "handshake " + Long.toHexString(Wire.INCARNATION),
                        "frame " + msg,
                        "frame " + msg.withMsgSeq(2)),
                events);
        assertEquals(2, got.size());
        assertTrue(
                got.get(0) instanceof FrameView,
                "a production pipeline reads views: " + got.get(0).getClass());
        assertEquals(0, in.refCnt(), "every payload went back");

        ch.finishAndReleaseAll();
        events.clear();
        open((node, peer, direction, frame) -> FaultInjector.Verdict.PASS);
        ch.writeInbound(Unpooled.wrappedBuffer(
                Wire.bytes(Wire.handshake(Wire.config(2))), Wire.bytes(msg, ProtocolVersion.V12)));
        assertEquals(List.of("handshake " + Long.toHexString(Wire.INCARNATION), "frame " + msg), events);
    }

    @Test
    void framingGarbageClosesTheConnectionWithAPreciseLog() {
        try (LogCapture log = new LogCapture()) {
            open();
            ch.writeInbound(Wire.bytes(Wire.handshake(Wire.config(2))));
            byte[] garbage = new byte[24];
            garbage[0] = (byte) 0xde;
            garbage[1] = (byte) 0xad;
            ch.writeInbound(Unpooled.wrappedBuffer(garbage));
            assertFalse(ch.isOpen());
            assertTrue(
                    log.contains("ERROR PeerHandler - o2net: Closing connection to " + PEER
                            + ": framing error: unknown magic 0xdead in protocol v12"),
                    log::text);
            assertEquals(List.of("handshake " + Long.toHexString(Wire.INCARNATION), "closed"), events);
        }
    }

    @Test
    void oversizedDataLenClosesTheConnection() {
        try (LogCapture log = new LogCapture()) {
            open();
            ch.writeInbound(Wire.bytes(Wire.handshake(Wire.config(2))));
            byte[] header = new byte[24];
            header[0] = (byte) 0xfa;
            header[1] = 0x55;
            header[2] = (byte) 0xff; // data_len 0xff00 > 4072
            ch.writeInbound(Unpooled.wrappedBuffer(header));
            assertFalse(ch.isOpen());
            assertTrue(
                    log.contains("o2net: Closing connection to " + PEER + ": framing error: frame with magic 0xfa55"
                            + " has data_len 65280"),
                    log::text);
        }
    }

    @Test
    void handshakeMismatchGoesToTheListenerAndClosesWithoutAFramingError() {
        try (LogCapture log = new LogCapture()) {
            open();
            ClusterConfig other =
                    Wire.config(2).toBuilder().idleTimeoutMs(Wire.IDLE_MS + 1).build();
            ch.writeInbound(Wire.bytes(Wire.handshake(other)));
            assertFalse(ch.isOpen());
            assertEquals(List.of("mismatch IDLE_TIMEOUT", "closed"), events);
            assertFalse(log.contains("framing error"), log::text);
        }
    }

    @Test
    void protocolErrorClosesTheConnection() {
        try (LogCapture log = new LogCapture()) {
            open();
            throwOnFrame = true;
            ch.writeInbound(Unpooled.wrappedBuffer(
                    Wire.bytes(Wire.handshake(Wire.config(2))),
                    Wire.bytes(O2netMsg.request(7, 1, 0, 5, new byte[0]), ProtocolVersion.V12)));
            assertFalse(ch.isOpen());
            assertTrue(
                    log.contains("ERROR PeerHandler - o2net: Closing connection to " + PEER + ": protocol error: "
                            + "MH_REMOVED for msg_seq 9 from node 2, which is not held"),
                    log::text);
        }
    }
}
