// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.hb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * Heartbeat blocks the Linux kernel wrote (Debian 6.1.0-50-amd64, captured by the kernel lab; see
 * {@code src/test/resources/o2hb/README.md}) decode with {@link HeartbeatBlock}: the kernel's {@code crc32_le}
 * checksum verifies, {@code hb_node} is the slot's node, {@code hb_generation} stays the same from one heartbeat to the
 * next while {@code hb_seq} moves on, and {@code hb_dead_ms} is the dead threshold (7) times 2000 ms.
 */
class KernelBlocksTest {
    /** The generation the kernel chose when its region started, as the captured blocks hold it. */
    static final long KERNEL_GENERATION = 0xd86a6b8ced534cf8L;

    static byte[] block(int i) throws IOException {
        try (InputStream in = KernelBlocksTest.class.getResourceAsStream("/o2hb/kernel-node-1-block-" + i + ".bin")) {
            assertNotNull(in, "captured kernel block " + i + " missing from the test resources");
            return in.readAllBytes();
        }
    }

    @Test
    void theKernelsBlocksDecodeWithTheirChecksumNodeAndGeneration() throws Exception {
        long previousSeq = 0;
        for (int i = 0; i < 3; i++) {
            byte[] raw = block(i);
            assertEquals(512, raw.length, "block_bytes of the kernel's region");
            HeartbeatBlock b = HeartbeatBlock.decode(raw, 1);
            assertEquals(1, b.node(), "hb_node of block " + i);
            assertEquals(KERNEL_GENERATION, b.generation(), "hb_generation of block " + i);
            assertEquals(7 * 2000, b.deadMs(), "hb_dead_ms of block " + i);
            if (i > 0) {
                // the kernel's hb_seq is its wall clock in seconds; one heartbeat (2 s) apart
                assertEquals(previousSeq + 2, b.seq(), "hb_seq of block " + i + " after block " + (i - 1));
            }
            previousSeq = b.seq();
            assertEquals(raw.length, b.encode(raw.length).length);
            org.junit.jupiter.api.Assertions.assertArrayEquals(
                    raw, b.encode(raw.length), "re-encoding block " + i + " gives other bytes than the kernel's");
        }
    }

    @Test
    void aFlippedBitInAKernelBlockFailsItsChecksum() throws Exception {
        byte[] raw = block(0);
        raw[100] ^= 1; // in the zero tail, covered by the checksum
        assertThrows(BadChecksumException.class, () -> HeartbeatBlock.decode(raw, 1));
    }

    @Test
    void aKernelBlockReadFromAnotherSlotIsRefused() throws Exception {
        assertThrows(WrongNodeException.class, () -> HeartbeatBlock.decode(block(0), 2));
    }
}
