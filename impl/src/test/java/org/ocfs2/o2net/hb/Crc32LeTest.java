// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.hb;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** {@code crc32_le} against the JDK's CRC32 and against fixed vectors (computed with zlib, an independent code). */
class Crc32LeTest {
    private static long jdkCrc32(byte[] b, int off, int len) {
        CRC32 c = new CRC32();
        c.update(b, off, len);
        return c.getValue();
    }

    @Test
    void matchesJdkCrc32WithInversionsOnRandomInputs() {
        Random rnd = new Random(0x02b);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[rnd.nextInt(1100)];
            rnd.nextBytes(b);
            int off = b.length == 0 ? 0 : rnd.nextInt(b.length);
            int len = rnd.nextInt(b.length - off + 1);
            long expected = jdkCrc32(b, off, len);
            assertEquals(expected, ~Crc32Le.crc32Le(0xFFFFFFFF, b, off, len) & 0xffffffffL, "input " + i);
            assertEquals(
                    Crc32Le.crc32Le(0, b, off, len),
                    Crc32Le.crc32Le(0, ByteBuffer.wrap(b), off, len),
                    "array and buffer agree, input " + i);
        }
    }

    @Test
    void fixedVectors() {
        byte[] check = "123456789".getBytes(US_ASCII);
        assertEquals(0x340BC6D9, Crc32Le.crc32Le(0xFFFFFFFF, check)); // ~0xCBF43926, the CRC-32 check value
        assertEquals(0x2DFD2D88, Crc32Le.crc32Le(0, check)); // as o2hb seeds it
        assertEquals(
                0xAB4E223C,
                Crc32Le.crc32Le(0x12345678, "The quick brown fox jumps over the lazy dog".getBytes(US_ASCII)));
        assertEquals(0, Crc32Le.crc32Le(0, new byte[512]), "zeros with seed 0 stay 0: a zeroed block verifies");
        assertEquals(0x1234, Crc32Le.crc32Le(0x1234, new byte[0]), "no bytes: the seed comes out unchanged");
    }

    @Test
    void chainsAcrossSplits() {
        byte[] b = new byte[777];
        new Random(7).nextBytes(b);
        int whole = Crc32Le.crc32Le(0, b);
        for (int cut : new int[] {0, 1, 12, 16, 400, 777}) {
            int first = Crc32Le.crc32Le(0, b, 0, cut);
            assertEquals(whole, Crc32Le.crc32Le(first, b, cut, b.length - cut), "cut at " + cut);
        }
    }

    @Test
    void boundsAreChecked() {
        assertThrows(IndexOutOfBoundsException.class, () -> Crc32Le.crc32Le(0, new byte[4], 2, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> Crc32Le.crc32Le(0, ByteBuffer.allocate(4), 1, 4));
    }
}
