// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ocfs2.o2net.wire.HandshakeMismatchException.Field.HEARTBEAT_TIMEOUT;
import static org.ocfs2.o2net.wire.HandshakeMismatchException.Field.IDLE_TIMEOUT;
import static org.ocfs2.o2net.wire.HandshakeMismatchException.Field.INCARNATION;
import static org.ocfs2.o2net.wire.HandshakeMismatchException.Field.KEEPALIVE_DELAY;
import static org.ocfs2.o2net.wire.HandshakeMismatchException.Field.PROTOCOL_VERSION;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeCodecTest {
    private static final Handshake LOCAL_V11 = Handshake.v11(60000, 30000, 2000, 2000);
    private static final Handshake LOCAL_V12 = Handshake.v12(60000, 30000, 2000, 2000, 0x1111L);
    private static final Handshake PEER_V12 = Handshake.v12(60000, 30000, 2000, 2000, 0x2222L);

    /** The recorder of the channel most recently made by {@link #decoder(Handshake)}. */
    private Recorder recorder;

    private EmbeddedChannel decoder(Handshake local) {
        recorder = new Recorder();
        return new EmbeddedChannel(new HandshakeDecoder(local), DecoderErrorHandler.INSTANCE, recorder);
    }

    @Test
    void v11LayoutMatchesKernelStruct() {
        Handshake hs = Handshake.v11(0x01020304, 0x05060708, 0x090a0b0c, 0x0d0e0f10);
        byte[] expected = {
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            11, // 0  protocol_version
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            1, // 8  connector_id
            0x01,
            0x02,
            0x03,
            0x04, // 16 o2hb_heartbeat_timeout_ms
            0x05,
            0x06,
            0x07,
            0x08, // 20 o2net_idle_timeout_ms
            0x09,
            0x0a,
            0x0b,
            0x0c, // 24 o2net_keepalive_delay_ms
            0x0d,
            0x0e,
            0x0f,
            0x10 // 28 o2net_reconnect_delay_ms
        };
        assertArrayEquals(expected, Bytes.encode(hs));
        assertEquals(32, hs.length());
    }

    @Test
    void v12LayoutAppendsIncarnation() {
        Handshake hs = Handshake.v12(60000, 30000, 2000, 2000, 0x8877665544332211L);
        byte[] expected = {
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            12,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            1,
            0,
            0,
            (byte) 0xea,
            0x60, // 60000
            0,
            0,
            0x75,
            0x30, // 30000
            0,
            0,
            0x07,
            (byte) 0xd0, // 2000
            0,
            0,
            0x07,
            (byte) 0xd0, // 2000
            (byte) 0x88,
            0x77,
            0x66,
            0x55,
            0x44,
            0x33,
            0x22,
            0x11 // 32 incarnation
        };
        assertArrayEquals(expected, Bytes.encode(hs));
        assertEquals(40, hs.length());
    }

    @Test
    void acceptedHandshakeFiresEventAndInstallsFrameDecoder() {
        EmbeddedChannel ch = decoder(LOCAL_V12);
        ByteBuf in = Unpooled.wrappedBuffer(Bytes.encode(PEER_V12));
        ch.writeInbound(in);
        assertEquals(1, recorder.seen.size());
        HandshakeCompletionEvent evt = recorder.events().get(0);
        assertTrue(evt.isSuccess());
        assertEquals(PEER_V12, evt.peer());
        assertEquals(0x2222L, evt.peer().incarnation());
        assertNull(evt.cause());
        assertNull(ch.pipeline().get(HandshakeDecoder.class));
        FrameDecoder frames = (FrameDecoder) ch.pipeline().get(FrameDecoder.NAME);
        assertNotNull(frames);
        assertEquals(ProtocolVersion.V12, frames.version());
        assertSame(frames, ch.pipeline().first());
        assertEquals(0, in.refCnt());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void framesInTheSameBufferAsTheHandshakeAreDecodedAfterTheEvent() {
        O2netMsg req = O2netMsg.request(1, 2, 3, 4, new byte[] {9, 8, 7});
        O2netMsg keep = O2netMsg.keepReq();
        byte[] wire = Bytes.concat(
                Bytes.encode(PEER_V12),
                Bytes.encode(req, ProtocolVersion.V12),
                Bytes.encode(keep, ProtocolVersion.V12));
        EmbeddedChannel ch = decoder(LOCAL_V12);
        ch.writeInbound(Unpooled.wrappedBuffer(wire));
        assertEquals(3, recorder.seen.size());
        assertInstanceOf(HandshakeCompletionEvent.class, recorder.seen.get(0));
        assertEquals(List.of(req, keep), recorder.seen.subList(1, 3));
        assertEquals(req, ch.readInbound());
        assertEquals(keep, ch.readInbound());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void handshakeAndPartOfAFrameThenTheRest() {
        O2netMsg req = O2netMsg.request(1, 2, 3, 0, new byte[] {9, 8, 7});
        byte[] frame = Bytes.encode(req, ProtocolVersion.V11);
        EmbeddedChannel ch = decoder(LOCAL_V11);
        ch.writeInbound(Unpooled.wrappedBuffer(Bytes.concat(Bytes.encode(LOCAL_V11), frame), 0, 40));
        assertNull(ch.readInbound());
        assertEquals(1, recorder.events().size());
        ch.writeInbound(Unpooled.wrappedBuffer(frame, 8, frame.length - 8));
        assertEquals(req, ch.readInbound());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void handshakeAndFramesOneByteAtATime() {
        O2netMsg req = O2netMsg.request(1, 2, 3, 5, new byte[] {9, 8, 7});
        byte[] wire = Bytes.concat(Bytes.encode(PEER_V12), Bytes.encode(req, ProtocolVersion.V12));
        EmbeddedChannel ch = decoder(LOCAL_V12);
        for (int i = 0; i < wire.length; i++) {
            ch.writeInbound(Unpooled.wrappedBuffer(wire, i, 1));
            assertEquals(i >= 39 ? 1 : 0, recorder.events().size(), "after byte " + (i + 1));
        }
        assertEquals(req, ch.readInbound());
        assertNull(ch.readInbound());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void noEventBeforeTheWholeHandshake() {
        byte[] wire = Bytes.encode(PEER_V12);
        EmbeddedChannel ch = decoder(LOCAL_V12);
        ch.writeInbound(Unpooled.wrappedBuffer(wire, 0, 39));
        assertTrue(recorder.seen.isEmpty());
        assertSame(HandshakeDecoder.class, ch.pipeline().first().getClass());
        assertFalse(ch.finishAndReleaseAll());
    }

    /** Feeds {@code wire}, expects the mismatch on {@code field}, a failure event, and a closed channel. */
    private HandshakeMismatchException assertMismatch(
            Handshake local, byte[] wire, HandshakeMismatchException.Field field) {
        EmbeddedChannel ch = decoder(local);
        ByteBuf in = Unpooled.wrappedBuffer(wire);
        HandshakeMismatchException e = assertThrows(HandshakeMismatchException.class, () -> ch.writeInbound(in));
        assertEquals(field, e.field());
        assertEquals(Errno.ENOTCONN, e.persistentError());
        assertTrue(e.getMessage().endsWith("Disconnecting."), e.getMessage());
        assertFalse(ch.isOpen());
        assertEquals(1, recorder.events().size());
        HandshakeCompletionEvent evt = recorder.events().get(0);
        assertFalse(evt.isSuccess());
        assertSame(e, evt.cause());
        assertNull(evt.peer());
        assertNull(ch.readInbound());
        assertEquals(0, in.refCnt());
        assertFalse(ch.finishAndReleaseAll());
        return e;
    }

    @Test
    void unknownVersionIsRefusedAfterEightBytes() {
        for (long version : new long[] {0, 10, 14, -1}) {
            byte[] wire = ByteBuffer.allocate(8).putLong(version).array();
            HandshakeMismatchException e = assertMismatch(LOCAL_V11, wire, PROTOCOL_VERSION);
            assertEquals(11, e.localValue());
            assertEquals(version, e.peerValue());
            assertTrue(
                    e.getMessage().contains("version " + Long.toUnsignedString(version) + " but 11 is required"),
                    e.getMessage());
        }
    }

    @Test
    void v13HandshakeCarriesTheWindowAndRoundTrips() {
        Handshake h = Handshake.v13(28000, 30000, 2000, 2000, 0x0102030405060708L, 1024);
        byte[] wire = Bytes.encode(h);
        assertEquals(48, wire.length);
        assertEquals(13, ByteBuffer.wrap(wire).getLong(0));
        assertEquals(0x0102030405060708L, ByteBuffer.wrap(wire).getLong(32));
        assertEquals(1024, ByteBuffer.wrap(wire).getInt(40));
        assertEquals(0, ByteBuffer.wrap(wire).getInt(44));
        Handshake back = Handshake.readFrom(io.netty.buffer.Unpooled.wrappedBuffer(wire), ProtocolVersion.V13);
        assertEquals(h, back);
        assertEquals(1024, back.window());
        h.verify(back);
    }

    @Test
    void aV13PeerAnnouncingAZeroWindowIsRefused() {
        Handshake ours = Handshake.v13(28000, 30000, 2000, 2000, 5, 64);
        byte[] wire = Bytes.encode(ours);
        ByteBuffer.wrap(wire).putInt(40, 0);
        Handshake peer = Handshake.readFrom(io.netty.buffer.Unpooled.wrappedBuffer(wire), ProtocolVersion.V13);
        HandshakeMismatchException e = assertThrows(HandshakeMismatchException.class, () -> ours.verify(peer));
        assertEquals(HandshakeMismatchException.Field.WINDOW, e.field());
        assertTrue(e.getMessage().contains("window of 0 messages"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Handshake.v13(28000, 30000, 2000, 2000, 5, 0));
    }

    @Test
    void v11PeerIsRefusedByV12Node() {
        HandshakeMismatchException e = assertMismatch(LOCAL_V12, Bytes.encode(LOCAL_V11), PROTOCOL_VERSION);
        assertEquals(12, e.localValue());
        assertEquals(11, e.peerValue());
    }

    @Test
    void v12PeerIsRefusedByV11Node() {
        HandshakeMismatchException e = assertMismatch(LOCAL_V11, Bytes.encode(PEER_V12), PROTOCOL_VERSION);
        assertEquals("peer advertised net protocol version 12 but 11 is required. Disconnecting.", e.getMessage());
    }

    @Test
    void idleTimeoutMismatch() {
        HandshakeMismatchException e =
                assertMismatch(LOCAL_V11, Bytes.encode(Handshake.v11(60000, 10000, 2000, 2000)), IDLE_TIMEOUT);
        assertEquals(30000, e.localValue());
        assertEquals(10000, e.peerValue());
        assertEquals(
                "peer uses a network idle timeout of 10000 ms, but we use 30000 ms locally. Disconnecting.",
                e.getMessage());
    }

    @Test
    void keepaliveDelayMismatch() {
        HandshakeMismatchException e =
                assertMismatch(LOCAL_V12, Bytes.encode(Handshake.v12(60000, 30000, 1000, 2000, 5)), KEEPALIVE_DELAY);
        assertEquals(
                "peer uses a keepalive delay of 1000 ms, but we use 2000 ms locally. Disconnecting.", e.getMessage());
        assertEquals(
                "o2net: node b (num 1) at 10.0.0.2:7777 uses a keepalive delay of 1000 ms, but we use 2000 ms "
                        + "locally. Disconnecting.",
                e.logMessage("node b (num 1) at 10.0.0.2:7777"));
    }

    @Test
    void heartbeatTimeoutMismatch() {
        HandshakeMismatchException e =
                assertMismatch(LOCAL_V11, Bytes.encode(Handshake.v11(120000, 30000, 2000, 2000)), HEARTBEAT_TIMEOUT);
        assertEquals(60000, e.localValue());
        assertEquals(120000, e.peerValue());
        assertTrue(e.getMessage().contains("heartbeat timeout of 120000 ms, but we use 60000 ms"), e.getMessage());
    }

    @Test
    void unsignedTimeoutsAreReportedUnsigned() {
        HandshakeMismatchException e =
                assertMismatch(LOCAL_V11, Bytes.encode(Handshake.v11(60000, -1, 2000, 2000)), IDLE_TIMEOUT);
        assertEquals(4294967295L, e.peerValue());
    }

    @Test
    void checksRunInKernelOrder() {
        // idle and keepalive and heartbeat all differ: idle is reported
        assertMismatch(LOCAL_V11, Bytes.encode(Handshake.v11(1, 2, 3, 2000)), IDLE_TIMEOUT);
        // keepalive and heartbeat differ: keepalive is reported
        assertMismatch(LOCAL_V11, Bytes.encode(Handshake.v11(1, 30000, 3, 2000)), KEEPALIVE_DELAY);
        // version and everything else differ: version is reported
        assertMismatch(LOCAL_V12, Bytes.encode(Handshake.v11(1, 2, 3, 4)), PROTOCOL_VERSION);
    }

    @Test
    void zeroIncarnationIsRefusedInV12() {
        byte[] wire = Bytes.encode(PEER_V12);
        for (int i = 32; i < 40; i++) {
            wire[i] = 0;
        }
        HandshakeMismatchException e = assertMismatch(LOCAL_V12, wire, INCARNATION);
        assertTrue(e.getMessage().contains("incarnation 0"), e.getMessage());
    }

    @Test
    void reconnectDelayAndConnectorIdAreNotChecked() {
        Handshake peer = Handshake.v12(60000, 30000, 2000, 9999, 7).withConnectorId(0xabcdefL);
        EmbeddedChannel ch = decoder(LOCAL_V12);
        ch.writeInbound(Unpooled.wrappedBuffer(Bytes.encode(peer)));
        HandshakeCompletionEvent evt = recorder.events().get(0);
        assertTrue(evt.isSuccess());
        assertEquals(9999, evt.peer().reconnectDelayMs());
        assertEquals(0xabcdefL, evt.peer().connectorId());
        assertNotEquals(LOCAL_V12, evt.peer());
        assertTrue(ch.isOpen());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void inputAfterAMismatchIsDiscarded() {
        // no DecoderErrorHandler: the channel stays open, so the decoder's own state is what is tested
        EmbeddedChannel ch = new EmbeddedChannel(new HandshakeDecoder(LOCAL_V11));
        byte[] bad = Bytes.encode(Handshake.v11(60000, 1, 2000, 2000));
        assertThrows(HandshakeMismatchException.class, () -> ch.writeInbound(Unpooled.wrappedBuffer(bad)));
        ch.writeInbound(Unpooled.wrappedBuffer(Bytes.encode(LOCAL_V11)));
        ch.writeInbound(Unpooled.wrappedBuffer(Bytes.encode(O2netMsg.keepReq(), ProtocolVersion.V11)));
        assertNull(ch.readInbound());
        assertNotNull(ch.pipeline().get(HandshakeDecoder.class));
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void framingErrorRightAfterTheHandshakeClosesTheChannel() {
        byte[] wire = Bytes.concat(Bytes.encode(LOCAL_V11), Bytes.header(0xfa55, 4073, 0));
        EmbeddedChannel ch = decoder(LOCAL_V11);
        assertThrows(PayloadTooLongException.class, () -> ch.writeInbound(Unpooled.wrappedBuffer(wire)));
        assertTrue(recorder.events().get(0).isSuccess());
        assertFalse(ch.isOpen());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void twoNodesTalkThroughTheWirePipeline() {
        Recorder recorderB = new Recorder();
        EmbeddedChannel a = new EmbeddedChannel();
        WirePipeline.addLast(a.pipeline(), LOCAL_V12);
        EmbeddedChannel b = new EmbeddedChannel();
        WirePipeline.addLast(b.pipeline(), PEER_V12);
        b.pipeline().addLast(recorderB);

        O2netMsg req = O2netMsg.request(77, 0xabc, 0, 1, new byte[] {1, 2, 3});
        a.writeOutbound(LOCAL_V12);
        a.writeOutbound(req);
        b.writeInbound(Unpooled.wrappedBuffer(Bytes.drainOutbound(a)));
        assertEquals(LOCAL_V12, recorderB.events().get(0).peer());
        O2netMsg got = b.readInbound();
        assertEquals(req, got);

        b.writeOutbound(PEER_V12);
        b.writeOutbound(got.statusReply(SysStatus.NONE, 5));
        a.writeInbound(Unpooled.wrappedBuffer(Bytes.drainOutbound(b)));
        O2netMsg reply = a.readInbound();
        assertEquals(Magic.STATUS, reply.magic());
        assertEquals(5, reply.status());
        assertEquals(req.msgNum(), reply.msgNum());
        assertEquals(req.msgSeq(), reply.msgSeq());
        assertFalse(a.finishAndReleaseAll());
        assertFalse(b.finishAndReleaseAll());
    }

    @Test
    void incarnationsAreNonZeroAndVary() {
        long first = Handshake.newIncarnation();
        assertNotEquals(0, first);
        boolean varied = false;
        for (int i = 0; i < 8 && !varied; i++) {
            long next = Handshake.newIncarnation();
            assertNotEquals(0, next);
            varied = next != first;
        }
        assertTrue(varied, "8 draws all equal to " + first);
    }

    @Test
    void v12HandshakeNeedsNonZeroIncarnation() {
        assertThrows(IllegalArgumentException.class, () -> Handshake.v12(1, 2, 3, 4, 0));
    }
}
