// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.hb;

/**
 * A heartbeat block whose {@code hb_cksum} is not {@code crc32_le(0, block)} with {@code hb_cksum} zeroed
 * ({@code o2hb_verify_crc()} failed). The kernel then logs "Node N has written a bad crc to DEVICE" and the slot
 * dump, and counts the read as a missed (unchanged) sample if the node was live; see {@link HeartbeatCore}.
 */
public final class BadChecksumException extends HeartbeatBlockException {
    private static final long serialVersionUID = 1L;

    private final int computedCksum;

    BadChecksumException(HeartbeatBlock raw, int storedCksum, int computedCksum) {
        super(String.format("bad crc: hb_cksum 0x%x, computed 0x%x", storedCksum, computedCksum), raw, storedCksum);
        this.computedCksum = computedCksum;
    }

    /** The checksum computed over the block. */
    public int computedCksum() {
        return computedCksum;
    }
}
