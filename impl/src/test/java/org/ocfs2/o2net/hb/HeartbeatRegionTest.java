// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.hb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A region on a plain file: geometry, the format, node N's block at (start_block + N) * block_bytes. */
class HeartbeatRegionTest {
    @TempDir
    Path dir;

    @Test
    void formatMakesAZeroedRegionOfTheRightSize() throws Exception {
        Path f = dir.resolve("hb");
        HeartbeatRegion.format(f, 1, 512, 255);
        assertEquals((1 + 255) * 512L, Files.size(f));
        assertEquals((1 + 255) * 512L, HeartbeatRegion.requiredBytes(1, 512, 255));
        byte[] all = Files.readAllBytes(f);
        for (byte b : all) {
            assertEquals(0, b);
        }
    }

    @Test
    void formatZeroesOnlyTheSlotsAndNeverShrinks() throws Exception {
        Path f = dir.resolve("hb");
        byte[] junk = new byte[10 * 512];
        Arrays.fill(junk, (byte) 0x5a);
        Files.write(f, junk);
        HeartbeatRegion.format(f, 2, 512, 4); // slots are blocks 2..5
        byte[] all = Files.readAllBytes(f);
        assertEquals(10 * 512, all.length);
        for (int i = 0; i < all.length; i++) {
            boolean slot = i >= 2 * 512 && i < 6 * 512;
            assertEquals(slot ? 0 : 0x5a, all[i], "byte " + i);
        }
    }

    @Test
    void nodeNsBlockIsAtStartBlockPlusNTimesBlockBytes() throws Exception {
        Path f = dir.resolve("hb");
        HeartbeatRegion.format(f, 3, 1024, 8);
        HeartbeatBlock b = new HeartbeatBlock(42, 5, 0xabcdefL, 62000);
        try (HeartbeatRegion r = HeartbeatRegion.open(f, 3, 1024, 8)) {
            assertFalse(r.isBlockDevice());
            assertEquals((3 + 5) * 1024L, r.offsetOf(5));
            r.writeSlot(5, b);
            ByteBuffer slots = r.readSlots();
            assertEquals(8 * 1024, slots.remaining());
            assertEquals(b, HeartbeatBlock.decode(slots, 5 * 1024, 1024));
        }
        byte[] all = Files.readAllBytes(f);
        assertArrayEquals(b.encode(1024), Arrays.copyOfRange(all, (3 + 5) * 1024, (3 + 6) * 1024));
        for (int i = 0; i < all.length; i++) {
            if (i < (3 + 5) * 1024 || i >= (3 + 6) * 1024) {
                assertEquals(0, all[i], "only node 5's block was written; byte " + i);
            }
        }
    }

    @Test
    void startBlockZeroIsRejectedAsTheKernelDoes() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> HeartbeatRegion.format(dir.resolve("hb"), 0, 512, 255));
        assertTrue(e.getMessage().contains("start_block"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HeartbeatRegion.checkGeometry(1, 512, 0));
        assertThrows(IllegalArgumentException.class, () -> HeartbeatRegion.checkGeometry(1, 512, 256));
        assertThrows(IllegalArgumentException.class, () -> HeartbeatRegion.checkGeometry(1, 500, 16));
    }

    @Test
    void aShortFileIsRefusedWithTheSizesNeeded() throws Exception {
        Path f = dir.resolve("hb");
        Files.write(f, new byte[512 * 10]);
        IOException e = assertThrows(IOException.class, () -> HeartbeatRegion.open(f, 1, 512, 255));
        assertTrue(e.getMessage().contains("need " + (256 * 512)), e.getMessage());
    }

    @Test
    void aNodeOutsideTheRegionHasNoSlot() throws Exception {
        Path f = dir.resolve("hb");
        HeartbeatRegion.format(f, 1, 512, 4);
        try (HeartbeatRegion r = HeartbeatRegion.open(f, 1, 512, 4)) {
            assertThrows(IllegalArgumentException.class, () -> r.offsetOf(4));
            assertThrows(IllegalArgumentException.class, () -> r.writeSlot(4, new HeartbeatBlock(1, 4, 1, 0)));
        }
    }
}
