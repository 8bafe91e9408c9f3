// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.hb;

import java.io.IOException;

/**
 * A heartbeat block that does not decode: its checksum is wrong ({@link BadChecksumException}) or it names another node
 * than the slot's ({@link WrongNodeException}). Carries the block's fields as read, unverified, for the log line the
 * kernel prints with {@code o2hb_dump_slot()}.
 */
public class HeartbeatBlockException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient HeartbeatBlock raw;
    private final int storedCksum;

    HeartbeatBlockException(String message, HeartbeatBlock raw, int storedCksum) {
        super(message + "; " + dumpSlot(raw, storedCksum));
        this.raw = raw;
        this.storedCksum = storedCksum;
    }

    /** The block's fields as read, without verification: they may be junk. */
    public HeartbeatBlock raw() {
        return raw;
    }

    /** {@code hb_cksum} as read. */
    public int storedCksum() {
        return storedCksum;
    }

    /** The kernel's {@code o2hb_dump_slot()} line. */
    static String dumpSlot(HeartbeatBlock b, int cksum) {
        return String.format(
                "Dump slot information: seq = 0x%x, node = %d, cksum = 0x%x, generation 0x%x",
                b.seq(), b.node(), cksum, b.generation());
    }
}
