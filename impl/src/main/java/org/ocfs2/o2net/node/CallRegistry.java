// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import java.util.ArrayList;
import java.util.List;

/**
 * A node's calls in progress (what {@code close()} fails and debugfs {@code send_tracking} lists): a doubly linked list
 * through the calls themselves, so that entering and leaving it allocates nothing (a concurrent set allocated a node
 * per call). A call is in the list from {@link O2netNode#send} until it ends; every operation holds the registry's
 * lock for a few field writes.
 */
final class CallRegistry {
    private Call head;
    private Call tail;

    /** Appends {@code c}, which is in no registry. */
    synchronized void add(Call c) {
        c.prev = tail;
        c.next = null;
        if (tail == null) {
            head = c;
        } else {
            tail.next = c;
        }
        tail = c;
    }

    /** Unlinks {@code c} if it is in the list; does nothing otherwise (a call leaves once, whatever ends it). */
    synchronized void remove(Call c) {
        if (c != head && c.prev == null) {
            return;
        }
        if (c.prev == null) {
            head = c.next;
        } else {
            c.prev.next = c.next;
        }
        if (c.next == null) {
            tail = c.prev;
        } else {
            c.next.prev = c.prev;
        }
        c.prev = null;
        c.next = null;
    }

    /** The calls in progress, in the order they entered. */
    synchronized List<Call> snapshot() {
        List<Call> out = new ArrayList<>();
        for (Call c = head; c != null; c = c.next) {
            out.add(c);
        }
        return out;
    }
}
