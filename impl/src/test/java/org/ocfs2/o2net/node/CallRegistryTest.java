// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link CallRegistry}: the calls in progress, linked through the calls, in the order they entered. */
class CallRegistryTest {
    private final CallRegistry registry = new CallRegistry();

    private List<Call> enter(int n) {
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Call c = new Call(null, registry, 7, i, new byte[0], "caller-" + i, i);
            registry.add(c);
            calls.add(c);
        }
        return calls;
    }

    @Test
    void callsAreListedInTheOrderTheyEntered() {
        List<Call> calls = enter(4);
        assertEquals(calls, registry.snapshot());
    }

    @Test
    void removingTheHeadTheTailOrAMiddleCallKeepsTheOthersInOrder() {
        List<Call> c = enter(5);
        registry.remove(c.get(2));
        assertEquals(List.of(c.get(0), c.get(1), c.get(3), c.get(4)), registry.snapshot());
        registry.remove(c.get(0));
        assertEquals(List.of(c.get(1), c.get(3), c.get(4)), registry.snapshot());
        registry.remove(c.get(4));
        assertEquals(List.of(c.get(1), c.get(3)), registry.snapshot());
        registry.remove(c.get(1));
        registry.remove(c.get(3));
        assertEquals(List.of(), registry.snapshot());
        Call again = enter(1).get(0);
        assertEquals(List.of(again), registry.snapshot(), "an emptied registry links a new call as head and tail");
    }

    @Test
    void aCallLeavesOnceAndASecondRemoveChangesNothing() {
        List<Call> c = enter(3);
        registry.remove(c.get(1));
        registry.remove(c.get(1));
        assertNull(c.get(1).prev);
        assertNull(c.get(1).next);
        assertEquals(List.of(c.get(0), c.get(2)), registry.snapshot());
        // the only call left: it is head and tail at once, with no neighbours; removed twice, the list is empty
        registry.remove(c.get(0));
        registry.remove(c.get(2));
        registry.remove(c.get(2));
        assertEquals(List.of(), registry.snapshot());
    }

    @Test
    void aCallThatEndsLeavesTheRegistry() {
        List<Call> c = enter(3);
        c.get(1).fail(org.ocfs2.o2net.wire.Errno.EHOSTDOWN, "node 2 died");
        assertEquals(List.of(c.get(0), c.get(2)), registry.snapshot());
    }
}
