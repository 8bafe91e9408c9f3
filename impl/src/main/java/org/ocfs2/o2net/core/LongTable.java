// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import java.util.List;
import java.util.function.Consumer;

/**
 * What the core needs of a table keyed by {@code msg_seq} (or, in v11, {@code msg_num}): the sender's held messages
 * and the receiver's Message Holders. Three kinds: {@link SeqRing}, an array indexed by {@code msg_seq} (no boxed key, no
 * tree node: what a window allows); {@link IdTable}, an array indexed by v11's {@code msg_num}, in insertion order; and
 * {@link MapTable}, a sorted map for v12's Message Holders, whose keys have no window.
 *
 * @param <V> the value
 */
interface LongTable<V> {
    /** The value at {@code key}, or null. */
    V get(long key);

    /** Puts {@code value} at {@code key}, replacing what was there (as {@link java.util.Map#put} does). */
    void put(long key, V value);

    /** Removes and returns the value at {@code key}, or null. */
    V remove(long key);

    int size();

    default boolean isEmpty() {
        return size() == 0;
    }

    /** The lowest key; the table must not be empty. */
    long firstKey();

    /** Removes every value at or below {@code key}, in key order, handing each to {@code gone}; returns how many. */
    int removeThrough(long key, Consumer<? super V> gone);

    /** Removes everything; a {@link SeqRing} starts again at {@code nextKey}. */
    void clear(long nextKey);

    /** Every key and value, in the table's order. */
    void forEach(Entry<? super V> each);

    /** Every key and value, in the table's order, while {@code each} returns true. */
    void forEachWhile(Visitor<? super V> each);

    /** The values in the table's order, copied. */
    List<V> values();

    /** A key and its value. */
    @FunctionalInterface
    interface Entry<V> {
        void accept(long key, V value);
    }

    /** A key and its value; false stops the walk. */
    @FunctionalInterface
    interface Visitor<V> {
        boolean visit(long key, V value);
    }
}
