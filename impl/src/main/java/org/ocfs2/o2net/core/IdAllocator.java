// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import java.util.BitSet;

/**
 * Waiter ids ({@code msg_num}) as the kernel allocates them with {@code idr_alloc(start 0)}: always the lowest free id,
 * so an id is reused as soon as its call is over. It is therefore no sequence number: {@code msg_seq} is.
 */
final class IdAllocator {
    private final BitSet used = new BitSet();

    int alloc() {
        int id = used.nextClearBit(0);
        used.set(id);
        return id;
    }

    void free(int id) {
        if (!used.get(id)) {
            throw new IllegalStateException("msg_num " + id + " is not allocated");
        }
        used.clear(id);
    }

    int inUse() {
        return used.cardinality();
    }
}
