// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.hb;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One node's heartbeat block: {@code struct o2hb_disk_heartbeat_block} ({@code fs/ocfs2/cluster/ocfs2_heartbeat.h}),
 * little-endian, at the start of a block of {@code block_bytes} (the device's logical sector, 512 by default):
 *
 * <pre>
 * offset size  field           meaning
 *      0    8  hb_seq          le64  the writer's clock in seconds (ktime_get_real_seconds(), 1 if 0); readers
 *                                    only compare it for change
 *      8    1  hb_node         u8    the writer's node number (0..254)
 *      9    3  hb_pad1[3]            zero
 *     12    4  hb_cksum        le32  crc32_le(0, whole block with hb_cksum = 0, block_bytes)
 *     16    8  hb_generation   le64  random, non-zero, chosen at each start: the node's incarnation;
 *                                    0 in the last block written on a clean stop
 *     24    4  hb_dead_ms      le32  the writer's dead_threshold * O2HB_REGION_TIMEOUT_MS (2000)
 *     28       zero up to block_bytes (sizeof(struct) is 32 with the alignment padding)
 * </pre>
 *
 * The checksum covers the whole block, padding and trailing zeros included ({@code o2hb_compute_block_crc_le()}).
 * {@link #encode(int)} writes a block as {@code o2hb_prepare_block()} does; {@link #decode(byte[])} checks it as
 * {@code o2hb_verify_crc()} does and is meant to be called on raw bytes, e.g. a block captured from a kernel's region.
 *
 * @param seq {@code hb_seq}
 * @param node {@code hb_node}, 0..255
 * @param generation {@code hb_generation}
 * @param deadMs {@code hb_dead_ms}, unsigned
 */
public record HeartbeatBlock(long seq, int node, long generation, int deadMs) {
    /** Offset of {@code hb_seq}. */
    public static final int HB_SEQ = 0;
    /** Offset of {@code hb_node}. */
    public static final int HB_NODE = 8;
    /** Offset of {@code hb_pad1[3]}. */
    public static final int HB_PAD1 = 9;
    /** Offset of {@code hb_cksum}. */
    public static final int HB_CKSUM = 12;
    /** Offset of {@code hb_generation}. */
    public static final int HB_GENERATION = 16;
    /** Offset of {@code hb_dead_ms}. */
    public static final int HB_DEAD_MS = 24;
    /** Bytes the fields span; the kernel's {@code sizeof} is 32 with trailing alignment padding. */
    public static final int FIELD_BYTES = 28;
    /** The default and smallest {@code block_bytes} ({@code O2HB_DEFAULT_BLOCK_BITS} 9). */
    public static final int DEFAULT_BLOCK_BYTES = 512;
    /** The largest {@code block_bytes} the kernel accepts ({@code o2hb_read_block_input()}). */
    public static final int MAX_BLOCK_BYTES = 4096;

    /** Validates the fields that have a fixed width on disk. */
    public HeartbeatBlock {
        if (node < 0 || node > 255) {
            throw new IllegalArgumentException("hb_node is a u8: " + node);
        }
    }

    /**
     * Checks {@code block_bytes} as the kernel's configfs attribute does: a power of two from 512 to 4096.
     *
     * @throws IllegalArgumentException otherwise
     */
    public static int checkBlockBytes(int blockBytes) {
        if (blockBytes < DEFAULT_BLOCK_BYTES || blockBytes > MAX_BLOCK_BYTES || Integer.bitCount(blockBytes) != 1) {
            throw new IllegalArgumentException("block_bytes must be a power of two from 512 to 4096: " + blockBytes);
        }
        return blockBytes;
    }

    /** Encodes this block into a new zeroed block of {@code blockBytes}, checksum last ({@code o2hb_prepare_block}). */
    public byte[] encode(int blockBytes) {
        if (blockBytes < FIELD_BYTES) {
            throw new IllegalArgumentException("block_bytes " + blockBytes + " < " + FIELD_BYTES);
        }
        byte[] b = new byte[blockBytes];
        encodeInto(ByteBuffer.wrap(b), 0, blockBytes);
        return b;
    }

    /**
     * Encodes this block into {@code blockBytes} of {@code buf} from absolute index {@code index}: zeroes them, writes
     * the fields, then the checksum. No position moves.
     */
    public void encodeInto(ByteBuffer buf, int index, int blockBytes) {
        if (blockBytes < FIELD_BYTES) {
            throw new IllegalArgumentException("block_bytes " + blockBytes + " < " + FIELD_BYTES);
        }
        ByteBuffer le = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < blockBytes; i++) {
            le.put(index + i, (byte) 0);
        }
        le.putLong(index + HB_SEQ, seq);
        le.put(index + HB_NODE, (byte) node);
        le.putLong(index + HB_GENERATION, generation);
        le.putInt(index + HB_DEAD_MS, deadMs);
        le.putInt(index + HB_CKSUM, computeCksum(le, index, blockBytes));
    }

    /**
     * Decodes a whole block (its length is {@code block_bytes}) and verifies its checksum.
     *
     * @throws BadChecksumException if {@code hb_cksum} does not match
     */
    public static HeartbeatBlock decode(byte[] block) throws BadChecksumException {
        return decode(ByteBuffer.wrap(block), 0, block.length);
    }

    /**
     * Decodes a whole block read from node {@code expectedNode}'s slot and verifies its checksum and {@code hb_node}.
     *
     * @throws BadChecksumException if {@code hb_cksum} does not match
     * @throws WrongNodeException if the checksum is good but {@code hb_node != expectedNode}
     */
    public static HeartbeatBlock decode(byte[] block, int expectedNode) throws HeartbeatBlockException {
        HeartbeatBlock b = decode(block);
        if (b.node != expectedNode) {
            throw new WrongNodeException(b, storedCksum(ByteBuffer.wrap(block), 0), expectedNode);
        }
        return b;
    }

    /**
     * Decodes the block of {@code blockBytes} at absolute index {@code index} of {@code buf} and verifies its checksum.
     * No position moves.
     *
     * @throws BadChecksumException if {@code hb_cksum} does not match
     */
    public static HeartbeatBlock decode(ByteBuffer buf, int index, int blockBytes) throws BadChecksumException {
        HeartbeatBlock b = peek(buf, index, blockBytes);
        int stored = storedCksum(buf, index);
        int computed = computeCksum(buf, index, blockBytes);
        if (stored != computed) {
            throw new BadChecksumException(b, stored, computed);
        }
        return b;
    }

    /** Reads the fields without verifying anything (as {@code o2hb_populate_slot_data()} does). */
    public static HeartbeatBlock peek(ByteBuffer buf, int index, int blockBytes) {
        if (blockBytes < FIELD_BYTES) {
            throw new IllegalArgumentException("block_bytes " + blockBytes + " < " + FIELD_BYTES);
        }
        ByteBuffer le = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return new HeartbeatBlock(
                le.getLong(index + HB_SEQ),
                le.get(index + HB_NODE) & 0xff,
                le.getLong(index + HB_GENERATION),
                le.getInt(index + HB_DEAD_MS));
    }

    /** {@code hb_cksum} as stored in the block at {@code index}. */
    public static int storedCksum(ByteBuffer buf, int index) {
        return buf.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(index + HB_CKSUM);
    }

    /**
     * {@code o2hb_compute_block_crc_le()}: {@code crc32_le(0, block, block_bytes)} with {@code hb_cksum} counted as
     * zero, whatever it holds.
     */
    public static int computeCksum(ByteBuffer buf, int index, int blockBytes) {
        int crc = Crc32Le.crc32Le(0, buf, index, HB_CKSUM);
        crc = Crc32Le.crc32Le(crc, ZERO_CKSUM, 0, 4);
        return Crc32Le.crc32Le(crc, buf, index + HB_CKSUM + 4, blockBytes - HB_CKSUM - 4);
    }

    /** {@code o2hb_verify_crc()}: whether the stored checksum is the computed one. */
    public static boolean verifyCrc(ByteBuffer buf, int index, int blockBytes) {
        return storedCksum(buf, index) == computeCksum(buf, index, blockBytes);
    }

    private static final byte[] ZERO_CKSUM = new byte[4];

    @Override
    public String toString() {
        return String.format(
                "HeartbeatBlock[seq=0x%x, node=%d, generation=0x%x, deadMs=%d]",
                seq, node, generation, Integer.toUnsignedLong(deadMs));
    }
}
