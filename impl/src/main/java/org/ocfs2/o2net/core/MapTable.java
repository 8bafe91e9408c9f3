// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A {@link LongTable} over a {@link TreeMap} (key order): the Message Holders of protocol v12, whose {@code msg_seq} a
 * peer may pick anywhere.
 */
final class MapTable<V> implements LongTable<V> {
    private final TreeMap<Long, V> map = new TreeMap<>();

    private MapTable() {}

    /** Key order. */
    static <V> MapTable<V> sorted() {
        return new MapTable<>();
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
        return map.firstKey();
    }

    @Override
    public int removeThrough(long key, Consumer<? super V> gone) {
        Map<Long, V> head = map.headMap(key, true);
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
