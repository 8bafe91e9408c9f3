// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A {@link LongTable} over a {@link Map}: a {@link TreeMap} (key order) for the Message Holders of protocol v12, whose
 * {@code msg_seq} a peer may pick anywhere, or a {@link LinkedHashMap} (insertion order) for the waiters of v11, keyed
 * by {@code msg_num}, which o2net reuses.
 */
final class MapTable<V> implements LongTable<V> {
    private final Map<Long, V> map;
    private final boolean sorted;

    private MapTable(Map<Long, V> map, boolean sorted) {
        this.map = map;
        this.sorted = sorted;
    }

    /** Key order. */
    static <V> MapTable<V> sorted() {
        return new MapTable<>(new TreeMap<>(), true);
    }

    /** Insertion order. */
    static <V> MapTable<V> insertionOrder() {
        return new MapTable<>(new LinkedHashMap<>(), false);
    }

    @Override
    public V get(long key) {
        return map.get(key);
    }

    @Override
    public void put(long key, V value) {
        map.put(key, value);
    }

    @Override
    public V remove(long key) {
        return map.remove(key);
    }

    @Override
    public int size() {
        return map.size();
    }

    @Override
    public long firstKey() {
        if (sorted) {
            return ((TreeMap<Long, V>) map).firstKey();
        }
        return map.keySet().stream().mapToLong(Long::longValue).min().orElseThrow();
    }

    @Override
    public int removeThrough(long key, Consumer<? super V> gone) {
        if (!sorted) {
            throw new UnsupportedOperationException("removeThrough needs key order");
        }
        Map<Long, V> head = ((TreeMap<Long, V>) map).headMap(key, true);
        int n = head.size();
        for (Iterator<V> it = head.values().iterator(); it.hasNext(); ) {
            gone.accept(it.next());
            it.remove();
        }
        return n;
    }

    @Override
    public void clear(long nextKey) {
        map.clear();
    }

    @Override
    public void forEach(Entry<? super V> each) {
        map.forEach((k, v) -> each.accept(k, v));
    }

    @Override
    public void forEachWhile(Visitor<? super V> each) {
        for (Map.Entry<Long, V> e : map.entrySet()) {
            if (!each.visit(e.getKey(), e.getValue())) {
                return;
            }
        }
    }

    @Override
    public List<V> values() {
        return new ArrayList<>(map.values());
    }
}
