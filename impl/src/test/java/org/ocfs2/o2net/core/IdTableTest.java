// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link IdTable} against a {@link LinkedHashMap} doing the same, keyed as v11 keys its waiters. */
class IdTableTest {

    /** v11's use: keys from an {@link IdAllocator} (lowest free first, reused), removed in any order. */
    @Test
    void waiterUseMatchesALinkedHashMap() {
        Random rnd = new Random(11);
        IdAllocator ids = new IdAllocator();
        IdTable<Integer> table = new IdTable<>(2);
        Map<Long, Integer> model = new LinkedHashMap<>();
        for (int step = 0; step < 100_000; step++) {
            if (model.isEmpty() || rnd.nextInt(100) < 50) {
                int id = ids.alloc();
                table.put(id, step);
                model.put((long) id, step);
            } else {
                List<Long> keys = new ArrayList<>(model.keySet());
                long k = keys.get(rnd.nextInt(keys.size()));
                assertEquals(model.remove(k), table.remove(k));
                ids.free((int) k);
            }
            assertEquals(model.size(), table.size());
            if (step % 997 == 0) {
                assertSameOrder(model, table);
                assertEquals(
                        model.keySet().stream().mapToLong(Long::longValue).min().orElse(-1),
                        table.isEmpty() ? -1 : table.firstKey());
            }
        }
        assertSameOrder(model, table);
        assertTrue(table.capacity() >= 2, "grew as keys needed");
    }

    @Test
    void keysOutsideTheArrayAreNotFoundAndCannotBePut() {
        IdTable<String> t = new IdTable<>(4);
        t.put(3, "c");
        assertNull(t.get(4));
        assertNull(t.get(-1));
        assertNull(t.get(1L << 40));
        assertNull(t.remove(-7));
        assertNull(t.remove(99));
        assertEquals("c", t.get(3));
        assertThrows(IllegalArgumentException.class, () -> t.put(-1, "x"));
        assertThrows(IllegalArgumentException.class, () -> t.put(1L << 31, "x"));
        assertThrows(NullPointerException.class, () -> t.put(0, null));
        assertThrows(IllegalArgumentException.class, () -> new IdTable<String>(0));
    }

    @Test
    void growsToTheKeyPutAndKeepsItsOrder() {
        IdTable<String> t = new IdTable<>(1);
        t.put(0, "a");
        t.put(9, "b");
        t.put(2, "c");
        assertTrue(t.capacity() >= 10, "capacity " + t.capacity());
        assertEquals(List.of("a", "b", "c"), t.values());
        assertEquals(0, t.firstKey());
    }

    @Test
    void replacingAValueKeepsItsPlaceAsALinkedHashMapDoes() {
        IdTable<String> t = new IdTable<>(4);
        t.put(1, "a");
        t.put(0, "b");
        t.put(1, "A");
        assertEquals(2, t.size());
        assertEquals(List.of("A", "b"), t.values());
    }

    @Test
    void removingTheFirstTheLastAndTheOnlyKeyRelinks() {
        IdTable<String> t = new IdTable<>(4);
        t.put(0, "a");
        t.put(1, "b");
        t.put(2, "c");
        assertEquals("a", t.remove(0));
        assertEquals(List.of("b", "c"), t.values());
        assertEquals("c", t.remove(2));
        assertEquals(List.of("b"), t.values());
        assertEquals(1, t.firstKey());
        assertEquals("b", t.remove(1));
        assertTrue(t.isEmpty());
        assertEquals(List.of(), t.values());
        assertThrows(NoSuchElementException.class, t::firstKey);
        t.put(2, "d");
        t.put(0, "e");
        assertEquals(List.of("d", "e"), t.values());
        assertEquals(0, t.firstKey());
    }

    @Test
    void aWalkMayRemoveTheKeyItIsGivenAndStopsWhenTold() {
        IdTable<String> t = new IdTable<>(4);
        for (int k = 0; k < 4; k++) {
            t.put(k, "v" + k);
        }
        List<Long> seen = new ArrayList<>();
        t.forEach((k, v) -> {
            seen.add(k);
            t.remove(k);
        });
        assertEquals(List.of(0L, 1L, 2L, 3L), seen);
        assertTrue(t.isEmpty());
        for (int k = 0; k < 4; k++) {
            t.put(k, "v" + k);
        }
        List<Long> some = new ArrayList<>();
        t.forEachWhile((k, v) -> {
            some.add(k);
            return k < 1;
        });
        assertEquals(List.of(0L, 1L), some);
        t.clear(0);
        assertTrue(t.isEmpty());
        assertNull(t.get(2));
        assertFalse(t.values().iterator().hasNext());
        assertThrows(UnsupportedOperationException.class, () -> t.removeThrough(3, v -> {}));
        t.put(3, "x");
        assertEquals(List.of("x"), t.values());
    }

    private static void assertSameOrder(Map<Long, Integer> model, IdTable<Integer> table) {
        List<Long> keys = new ArrayList<>();
        List<Integer> values = new ArrayList<>();
        table.forEach((k, v) -> {
            keys.add(k);
            values.add(v);
        });
        assertEquals(new ArrayList<>(model.keySet()), keys);
        assertEquals(new ArrayList<>(model.values()), values);
        assertEquals(new ArrayList<>(model.values()), table.values());
        model.forEach((k, v) -> assertEquals(v, table.get(k)));
    }
}
