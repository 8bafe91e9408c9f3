// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link LongTable} for keys that live in a window: an array of slots indexed by {@code msg_seq} modulo its
 * capacity, a power of two. Every key present lies in {@code [base, base + capacity)}, so two keys never share a
 * slot and a lookup is one array read; nothing is boxed and no node is allocated per entry.
 * <ul>
 * <li>The receiver's Message Holders in v13: AckO2net's window keeps every {@code msg_seq} in (ack, ack + W], so a ring
 * of the next power of two at or above W never grows; {@link #removeThrough} is the ack, and moves the base.</li>
 * <li>The sender's held messages in v12 and v13: {@code msg_seq} are numbered in order and finish in any order; the
 * base follows the oldest one still held, and the ring grows if more are held than it has slots.</li>
 * </ul>
 * The base moves only forward: {@link #remove} of the entry at the base moves it past every empty slot up to the
 * highest key put; {@link #removeThrough} moves it past the given key. A key below the base cannot be put.
 *
 * @param <V> the value
 */
final class SeqRing<V> implements LongTable<V> {
    private static final int MAX_CAPACITY = 1 << 30;

    private final boolean growable;
    private Object[] slots;
    private int mask;
    /** Every key present is at least {@code base}. */
    private long base;
    /** One past the highest key put since the last {@link #clear}. */
    private long end;

    private int size;

    /**
     * @param capacity the least number of slots (rounded up to a power of two)
     * @param growable whether a key beyond {@code base + capacity} grows the ring, or is refused
     * @param base     the lowest key that may be put
     */
    SeqRing(int capacity, boolean growable, long base) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        int c = Integer.highestOneBit(capacity);
        c = c == capacity ? c : c << 1;
        this.slots = new Object[c];
        this.mask = c - 1;
        this.growable = growable;
        this.base = base;
        this.end = base;
    }

    /** The number of slots. */
    int capacity() {
        return slots.length;
    }

    @SuppressWarnings("unchecked")
    @Override
    public V get(long key) {
        if (key < base || key >= end) {
            return null;
        }
        return (V) slots[(int) key & mask];
    }

    @Override
    public void put(long key, V value) {
        if (value == null) {
            throw new IllegalArgumentException("null value");
        }
        if (key < base) {
            throw new IllegalStateException("key " + key + " is below the ring's base " + base);
        }
        if (key - base >= slots.length) {
            if (!growable) {
                throw new IllegalStateException(
                        "key " + key + " is beyond the ring's window [" + base + ", " + (base + slots.length) + ")");
            }
            grow(key - base + 1);
        }
        int i = (int) key & mask;
        if (key >= end || slots[i] == null) {
            size++;
        }
        slots[i] = value;
        end = Math.max(end, key + 1);
    }

    private void grow(long needed) {
        if (needed > MAX_CAPACITY) {
            throw new IllegalStateException("more than " + MAX_CAPACITY + " keys in one window");
        }
        int c = slots.length;
        while (c < needed) {
            c <<= 1;
        }
        Object[] bigger = new Object[c];
        int newMask = c - 1;
        for (long k = base; k < end; k++) {
            bigger[(int) k & newMask] = slots[(int) k & mask];
        }
        slots = bigger;
        mask = newMask;
    }

    @Override
    public V remove(long key) {
        V v = get(key);
        if (v == null) {
            return null;
        }
        slots[(int) key & mask] = null;
        size--;
        if (key == base) {
            while (base < end && slots[(int) base & mask] == null) {
                base++;
            }
        }
        return v;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long firstKey() {
        for (long k = base; k < end; k++) {
            if (slots[(int) k & mask] != null) {
                return k;
            }
        }
        throw new java.util.NoSuchElementException("empty");
    }

    @SuppressWarnings("unchecked")
    @Override
    public int removeThrough(long key, Consumer<? super V> gone) {
        int n = 0;
        long last = Math.min(key, end - 1);
        for (long k = base; k <= last && size > 0; k++) {
            int i = (int) k & mask;
            if (slots[i] != null) {
                V v = (V) slots[i];
                slots[i] = null;
                size--;
                n++;
                gone.accept(v);
            }
        }
        if (key >= base) {
            base = key + 1;
            end = Math.max(end, base);
        }
        return n;
    }

    @Override
    public void clear(long nextKey) {
        java.util.Arrays.fill(slots, null);
        size = 0;
        base = nextKey;
        end = nextKey;
    }

    @SuppressWarnings("unchecked")
    @Override
    public void forEach(Entry<? super V> each) {
        for (long k = base; k < end; k++) {
            Object v = slots[(int) k & mask];
            if (v != null) {
                each.accept(k, (V) v);
            }
        }
    }

    @SuppressWarnings("unchecked")
    @Override
    public void forEachWhile(Visitor<? super V> each) {
        for (long k = base; k < end; k++) {
            Object v = slots[(int) k & mask];
            if (v != null && !each.visit(k, (V) v)) {
                return;
            }
        }
    }

    @Override
    public List<V> values() {
        List<V> out = new ArrayList<>(size);
        forEach((k, v) -> out.add(v));
        return out;
    }
}
