// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ocfs2.o2net.wire.ProtocolVersion.V11;
import static org.ocfs2.o2net.wire.ProtocolVersion.V12;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class FrameCodecTest {
    private static final byte[] HELLO = "HELLO".getBytes(US_ASCII);

    /** One frame of every kind the version has, with fields chosen to expose byte-order and sign mistakes. */
    static List<O2netMsg> samples(ProtocolVersion v) {
        long seq = v.reliable() ? 0x0102030405060708L : 0;
        O2netMsg req = O2netMsg.request(0x1234, 0xdeadbeef, 7, seq, HELLO);
        byte[] max = new byte[O2netMsg.MAX_PAYLOAD_BYTES];
        for (int i = 0; i < max.length; i++) {
            max[i] = (byte) i;
        }
        List<O2netMsg> list = new ArrayList<>(List.of(
                req,
                O2netMsg.request(1, 0, 0, v.reliable() ? 1 : 0, new byte[0]),
                O2netMsg.request(0xffff, 0xffffffff, 0xffffffff, v.reliable() ? -1L : 0, max),
                req.statusReply(SysStatus.NONE, -22),
                req.statusReply(SysStatus.NO_HNDLR, 0),
                req.statusReply(SysStatus.OVERFLOW, Integer.MIN_VALUE),
                req.statusReply(SysStatus.DIED, 0),
                O2netMsg.keepReq(),
                O2netMsg.keepResp()));
        if (v == V12) {
            list.add(req.removeRequest());
            list.add(req.removeRequest().removedReply());
        }
        if (v == ProtocolVersion.V13) {
            list.add(req.withAck(0x1112131415161718L));
            list.add(req.statusReply(SysStatus.NONE, 5).withAck(-1L));
            list.add(O2netMsg.ackFrame(0x2122232425262728L));
            list.add(O2netMsg.ackFrame(0));
        }
        return list;
    }

    private static EmbeddedChannel decoder(ProtocolVersion v) {
        return new EmbeddedChannel(new FrameDecoder(v), DecoderErrorHandler.INSTANCE);
    }

    private static List<O2netMsg> readAll(EmbeddedChannel ch) {
        List<O2netMsg> out = new ArrayList<>();
        for (O2netMsg m; (m = ch.readInbound()) != null; ) {
            out.add(m);
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void roundTripsEveryFrameKind(ProtocolVersion v) {
        for (O2netMsg msg : samples(v)) {
            byte[] wire = Bytes.encode(msg, v);
            assertEquals(msg.frameLength(v), wire.length, msg.toString());
            EmbeddedChannel ch = decoder(v);
            ByteBuf in = Unpooled.wrappedBuffer(wire);
            ch.writeInbound(in);
            assertEquals(List.of(msg), readAll(ch), msg.toString());
            assertEquals(0, in.refCnt());
            assertFalse(ch.finishAndReleaseAll());
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void decodesManyFramesFromOneBuffer(ProtocolVersion v) {
        List<O2netMsg> msgs = samples(v);
        byte[] all = new byte[0];
        for (O2netMsg m : msgs) {
            all = Bytes.concat(all, Bytes.encode(m, v));
        }
        EmbeddedChannel ch = decoder(v);
        ch.writeInbound(Unpooled.wrappedBuffer(all));
        assertEquals(msgs, readAll(ch));
        assertFalse(ch.finishAndReleaseAll());
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void decodesOneByteAtATime(ProtocolVersion v) {
        List<O2netMsg> msgs = samples(v);
        EmbeddedChannel ch = decoder(v);
        List<O2netMsg> got = new ArrayList<>();
        for (O2netMsg m : msgs) {
            byte[] wire = Bytes.encode(m, v);
            for (int i = 0; i < wire.length; i++) {
                ch.writeInbound(Unpooled.wrappedBuffer(wire, i, 1));
                O2netMsg out = ch.readInbound();
                if (i < wire.length - 1) {
                    assertNull(out, "frame emitted after " + (i + 1) + " of " + wire.length + " bytes");
                } else {
                    got.add(out);
                }
            }
        }
        assertEquals(msgs, got);
        assertFalse(ch.finishAndReleaseAll());
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void truncatedFrameGivesNoOutputUntilComplete(ProtocolVersion v) {
        O2netMsg msg = O2netMsg.request(3, 4, 5, v.reliable() ? 6 : 0, HELLO);
        byte[] wire = Bytes.encode(msg, v);
        for (int cut : new int[] {1, 23, 24, wire.length - 1}) {
            EmbeddedChannel ch = decoder(v);
            assertFalse(ch.writeInbound(Unpooled.wrappedBuffer(wire, 0, cut)));
            assertTrue(ch.isOpen());
            ch.writeInbound(Unpooled.wrappedBuffer(wire, cut, wire.length - cut));
            assertEquals(List.of(msg), readAll(ch));
            assertFalse(ch.finishAndReleaseAll());
        }
    }

    @Test
    void truncatedFrameAtCloseIsDroppedAndReleased() {
        byte[] wire = Bytes.encode(O2netMsg.request(3, 4, 5, 6, HELLO), V12);
        EmbeddedChannel ch = decoder(V12);
        ByteBuf in = Unpooled.wrappedBuffer(wire, 0, wire.length - 1);
        ch.writeInbound(in);
        assertFalse(ch.finishAndReleaseAll());
        assertEquals(0, in.refCnt());
    }

    @Test
    void v11RequestLayoutMatchesKernelStruct() {
        O2netMsg msg = O2netMsg.request(0x0102, 0x0a0b0c0d, 0x11121314, 0, HELLO);
        byte[] expected = {
            (byte) 0xfa,
            0x55, // 0  magic
            0x00,
            0x05, // 2  data_len
            0x01,
            0x02, // 4  msg_type
            0x00,
            0x00, // 6  pad1
            0x00,
            0x00,
            0x00,
            0x00, // 8  sys_status
            0x00,
            0x00,
            0x00,
            0x00, // 12 status
            0x0a,
            0x0b,
            0x0c,
            0x0d, // 16 key
            0x11,
            0x12,
            0x13,
            0x14, // 20 msg_num
            'H',
            'E',
            'L',
            'L',
            'O' // 24 payload
        };
        assertArrayEquals(expected, Bytes.encode(msg, V11));
        assertDecodes(V11, expected, msg);
    }

    @Test
    void v12RequestLayoutHasExtLenAndMsgSeq() {
        O2netMsg msg = O2netMsg.request(0x0102, 0x0a0b0c0d, 0x11121314, 0x2122232425262728L, HELLO);
        byte[] expected = {
            (byte) 0xfa,
            0x55, // 0  magic
            0x00,
            0x05, // 2  data_len: payload only
            0x01,
            0x02, // 4  msg_type
            0x00,
            0x08, // 6  ext_len
            0x00,
            0x00,
            0x00,
            0x00, // 8  sys_status
            0x00,
            0x00,
            0x00,
            0x00, // 12 status
            0x0a,
            0x0b,
            0x0c,
            0x0d, // 16 key
            0x11,
            0x12,
            0x13,
            0x14, // 20 msg_num
            0x21,
            0x22,
            0x23,
            0x24,
            0x25,
            0x26,
            0x27,
            0x28, // 24 msg_seq
            'H',
            'E',
            'L',
            'L',
            'O' // 32 payload
        };
        assertArrayEquals(expected, Bytes.encode(msg, V12));
        assertDecodes(V12, expected, msg);
    }

    @Test
    void v11StatusReplyLayoutKeepsRequestFields() {
        O2netMsg reply =
                O2netMsg.request(0x0102, 0x0a0b0c0d, 0x11121314, 0, HELLO).statusReply(SysStatus.OVERFLOW, -75);
        byte[] expected = {
            (byte) 0xfa,
            0x56, // magic STATUS
            0x00,
            0x00, // data_len 0
            0x01,
            0x02, // msg_type of the request
            0x00,
            0x00, // pad1
            0x00,
            0x00,
            0x00,
            0x02, // sys_status O2NET_ERR_OVERFLOW
            (byte) 0xff,
            (byte) 0xff,
            (byte) 0xff,
            (byte) 0xb5, // status -75
            0x0a,
            0x0b,
            0x0c,
            0x0d, // key of the request
            0x11,
            0x12,
            0x13,
            0x14 // msg_num of the request
        };
        assertArrayEquals(expected, Bytes.encode(reply, V11));
        assertDecodes(V11, expected, reply);
    }

    @Test
    void v12StatusAndRemoveFramesCarryTheMessageSeq() {
        O2netMsg req = O2netMsg.request(9, 10, 11, 12, HELLO);
        assertArrayEquals(
                Bytes.frame(0xfa56, 0, 9, 8, 0, 33, 10, 11, 12L, new byte[0]),
                Bytes.encode(req.statusReply(SysStatus.NONE, 33), V12));
        assertArrayEquals(
                Bytes.frame(0xfa59, 0, 9, 8, 0, 0, 10, 11, 12L, new byte[0]), Bytes.encode(req.removeRequest(), V12));
        assertArrayEquals(
                Bytes.frame(0xfa5a, 0, 9, 8, 0, 0, 10, 11, 12L, new byte[0]),
                Bytes.encode(req.removeRequest().removedReply(), V12));
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void keepalivesAreBareZeroHeaders(ProtocolVersion v) {
        byte[] req = new byte[24];
        req[0] = (byte) 0xfa;
        req[1] = 0x57;
        byte[] resp = req.clone();
        resp[1] = 0x58;
        assertArrayEquals(req, Bytes.encode(O2netMsg.keepReq(), v));
        assertArrayEquals(resp, Bytes.encode(O2netMsg.keepResp(), v));
        assertDecodes(v, req, O2netMsg.keepReq());
        assertDecodes(v, resp, O2netMsg.keepResp());
    }

    private static void assertDecodes(ProtocolVersion v, byte[] wire, O2netMsg expected) {
        EmbeddedChannel ch = decoder(v);
        ch.writeInbound(Unpooled.wrappedBuffer(wire));
        assertEquals(List.of(expected), readAll(ch));
        assertFalse(ch.finishAndReleaseAll());
    }

    // ---- framing errors ----

    /** Feeds {@code wire} to a decoder and checks the typed error, the closed channel and the released input. */
    private static <T extends DecoderException> T assertFramingError(ProtocolVersion v, byte[] wire, Class<T> type) {
        EmbeddedChannel ch = decoder(v);
        ByteBuf in = Unpooled.wrappedBuffer(wire);
        T e = assertThrows(type, () -> ch.writeInbound(in));
        assertFalse(ch.isOpen(), "channel still open after " + e);
        assertEquals(0, in.refCnt());
        assertNull(ch.readInbound());
        assertFalse(ch.finishAndReleaseAll());
        return e;
    }

    @ParameterizedTest
    @ValueSource(ints = {4073, 4096, 65535})
    void oversizedDataLenIsRejectedFromTheHeaderAlone(int dataLen) {
        for (ProtocolVersion v : ProtocolVersion.values()) {
            byte[] header = Bytes.header(0xfa55, dataLen, v.extLen(Magic.MSG));
            PayloadTooLongException e = assertFramingError(v, header, PayloadTooLongException.class);
            assertEquals(dataLen, e.dataLen());
            assertTrue(e.getMessage().contains("data_len " + dataLen), e.getMessage());
            assertTrue(e.getMessage().contains("4072"), e.getMessage());
        }
    }

    @Test
    void maximumDataLenIsAccepted() {
        O2netMsg msg = O2netMsg.request(1, 2, 3, 4, new byte[4072]);
        assertDecodes(V12, Bytes.encode(msg, V12), msg);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x0000, 0xfa54, 0xfa5c, 0x55fa, 0xffff})
    void unknownMagicIsRejected(int magic) {
        for (ProtocolVersion v : ProtocolVersion.values()) {
            BadMagicException e = assertFramingError(v, Bytes.header(magic, 0, 0), BadMagicException.class);
            assertEquals(magic, e.magic());
            assertEquals(v, e.version());
            assertTrue(e.getMessage().contains(String.format("0x%04x", magic)), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0xfa59, 0xfa5a})
    void theRfcsRemovalMagicsAreUnknownInV13(int magic) {
        BadMagicException e =
                assertFramingError(ProtocolVersion.V13, Bytes.header(magic, 0, 8), BadMagicException.class);
        assertEquals(ProtocolVersion.V13, e.version());
    }

    @Test
    void theAckMagicIsUnknownInV11AndV12() {
        for (ProtocolVersion v : new ProtocolVersion[] {V11, V12}) {
            assertEquals(
                    v,
                    assertFramingError(v, Bytes.header(0xfa5b, 0, 8), BadMagicException.class)
                            .version());
        }
    }

    @Test
    void v13LayoutIsMsgSeqThenAckAfterTheHeader() {
        O2netMsg m = O2netMsg.request(0x42, 0x1234, 7, 3, HELLO).withAck(2);
        ByteBuf b = Unpooled.buffer();
        FrameEncoder.encode(m, ProtocolVersion.V13, b);
        assertEquals(24 + 16 + 5, b.readableBytes());
        assertEquals(16, b.getUnsignedShort(6), "ext_len");
        assertEquals(3, b.getLong(24), "msg_seq");
        assertEquals(2, b.getLong(32), "ack");
        ByteBuf a = Unpooled.buffer();
        FrameEncoder.encode(O2netMsg.ackFrame(9), ProtocolVersion.V13, a);
        assertEquals(32, a.readableBytes());
        assertEquals(0xfa5b, a.getUnsignedShort(0));
        assertEquals(8, a.getUnsignedShort(6));
        assertEquals(9, a.getLong(24));
        b.release();
        a.release();
    }

    @Test
    void anAckCannotBeWrittenInV12() {
        O2netMsg m = O2netMsg.request(1, 1, 1, 1, HELLO).withAck(1);
        ByteBuf b = Unpooled.buffer();
        assertThrows(EncoderException.class, () -> FrameEncoder.encode(m, V12, b));
        assertEquals(0, b.readableBytes());
        b.release();
    }

    @ParameterizedTest
    @ValueSource(ints = {0xfa59, 0xfa5a})
    void reliableMagicsAreUnknownInV11(int magic) {
        BadMagicException e = assertFramingError(V11, Bytes.header(magic, 0, 0), BadMagicException.class);
        assertTrue(e.getMessage().contains("v11"), e.getMessage());
    }

    @Test
    void garbageBytesAreAFramingError() {
        byte[] http = "GET / HTTP/1.1\r\nHost: node1\r\n\r\n".getBytes(US_ASCII);
        // "GE" is the magic, "T " = 0x5420 the data_len: too long, and checked first, as in the kernel
        assertFramingError(V11, http, PayloadTooLongException.class);
        byte[] small = Bytes.concat(new byte[] {'o', 'k', 0, 1}, new byte[28]);
        assertFramingError(V12, small, BadMagicException.class);
    }

    @Test
    void v11PadMustBeZero() {
        BadExtensionException e = assertFramingError(V11, Bytes.header(0xfa55, 0, 8), BadExtensionException.class);
        assertEquals(8, e.extLen());
        assertEquals(Magic.MSG, e.magic());
        assertTrue(e.getMessage().contains("pad1 8"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 4, 7, 9, 16, 0xffff})
    void v12SequencedFramesNeedExtLenEight(int extLen) {
        for (int magic : new int[] {0xfa55, 0xfa56, 0xfa59, 0xfa5a}) {
            BadExtensionException e =
                    assertFramingError(V12, Bytes.header(magic, 0, extLen), BadExtensionException.class);
            assertEquals(extLen, e.extLen());
            assertTrue(
                    e.getMessage().contains("ext_len " + extLen)
                            && e.getMessage().contains("expected 8"),
                    e.getMessage());
        }
    }

    @Test
    void v12KeepalivesNeedExtLenZero() {
        for (int magic : new int[] {0xfa57, 0xfa58}) {
            BadExtensionException e = assertFramingError(V12, Bytes.header(magic, 0, 8), BadExtensionException.class);
            assertTrue(e.getMessage().contains("expected 0"), e.getMessage());
        }
    }

    @Test
    void v12MsgSeqZeroIsRejected() {
        byte[] wire = Bytes.frame(0xfa55, 0, 1, 8, 0, 0, 2, 3, 0L, new byte[0]);
        BadExtensionException e = assertFramingError(V12, wire, BadExtensionException.class);
        assertTrue(e.getMessage().contains("msg_seq 0"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = Magic.class, names = "MSG", mode = EnumSource.Mode.EXCLUDE)
    void payloadOnKindsWithoutPayloadIsRejected(Magic magic) {
        for (ProtocolVersion v : ProtocolVersion.values()) {
            if (!v.supports(magic)) {
                continue;
            }
            byte[] wire = Bytes.concat(Bytes.header(magic.value(), 3, v.extLen(magic)), new byte[11]);
            UnexpectedPayloadException e = assertFramingError(v, wire, UnexpectedPayloadException.class);
            assertEquals(magic, e.magic());
            assertEquals(3, e.dataLen());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 5, -1})
    void statusWithUnknownSysStatusIsRejected(int sysStatus) {
        byte[] wire = Bytes.frame(0xfa56, 0, 1, 0, sysStatus, 0, 2, 3, null, new byte[0]);
        BadSysStatusException e = assertFramingError(V11, wire, BadSysStatusException.class);
        assertEquals(sysStatus, e.sysStatus());
        assertTrue(e.getMessage().contains(Integer.toUnsignedString(sysStatus)), e.getMessage());
    }

    @Test
    void errorIsThrownOnceAndLaterInputIsDiscarded() {
        // no DecoderErrorHandler: the channel stays open, so the decoder's own state is what is tested
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(V12));
        byte[] good = Bytes.encode(O2netMsg.request(1, 2, 3, 4, HELLO), V12);
        byte[] bad = Bytes.header(0xbeef, 0, 0);
        assertThrows(
                BadMagicException.class, () -> ch.writeInbound(Unpooled.wrappedBuffer(Bytes.concat(good, bad, good))));
        assertEquals(1, readAll(ch).size(), "only the frame before the error");
        assertTrue(((FrameDecoder) ch.pipeline().first()).isFailed());
        ch.writeInbound(Unpooled.wrappedBuffer(good));
        ch.writeInbound(Unpooled.wrappedBuffer(bad));
        assertNull(ch.readInbound());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void freshDecoderIsNotAffectedByAnotherChannelsError() {
        assertFramingError(V12, Bytes.header(0xbeef, 0, 0), BadMagicException.class);
        byte[] good = Bytes.encode(O2netMsg.request(1, 2, 3, 4, HELLO), V12);
        assertDecodes(V12, good, O2netMsg.request(1, 2, 3, 4, HELLO));
    }

    @Test
    void errorHandlerPassesTheExceptionOnAndLeavesOthersAlone() {
        EmbeddedChannel ch = new EmbeddedChannel(DecoderErrorHandler.INSTANCE);
        IllegalStateException other = new IllegalStateException("not a decoder error");
        ch.pipeline().fireExceptionCaught(other);
        assertThrows(IllegalStateException.class, ch::checkException);
        assertTrue(ch.isOpen());
        ch.pipeline().fireExceptionCaught(new DecoderException("bad"));
        assertThrows(DecoderException.class, ch::checkException);
        assertFalse(ch.isOpen());
        assertFalse(ch.finishAndReleaseAll());
    }

    // ---- encoder errors ----

    @Test
    void v11EncoderRefusesWhatV11CannotCarry() {
        O2netMsg seqReq = O2netMsg.request(1, 2, 3, 4, HELLO);
        for (O2netMsg m : Arrays.asList(
                seqReq, seqReq.removeRequest(), seqReq.removeRequest().removedReply())) {
            EmbeddedChannel ch = new EmbeddedChannel(new FrameEncoder(V11));
            EncoderException e = assertThrows(EncoderException.class, () -> ch.writeOutbound(m));
            assertTrue(e.getMessage().contains("v11"), e.getMessage());
            assertNull(ch.readOutbound());
            assertFalse(ch.finishAndReleaseAll());
        }
    }

    @Test
    void v12EncoderRefusesSequencedFramesWithoutSeq() {
        O2netMsg noSeq = O2netMsg.request(1, 2, 3, 0, HELLO);
        for (O2netMsg m : Arrays.asList(noSeq, noSeq.statusReply(SysStatus.NONE, 0), noSeq.removeRequest())) {
            EmbeddedChannel ch = new EmbeddedChannel(new FrameEncoder(V12));
            EncoderException e = assertThrows(EncoderException.class, () -> ch.writeOutbound(m));
            assertTrue(e.getMessage().contains("non-zero msg_seq"), e.getMessage());
            assertNull(ch.readOutbound());
            assertFalse(ch.finishAndReleaseAll());
        }
    }

    @Test
    void encoderIsSharableAcrossChannels() {
        FrameEncoder shared = new FrameEncoder(V12);
        O2netMsg msg = O2netMsg.request(1, 2, 3, 4, HELLO);
        EmbeddedChannel a = new EmbeddedChannel(shared);
        EmbeddedChannel b = new EmbeddedChannel(shared);
        a.writeOutbound(msg);
        b.writeOutbound(msg);
        assertArrayEquals(Bytes.drainOutbound(a), Bytes.drainOutbound(b));
        assertFalse(a.finishAndReleaseAll());
        assertFalse(b.finishAndReleaseAll());
    }

    /**
     * A node writes its requests and statuses from their fields ({@code encodeRequest}, {@code encodeStatus}), with
     * no frame object: the bytes must be the frame value's, in every version, and a frame the version cannot carry
     * fails the same way.
     */
    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void encodingFromFieldsWritesTheBytesOfTheFrameValue(ProtocolVersion v) {
        long seq = v.reliable() ? 0x1_0000_0007L : 0;
        long ack = v.carriesAck() ? 5 : 0;
        byte[] payload = "HELLO".getBytes(US_ASCII);
        O2netMsg request = O2netMsg.wrapRequest(0xbeef, 0x1234, 9, seq, ack, payload);
        O2netMsg status = O2netMsg.status(0xbeef, SysStatus.NO_HNDLR.code(), -22, 0x1234, 9, seq, ack);
        CountingAllocator alloc = new CountingAllocator();
        assertArrayEquals(
                bytes(out -> FrameEncoder.encode(request, v, out)),
                drain(FrameEncoder.encodeRequest(alloc, v, 0xbeef, 0x1234, 9, seq, ack, payload)));
        assertArrayEquals(
                bytes(out -> FrameEncoder.encode(status, v, out)),
                drain(FrameEncoder.encodeStatus(
                        alloc, v, 0xbeef, SysStatus.NO_HNDLR.code(), -22, 0x1234, 9, seq, ack)));
        assertEquals(2, alloc.buffers, "one buffer per frame");
        assertEquals(request.frameLength(v), FrameEncoder.frameLength(v, Magic.MSG, payload.length));
        assertEquals(status.frameLength(v), FrameEncoder.frameLength(v, Magic.STATUS, 0));
        EncoderException e = assertThrows(
                EncoderException.class,
                () -> FrameEncoder.encodeRequest(alloc, v, 1, 2, 3, v.reliable() ? 0 : 7, 0, payload));
        assertTrue(e.getMessage().contains("msg_seq"), e.getMessage());
        assertEquals(2, alloc.buffers, "nothing is allocated");
        if (!v.carriesAck()) {
            assertThrows(EncoderException.class, () -> FrameEncoder.encodeStatus(alloc, v, 1, 0, 0, 2, 3, seq, 4));
            assertEquals(2, alloc.buffers, "nothing is allocated");
        }
    }

    /** Unpooled heap buffers, counted. */
    private static final class CountingAllocator extends io.netty.buffer.AbstractByteBufAllocator {
        int buffers;

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            buffers++;
            return Unpooled.buffer(initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return newHeapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }

    private static byte[] drain(ByteBuf buf) {
        try {
            byte[] b = new byte[buf.readableBytes()];
            buf.readBytes(b);
            return b;
        } finally {
            buf.release();
        }
    }

    private static byte[] bytes(java.util.function.Consumer<ByteBuf> encode) {
        ByteBuf out = Unpooled.buffer();
        encode.accept(out);
        return drain(out);
    }
}
