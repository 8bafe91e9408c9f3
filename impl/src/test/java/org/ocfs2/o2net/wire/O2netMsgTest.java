// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class O2netMsgTest {
    private static final byte[] DATA = {1, 2, 3};

    @Test
    void payloadIntReadsBigEndianInPlaceAndChecksBounds() {
        O2netMsg m = O2netMsg.request(3, 4, 5, 6, new byte[] {(byte) 0x80, 1, 2, 3, (byte) 0xff});
        assertEquals(0x80010203, m.payloadInt(0));
        assertEquals(0x010203ff, m.payloadInt(1));
        assertThrows(IndexOutOfBoundsException.class, () -> m.payloadInt(2));
        assertThrows(IndexOutOfBoundsException.class, () -> m.payloadInt(-1));
    }

    @Test
    void wrapRequestTakesTheCallersArrayAndTheAck() {
        byte[] payload = {9, 8, 7, 6};
        O2netMsg m = O2netMsg.wrapRequest(3, 4, 5, 6, 41, payload);
        assertEquals(Magic.MSG, m.magic());
        assertEquals(41, m.ack());
        assertEquals(0x09080706, m.payloadInt(0));
        payload[0] = 1; // the frame is the caller's array: what the send contract asks the caller not to do
        assertEquals(0x01080706, m.payloadInt(0), "not a copy");
        assertEquals(m.withAck(7), O2netMsg.request(3, 4, 5, 6, payload).withAck(7));
        assertThrows(IllegalArgumentException.class, () -> O2netMsg.wrapRequest(3, 4, 5, 6, 0, new byte[4073]));
    }

    @Test
    void statusReplyWithAckIsTheStampedStatusReply() {
        O2netMsg req = O2netMsg.request(3, 4, 5, 6, DATA);
        O2netMsg stamped = req.statusReply(SysStatus.NONE, -17, 5);
        assertEquals(req.statusReply(SysStatus.NONE, -17).withAck(5), stamped);
        assertEquals(Magic.STATUS, stamped.magic());
        assertEquals(5, stamped.ack());
        assertEquals(0, stamped.dataLen());
        assertThrows(IllegalStateException.class, () -> stamped.statusReply(SysStatus.NONE, 0, 5));
    }

    @Test
    void constantsMatchTheKernel() {
        assertEquals(24, O2netMsg.HEADER_LEN);
        assertEquals(4072, O2netMsg.MAX_PAYLOAD_BYTES);
        assertEquals(24 + 16 + 4072, O2netMsg.MAX_FRAME_LEN, "a v13 MSG with a full payload");
        assertEquals(0xfa55, Magic.MSG.value());
        assertEquals(0xfa56, Magic.STATUS.value());
        assertEquals(0xfa57, Magic.KEEP_REQ.value());
        assertEquals(0xfa58, Magic.KEEP_RESP.value());
        assertEquals(0xfa59, Magic.MH_REMOVE.value());
        assertEquals(0xfa5a, Magic.MH_REMOVED.value());
        for (Magic m : Magic.values()) {
            assertEquals(m, Magic.find(m.value()));
        }
        assertEquals(0xfa5b, Magic.ACK.value());
        assertEquals(null, Magic.find(0xfa5c));
    }

    @Test
    void extensionLengthsPerVersion() {
        for (Magic m : Magic.values()) {
            assertEquals(0, ProtocolVersion.V11.extLen(m));
            assertEquals(
                    m == Magic.KEEP_REQ || m == Magic.KEEP_RESP || m == Magic.ACK ? 0 : 8,
                    ProtocolVersion.V12.extLen(m),
                    m.name());
            assertEquals(
                    m == Magic.MSG || m == Magic.STATUS ? 16 : m == Magic.ACK ? 8 : 0,
                    ProtocolVersion.V13.extLen(m),
                    m.name());
            assertEquals(!m.isReliableOnly(), ProtocolVersion.V11.supports(m));
            assertEquals(m != Magic.ACK, ProtocolVersion.V12.supports(m));
            assertEquals(m != Magic.MH_REMOVE && m != Magic.MH_REMOVED, ProtocolVersion.V13.supports(m));
        }
        assertEquals(ProtocolVersion.V12, ProtocolVersion.of(true));
        assertEquals(ProtocolVersion.V11, ProtocolVersion.of(false));
        assertEquals(ProtocolVersion.V11, ProtocolVersion.find(11));
        assertEquals(ProtocolVersion.V13, ProtocolVersion.find(13));
        assertEquals(null, ProtocolVersion.find(14));
    }

    @Test
    void statusReplyKeepsTypeKeyNumAndSeq() {
        O2netMsg req = O2netMsg.request(0xbeef, 0xcafef00d, 41, 99, DATA);
        O2netMsg reply = req.statusReply(SysStatus.NO_HNDLR, -5);
        assertEquals(Magic.STATUS, reply.magic());
        assertEquals(0xbeef, reply.msgType());
        assertEquals(0xcafef00d, reply.key());
        assertEquals(41, reply.msgNum());
        assertEquals(99, reply.msgSeq());
        assertEquals(0, reply.dataLen());
        assertEquals(1, reply.sysStatus());
        assertEquals(SysStatus.NO_HNDLR, reply.sysStatusCode());
        assertEquals(-5, reply.status());
    }

    @Test
    void removeAndRemovedCarryTheMessageIdentity() {
        O2netMsg req = O2netMsg.request(3, 4, 5, 6, DATA);
        O2netMsg fromStatus = req.statusReply(SysStatus.NONE, 1).removeRequest();
        O2netMsg remove = req.removeRequest();
        assertEquals(remove, fromStatus);
        O2netMsg removed = remove.removedReply();
        for (O2netMsg m : new O2netMsg[] {remove, removed}) {
            assertEquals(3, m.msgType());
            assertEquals(4, m.key());
            assertEquals(5, m.msgNum());
            assertEquals(6, m.msgSeq());
            assertEquals(0, m.dataLen());
            assertEquals(0, m.sysStatus());
            assertEquals(0, m.status());
        }
        assertEquals(Magic.MH_REMOVE, remove.magic());
        assertEquals(Magic.MH_REMOVED, removed.magic());
    }

    @Test
    void derivationsAreOnlyAllowedFromTheRightKind() {
        O2netMsg req = O2netMsg.request(3, 4, 5, 6, DATA);
        assertThrows(
                IllegalStateException.class,
                () -> req.statusReply(SysStatus.NONE, 0).statusReply(SysStatus.NONE, 0));
        assertThrows(IllegalStateException.class, () -> O2netMsg.keepReq().removeRequest());
        assertThrows(IllegalStateException.class, req::removedReply);
    }

    @Test
    void payloadIsCopiedInAndOut() {
        byte[] data = DATA.clone();
        O2netMsg msg = O2netMsg.request(1, 2, 3, 4, data);
        data[0] = 42;
        assertArrayEquals(DATA, msg.payload());
        msg.payload()[1] = 42;
        assertArrayEquals(DATA, msg.payload());
        assertEquals(3, msg.dataLen());
    }

    @Test
    void payloadBufferIsAReadOnlyViewWithoutACopy() {
        O2netMsg msg = O2netMsg.request(1, 2, 3, 4, DATA.clone());
        java.nio.ByteBuffer b = msg.payloadBuffer();
        assertTrue(b.isReadOnly());
        assertEquals(0, b.position());
        assertEquals(DATA.length, b.remaining());
        byte[] read = new byte[b.remaining()];
        b.get(read);
        assertArrayEquals(DATA, read);
        assertThrows(
                java.nio.ReadOnlyBufferException.class,
                () -> msg.payloadBuffer().put(0, (byte) 42));
        assertEquals(0, O2netMsg.keepReq().payloadBuffer().remaining());
    }

    @Test
    void fieldRangesAreChecked() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> O2netMsg.request(0x10000, 0, 0, 0, DATA));
        assertTrue(e.getMessage().contains("65536"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> O2netMsg.request(-1, 0, 0, 0, DATA));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> O2netMsg.request(1, 0, 0, 0, new byte[4073]));
        assertTrue(e.getMessage().contains("4073"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> O2netMsg.builder(Magic.STATUS).payload(DATA).build());
        assertTrue(e.getMessage().contains("STATUS"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> O2netMsg.builder(Magic.KEEP_REQ).msgSeq(1).build());
        assertTrue(e.getMessage().contains("msg_seq"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> O2netMsg.builder(Magic.STATUS).sysStatus(4).build());
        assertTrue(e.getMessage().contains("sys_status 4"), e.getMessage());
    }

    @Test
    void builderMatchesFactories() {
        O2netMsg built = O2netMsg.builder(Magic.MSG)
                .msgType(1)
                .key(2)
                .msgNum(3)
                .msgSeq(4)
                .payload(DATA)
                .build();
        assertEquals(O2netMsg.request(1, 2, 3, 4, DATA), built);
        assertEquals(built.hashCode(), O2netMsg.request(1, 2, 3, 4, DATA).hashCode());
        assertEquals(O2netMsg.keepReq(), O2netMsg.builder(Magic.KEEP_REQ).build());
        assertNotEquals(built, built.withMsgNum(9));
        assertEquals(9, built.withMsgNum(9).msgNum());
        assertEquals(10, built.withMsgSeq(10).msgSeq());
        assertNotEquals(built, O2netMsg.request(1, 2, 3, 4, new byte[] {1, 2, 4}));
    }

    @Test
    void frameLengthCountsHeaderExtensionAndPayload() {
        O2netMsg req = O2netMsg.request(1, 2, 3, 4, new byte[100]);
        assertEquals(124, req.frameLength(ProtocolVersion.V11));
        assertEquals(132, req.frameLength(ProtocolVersion.V12));
        assertEquals(24, O2netMsg.keepResp().frameLength(ProtocolVersion.V12));
    }

    @Test
    void toStringShowsUnsignedFields() {
        String s = O2netMsg.request(7, 0xffffffff, 0xffffffff, -1L, DATA).toString();
        assertTrue(s.contains("msgNum=4294967295"), s);
        assertTrue(s.contains("msgSeq=18446744073709551615"), s);
        assertTrue(s.contains("dataLen=3"), s);
    }
}
