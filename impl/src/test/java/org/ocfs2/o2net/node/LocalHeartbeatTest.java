// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.ocfs2.o2net.netty.Await;

/** {@link LocalHeartbeat}: incarnations, the events each view gets, and the delivery policies. */
class LocalHeartbeatTest {
    /** Records a view's events as "up 2 &lt;inc&gt;" / "down 2 &lt;inc&gt;". */
    private static List<String> record(NodeLiveness view) {
        List<String> events = new CopyOnWriteArrayList<>();
        view.addListener(new NodeLiveness.Listener() {
            @Override
            public void nodeUp(int node, long inc) {
                events.add("up " + node + " " + inc);
            }

            @Override
            public void nodeDown(int node, long inc) {
                events.add("down " + node + " " + inc);
            }
        });
        return events;
    }

    @Test
    void joinRestartAndStopAreToldToTheOthersInOrder() {
        try (LocalHeartbeat hb = LocalHeartbeat.immediate()) {
            NodeLiveness one = hb.join(1);
            List<String> seen = record(one);
            NodeLiveness two = hb.join(2);
            long inc2 = two.incarnation();
            assertNotEquals(0, inc2);
            assertNotEquals(one.incarnation(), inc2);
            assertTrue(two.isAlive(1), "a node that joins sees the nodes alive now");
            assertTrue(two.isAlive(2), "and itself");
            assertFalse(two.isAlive(3));
            assertEquals(List.of("up 2 " + inc2), seen);
            assertTrue(one.isAlive(2));

            List<String> oldTwo = record(two);
            NodeLiveness twoAgain = hb.restart(2);
            long inc2b = twoAgain.incarnation();
            assertNotEquals(inc2, inc2b);
            assertEquals(inc2b, hb.incarnation(2));
            assertEquals(List.of("up 2 " + inc2, "down 2 " + inc2, "up 2 " + inc2b), seen);

            hb.stop(1);
            assertEquals(0, hb.incarnation(1));
            assertFalse(twoAgain.isAlive(1));
            assertEquals(List.of(), oldTwo, "the restarted process's old view gets nothing");
            assertThrows(IllegalStateException.class, () -> hb.stop(1));
            assertThrows(IllegalStateException.class, () -> hb.join(2));

            // A stopped node's view still sees the others until it joins again.
            long inc2c = hb.restart(2).incarnation();
            assertEquals(
                    List.of("up 2 " + inc2, "down 2 " + inc2, "up 2 " + inc2b, "down 2 " + inc2b, "up 2 " + inc2c),
                    seen,
                    "node 1 stopped heartbeating but still hears of node 2");
        }
    }

    @Test
    void manualDeliveryWaitsForDeliver() {
        try (LocalHeartbeat hb = LocalHeartbeat.manual()) {
            NodeLiveness one = hb.join(1);
            List<String> seen = record(one);
            NodeLiveness two = hb.join(2);
            assertFalse(one.isAlive(2), "not delivered yet");
            assertEquals(1, hb.pendingEvents());
            hb.deliver();
            assertTrue(one.isAlive(2));
            long old = two.incarnation();
            NodeLiveness fresh = hb.restart(2);
            assertEquals(List.of("up 2 " + old), seen, "a quick restart unseen by heartbeat");
            assertTrue(one.isAlive(2));
            assertEquals(2, hb.pendingEvents());
            hb.deliver();
            assertEquals(List.of("up 2 " + old, "down 2 " + old, "up 2 " + fresh.incarnation()), seen);
            assertEquals(0, hb.pendingEvents());
        }
    }

    @Test
    void delayedDeliveryComesNoSoonerThanTheDelay() {
        Duration delay = Duration.ofMillis(200);
        try (LocalHeartbeat hb = LocalHeartbeat.delayed(delay)) {
            NodeLiveness one = hb.join(1);
            List<String> seen = record(one);
            long start = System.nanoTime();
            hb.join(2);
            Await.until("node 1 hears of node 2", () -> !seen.isEmpty());
            assertTrue(System.nanoTime() - start >= delay.toNanos());
            assertTrue(one.isAlive(2));
        }
    }
}
