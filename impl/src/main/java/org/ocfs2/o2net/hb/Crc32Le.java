// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.hb;

import java.nio.ByteBuffer;

/**
 * The kernel's {@code crc32_le(seed, p, len)} ({@code lib/crc32.c}): CRC-32 with the reflected polynomial
 * {@code 0xEDB88320}, bytes taken least significant bit first, and <em>no</em> inversion before or after: the caller's
 * seed goes in as it is and the register comes out as it is. o2hb checksums its blocks with {@code crc32_le(0, ...)}.
 * <p>
 * It differs from {@link java.util.zip.CRC32} (the zlib/Ethernet CRC) only by those inversions:
 * {@code CRC32(data) == ~crc32_le(0xFFFFFFFF, data)}. A zero seed over zero bytes gives zero, so a freshly zeroed
 * heartbeat block carries a valid checksum.
 */
public final class Crc32Le {
    /** The reflected CRC-32 polynomial (IEEE 802.3, bit-reversed). */
    public static final int POLY_REFLECTED = 0xEDB88320;

    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc >>> 1) ^ ((crc & 1) != 0 ? POLY_REFLECTED : 0);
            }
            TABLE[i] = crc;
        }
    }

    private Crc32Le() {}

    /** {@code crc32_le(seed, buf + off, len)}. */
    public static int crc32Le(int seed, byte[] buf, int off, int len) {
        if (off < 0 || len < 0 || off > buf.length - len) {
            throw new IndexOutOfBoundsException("off " + off + " len " + len + " of " + buf.length);
        }
        int crc = seed;
        for (int i = off, end = off + len; i < end; i++) {
            crc = (crc >>> 8) ^ TABLE[(crc ^ buf[i]) & 0xff];
        }
        return crc;
    }

    /** {@code crc32_le(seed, buf, buf.length)}. */
    public static int crc32Le(int seed, byte[] buf) {
        return crc32Le(seed, buf, 0, buf.length);
    }

    /** {@code crc32_le} over {@code len} bytes of {@code buf} from absolute index {@code index}; no position moves. */
    public static int crc32Le(int seed, ByteBuffer buf, int index, int len) {
        if (index < 0 || len < 0 || index > buf.limit() - len) {
            throw new IndexOutOfBoundsException("index " + index + " len " + len + " of limit " + buf.limit());
        }
        int crc = seed;
        for (int i = index, end = index + len; i < end; i++) {
            crc = (crc >>> 8) ^ TABLE[(crc ^ buf.get(i)) & 0xff];
        }
        return crc;
    }
}
