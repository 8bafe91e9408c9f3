// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link SeqRing} against a {@link TreeMap} doing the same, and its window rules. */
class SeqRingTest {

    @Test
    void capacityIsThePowerOfTwoAtOrAboveTheWindow() {
        assertEquals(1024, new SeqRing<String>(1024, false, 1).capacity());
        assertEquals(1024, new SeqRing<String>(1000, false, 1).capacity());
        assertEquals(1, new SeqRing<String>(1, false, 1).capacity());
    }

    /** The sender's use: keys numbered in order, removed in any order; the ring grows; firstKey is the ack's base. */
    @Test
    void senderUseMatchesATreeMap() {
        Random rnd = new Random(7);
        SeqRing<Long> ring = new SeqRing<>(4, true, 1);
        TreeMap<Long, Long> model = new TreeMap<>();
        long next = 1;
        for (int step = 0; step < 200_000; step++) {
            if (model.isEmpty() || rnd.nextInt(100) < 52) {
                ring.put(next, next);
                model.put(next, next);
                next++;
            } else {
                List<Long> keys = new ArrayList<>(model.keySet());
                long k = keys.get(rnd.nextInt(Math.min(keys.size(), rnd.nextBoolean() ? 3 : keys.size())));
                assertEquals(model.remove(k), ring.remove(k));
                assertNull(ring.remove(k), "a second remove finds nothing");
            }
            assertEquals(model.size(), ring.size());
            if (!model.isEmpty()) {
                assertEquals(model.firstKey(), ring.firstKey());
            }
            long probe = 1 + rnd.nextInt((int) next + 5);
            assertEquals(model.get(probe), ring.get(probe), "get " + probe);
        }
        assertEquals(new ArrayList<>(model.values()), ring.values());
        assertTrue(ring.capacity() >= model.size());
    }

    /** The receiver's use (v13): keys in (ack, ack + W], in any order; the ack frees every key at or below it. */
    @Test
    void receiverUseMatchesATreeMapAndNeverGrows() {
        Random rnd = new Random(11);
        int window = 16;
        SeqRing<Long> ring = new SeqRing<>(window, false, 1);
        TreeMap<Long, Long> model = new TreeMap<>();
        long ack = 0;
        for (int step = 0; step < 200_000; step++) {
            if (rnd.nextInt(100) < 70) {
                long k = ack + 1 + rnd.nextInt(window);
                if (!model.containsKey(k)) {
                    ring.put(k, k);
                    model.put(k, k);
                }
            } else {
                long a = ack + rnd.nextInt(window + 3) - 1;
                if (a > ack) {
                    List<Long> gone = new ArrayList<>();
                    int n = ring.removeThrough(a, gone::add);
                    List<Long> expected = new ArrayList<>(model.headMap(a, true).values());
                    model.headMap(a, true).clear();
                    assertEquals(expected, gone);
                    assertEquals(expected.size(), n);
                    ack = a;
                }
            }
            assertEquals(model.size(), ring.size());
            assertEquals(new ArrayList<>(model.values()), ring.values());
        }
        assertEquals(16, ring.capacity(), "a window-sized ring never grows");
    }

    @Test
    void anAckFarAheadEmptiesTheRingAndMovesItsBase() {
        SeqRing<String> ring = new SeqRing<>(8, false, 1);
        ring.put(3, "c");
        ring.put(5, "e");
        List<String> gone = new ArrayList<>();
        assertEquals(2, ring.removeThrough(Long.MAX_VALUE / 2, gone::add));
        assertEquals(List.of("c", "e"), gone);
        assertEquals(0, ring.size());
        assertThrows(IllegalStateException.class, () -> ring.put(7, "g"), "below the new base");
        ring.put(Long.MAX_VALUE / 2 + 1, "x");
        assertEquals("x", ring.get(Long.MAX_VALUE / 2 + 1));
    }

    @Test
    void aFixedRingRefusesAKeyBeyondItsWindowOrBelowItsBase() {
        SeqRing<String> ring = new SeqRing<>(4, false, 1);
        ring.put(4, "d");
        assertThrows(IllegalStateException.class, () -> ring.put(5, "e"));
        ring.put(4, "again");
        assertEquals(1, ring.size(), "a put replaces, as Map.put does");
        assertEquals("again", ring.get(4));
        assertThrows(IllegalStateException.class, () -> ring.put(0, "below"));
        ring.clear(100);
        assertEquals(0, ring.size());
        assertNull(ring.get(4));
        ring.put(103, "z");
        assertEquals(103, ring.firstKey());
    }

    /** A growing ring doubles to the least power of two that holds the key, counted from its base, not from zero. */
    @Test
    void aGrowingRingTakesTheLeastPowerOfTwoThatHoldsTheKey() {
        SeqRing<String> ring = new SeqRing<>(4, true, 1_000);
        ring.put(1_000, "a");
        ring.put(1_007, "h"); // 8 keys from the base: exactly 8 slots
        assertEquals(8, ring.capacity());
        assertEquals("a", ring.get(1_000));
        assertEquals("h", ring.get(1_007));
        ring.put(1_008, "i"); // the ninth: 16
        assertEquals(16, ring.capacity());
        assertEquals(List.of("a", "h", "i"), ring.values());
    }

    /**
     * Removing the lowest key moves the base past every empty slot above it, which frees the window: a fixed ring of 4
     * from 1 takes 5 once 1 is gone, and 6 and 7 once 2 (removed earlier, out of order) and 3 are gone too.
     */
    @Test
    void removingTheLowestKeyMovesTheBaseAndOpensTheWindow() {
        SeqRing<String> ring = new SeqRing<>(4, false, 1);
        for (long k = 1; k <= 4; k++) {
            ring.put(k, "m" + k);
        }
        assertThrows(IllegalStateException.class, () -> ring.put(5, "m5"));
        ring.remove(2); // not the base: the base stays at 1
        assertThrows(IllegalStateException.class, () -> ring.put(5, "m5"));
        ring.remove(1); // the base: it moves past 1 and the empty 2, to 3
        ring.put(5, "m5");
        ring.put(6, "m6");
        assertThrows(IllegalStateException.class, () -> ring.put(7, "m7"));
        assertEquals(3, ring.firstKey());
        assertEquals(List.of("m3", "m4", "m5", "m6"), ring.values());
    }

    /** {@code removeThrough(k)} removes k itself: every key at or below it goes, each handed over once, and counted. */
    @Test
    void removeThroughIncludesItsKey() {
        SeqRing<String> ring = new SeqRing<>(8, false, 1);
        for (long k = 1; k <= 3; k++) {
            ring.put(k, "m" + k);
        }
        List<String> gone = new ArrayList<>();
        assertEquals(3, ring.removeThrough(3, gone::add));
        assertEquals(List.of("m1", "m2", "m3"), gone);
        assertEquals(0, ring.size());
        assertEquals(List.of(), ring.values());
        ring.put(4, "m4"); // the base is 4 now, and the window reaches 11
        ring.put(11, "m11");
        assertEquals(2, ring.size());
    }
}
