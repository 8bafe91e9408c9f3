// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link LongTable} for v11's waiters, keyed by {@code msg_num}: an array indexed by the key, as the kernel's idr
 * is, since {@link IdAllocator} hands out the lowest free ids (the array is as long as the most calls ever in progress
 * at once). The insertion order (the order the calls started, in which v11 fails them at a reset and lists them) is a
 * doubly linked list through two {@code int} arrays beside it: holding a waiter makes no object, where a
 * {@link java.util.LinkedHashMap} makes an entry of 40 bytes per call.
 * <p>
 * Keys are {@code msg_num}s: from 0 up to {@link Integer#MAX_VALUE} to {@link #put}; any {@code long} to
 * {@link #get}/{@link #remove}, which find nothing outside the array (a peer's STATUS may name any {@code msg_num}).
 *
 * @param <V> the value
 */
final class IdTable<V> implements LongTable<V> {
    private static final int NONE = -1;

    private Object[] slots;
    /** The key put before / after each key, or {@link #NONE}; meaningful only where a value is. */
    private int[] prev;

    private int[] next;
    private int head = NONE;
    private int tail = NONE;
    private int size;

    /** @param capacity the keys the table holds before it grows (it grows to any key put) */
    IdTable(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        slots = new Object[capacity];
        prev = new int[capacity];
        next = new int[capacity];
    }

    /** The keys held without growing. */
    int capacity() {
        return slots.length;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(long key) {
        return key >= 0 && key < slots.length ? (V) slots[(int) key] : null;
    }

    @Override
    public void put(long key, V value) {
        if (key < 0 || key > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("key " + key + " is not a msg_num this table holds");
        }
        if (value == null) {
            throw new NullPointerException("value");
        }
        int k = (int) key;
        if (k >= slots.length) {
            int n = Math.max(k + 1, slots.length * 2);
            slots = Arrays.copyOf(slots, n);
            prev = Arrays.copyOf(prev, n);
            next = Arrays.copyOf(next, n);
        }
        if (slots[k] == null) {
            // a new key goes last; a replaced one keeps its place, as in a LinkedHashMap
            prev[k] = tail;
            next[k] = NONE;
            if (tail == NONE) {
                head = k;
            } else {
                next[tail] = k;
            }
            tail = k;
            size++;
        }
        slots[k] = value;
    }

    @Override
    public V remove(long key) {
        V v = get(key);
        if (v == null) {
            return null;
        }
        int k = (int) key;
        int p = prev[k];
        int n = next[k];
        if (p == NONE) {
            head = n;
        } else {
            next[p] = n;
        }
        if (n == NONE) {
            tail = p;
        } else {
            prev[n] = p;
        }
        slots[k] = null;
        size--;
        return v;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long firstKey() {
        if (size == 0) {
            throw new java.util.NoSuchElementException("empty table");
        }
        int min = Integer.MAX_VALUE;
        for (int k = head; k != NONE; k = next[k]) {
            min = Math.min(min, k);
        }
        return min;
    }

    /** Not supported: v11 acknowledges nothing. */
    @Override
    public int removeThrough(long key, Consumer<? super V> gone) {
        throw new UnsupportedOperationException("removeThrough needs key order");
    }

    @Override
    public void clear(long nextKey) {
        Arrays.fill(slots, null);
        head = NONE;
        tail = NONE;
        size = 0;
    }

    @Override
    public void forEach(Entry<? super V> each) {
        forEachWhile((k, v) -> {
            each.accept(k, v);
            return true;
        });
    }

    /** In insertion order; {@code each} may remove the key it is given (the walk reads the next one first). */
    @Override
    @SuppressWarnings("unchecked")
    public void forEachWhile(Visitor<? super V> each) {
        for (int k = head; k != NONE; ) {
            int n = next[k];
            if (!each.visit(k, (V) slots[k])) {
                return;
            }
            k = n;
        }
    }

    @Override
    public List<V> values() {
        List<V> out = new ArrayList<>(size);
        forEach((k, v) -> out.add(v));
        return out;
    }
}
