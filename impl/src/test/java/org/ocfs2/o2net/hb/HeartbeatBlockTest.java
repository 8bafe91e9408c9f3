// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.hb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The {@code struct o2hb_disk_heartbeat_block} codec: the kernel's layout, byte for byte, and its checksum. */
class HeartbeatBlockTest {
    /**
     * A block written out by hand from the C layout: hb_seq 0x65a1b2c3, hb_node 3, hb_cksum, hb_generation
     * 0x1122334455667788, hb_dead_ms 62000 (31 * 2000), then zeros to 512 bytes. The checksum 0x764d82eb was computed
     * with zlib ({@code ~zlib.crc32(block, 0xffffffff)} = {@code crc32_le(0, block)}), not with this code.
     */
    static byte[] knownBlock() {
        byte[] b = new byte[512];
        byte[] head = HexFormat.of()
                .parseHex(
                        "c3b2a16500000000" // hb_seq le64
                                + "03" // hb_node
                                + "000000" // hb_pad1[3]
                                + "eb824d76" // hb_cksum le32
                                + "8877665544332211" // hb_generation le64
                                + "30f20000" // hb_dead_ms le32
                                + "00000000"); // alignment padding of sizeof(struct) == 32
        System.arraycopy(head, 0, b, 0, head.length);
        return b;
    }

    @Test
    void decodesAHandBuiltKernelBlock() throws Exception {
        HeartbeatBlock b = HeartbeatBlock.decode(knownBlock());
        assertEquals(new HeartbeatBlock(0x65a1b2c3L, 3, 0x1122334455667788L, 62000), b);
        assertEquals(b, HeartbeatBlock.decode(knownBlock(), 3));
    }

    @Test
    void encodesTheKernelsBytes() {
        byte[] encoded = new HeartbeatBlock(0x65a1b2c3L, 3, 0x1122334455667788L, 62000).encode(512);
        assertArrayEquals(knownBlock(), encoded);
    }

    @Test
    void fieldOffsetsAreTheCLayout() {
        assertEquals(0, HeartbeatBlock.HB_SEQ);
        assertEquals(8, HeartbeatBlock.HB_NODE);
        assertEquals(9, HeartbeatBlock.HB_PAD1);
        assertEquals(12, HeartbeatBlock.HB_CKSUM);
        assertEquals(16, HeartbeatBlock.HB_GENERATION);
        assertEquals(24, HeartbeatBlock.HB_DEAD_MS);
        assertEquals(28, HeartbeatBlock.FIELD_BYTES);
    }

    @Test
    void aLargeBlockIsCheckedOverItsWholeLength() throws Exception {
        byte[] b = new HeartbeatBlock(1, 254, 0xfedcba9876543210L, 0).encode(4096);
        assertEquals(4096, b.length);
        assertEquals(0x5e9e8083, HeartbeatBlock.storedCksum(ByteBuffer.wrap(b), 0), "zlib's value");
        b[4095] = 1; // the trailing zeros are covered by the checksum
        BadChecksumException e = assertThrows(BadChecksumException.class, () -> HeartbeatBlock.decode(b));
        assertEquals(0x5e9e8083, e.storedCksum());
    }

    @Test
    void roundTripsRandomBlocks() throws Exception {
        Random rnd = new Random(11);
        for (int i = 0; i < 500; i++) {
            int bytes = 512 << rnd.nextInt(4);
            HeartbeatBlock b = new HeartbeatBlock(rnd.nextLong(), rnd.nextInt(256), rnd.nextLong(), rnd.nextInt());
            byte[] enc = b.encode(bytes);
            assertEquals(b, HeartbeatBlock.decode(enc));
            for (int j = HeartbeatBlock.FIELD_BYTES; j < bytes; j++) {
                assertEquals(0, enc[j], "the rest of the block is zero");
            }
            assertEquals(0, enc[9] | enc[10] | enc[11], "hb_pad1 is zero");
        }
    }

    @Test
    void aBadChecksumIsATypedErrorWithTheSlotDump() {
        byte[] b = knownBlock();
        b[100] ^= 0x40;
        BadChecksumException e = assertThrows(BadChecksumException.class, () -> HeartbeatBlock.decode(b));
        assertEquals(0x764d82eb, e.storedCksum());
        assertEquals(HeartbeatBlock.computeCksum(ByteBuffer.wrap(b), 0, 512), e.computedCksum());
        assertEquals(3, e.raw().node(), "the fields as read, for the dump");
        assertTrue(
                e.getMessage()
                        .contains("Dump slot information: seq = 0x65a1b2c3, node = 3, cksum = 0x764d82eb, "
                                + "generation 0x1122334455667788"),
                e.getMessage());
    }

    @Test
    void aChangedChecksumFieldIsABadChecksum() {
        byte[] b = knownBlock();
        b[HeartbeatBlock.HB_CKSUM] ^= 1;
        assertThrows(BadChecksumException.class, () -> HeartbeatBlock.decode(b));
    }

    @Test
    void aWrongNodeNumberIsATypedError() {
        WrongNodeException e = assertThrows(WrongNodeException.class, () -> HeartbeatBlock.decode(knownBlock(), 4));
        assertEquals(4, e.expectedNode());
        assertEquals(3, e.raw().node());
        assertTrue(e.getMessage().startsWith("hb_node 3 in the slot of node 4"), e.getMessage());
    }

    @Test
    void aZeroedBlockVerifies() throws Exception {
        // crc32_le(0, zeros) == 0 == hb_cksum: a freshly formatted slot decodes, as an unchanging node 0.
        assertEquals(new HeartbeatBlock(0, 0, 0, 0), HeartbeatBlock.decode(new byte[512]));
    }

    @Test
    void decodesInPlaceWithoutMovingTheBuffer() throws Exception {
        ByteBuffer region = ByteBuffer.allocate(3 * 512);
        new HeartbeatBlock(9, 2, 77, 1).encodeInto(region, 2 * 512, 512);
        assertEquals(0, region.position());
        assertEquals(new HeartbeatBlock(9, 2, 77, 1), HeartbeatBlock.decode(region, 2 * 512, 512));
        assertEquals(0, region.position());
        assertTrue(HeartbeatBlock.verifyCrc(region, 2 * 512, 512));
    }

    @Test
    void checksValues() {
        assertThrows(IllegalArgumentException.class, () -> new HeartbeatBlock(1, 256, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new HeartbeatBlock(1, -1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> HeartbeatBlock.checkBlockBytes(256));
        assertThrows(IllegalArgumentException.class, () -> HeartbeatBlock.checkBlockBytes(768));
        assertThrows(IllegalArgumentException.class, () -> HeartbeatBlock.checkBlockBytes(8192));
        assertEquals(1024, HeartbeatBlock.checkBlockBytes(1024));
    }
}
