// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ocfs2.o2net.node.TestCluster.KEY;
import static org.ocfs2.o2net.node.TestCluster.MSG;
import static org.ocfs2.o2net.node.TestCluster.payload;
import static org.ocfs2.o2net.node.TestCluster.statusOf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ocfs2.o2net.netty.Await;
import org.ocfs2.o2net.netty.FrameHolds;
import org.ocfs2.o2net.netty.LogCapture;
import org.ocfs2.o2net.wire.Errno;
import org.ocfs2.o2net.wire.Magic;
import org.ocfs2.o2net.wire.O2netException;
import org.ocfs2.o2net.wire.ProtocolVersion;

/**
 * Connection resets, restarts, heartbeat events and handshake mismatches over loopback TCP, made deterministic with
 * held frames: what {@code spec/tla/ReliableO2net.tla} promises in v12 and what {@code spec/tla/O2net.tla} predicts
 * for today's protocol (v11).
 */
@Timeout(90)
class ReliabilityTest {
    private TestCluster cluster;
    private final FrameHolds holds = new FrameHolds();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void tearDown() {
        release.countDown();
        if (cluster != null) {
            cluster.close();
        }
    }

    private static int get(CompletableFuture<Integer> f) throws Exception {
        return f.get(Await.TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    private static Errno errnoOf(CompletableFuture<Integer> f) {
        ExecutionException e =
                assertThrows(ExecutionException.class, () -> f.get(Await.TIMEOUT_MS, TimeUnit.MILLISECONDS));
        return assertInstanceOf(O2netException.class, e.getCause()).errno();
    }

    /** The status of "b" is held on node 1 after its handler ran. */
    private CompletableFuture<Integer> callWithStatusHeld(String p) {
        holds.hold(1, 2, 1, f -> f.magic() == Magic.STATUS);
        CompletableFuture<Integer> f = cluster.node(2).sendAsync(MSG, KEY, payload(p), 1);
        Await.until(
                p + " ran on node 1 and its status is held",
                () -> cluster.runs(p) == 1 && NodeControl.heldFrames(cluster.node(1), 2) >= 1);
        return f;
    }

    /** The request of "a" is held on node 2: node 1 never sees it on this connection. */
    private CompletableFuture<Integer> callWithRequestHeld(String p) {
        holds.hold(2, 1, 1, f -> f.magic() == Magic.MSG);
        CompletableFuture<Integer> f = cluster.node(2).sendAsync(MSG, KEY, payload(p), 1);
        Await.until(p + " is held on node 2", () -> NodeControl.heldFrames(cluster.node(2), 1) >= 1);
        return f;
    }

    /** The handler of "c" runs on node 1 and blocks until {@link #release}. */
    private CompletableFuture<Integer> callWithHandlerRunning(String p) {
        CompletableFuture<Integer> f = cluster.node(2).sendAsync(MSG, KEY, payload(p), 1);
        Await.until(p + " runs on node 1", () -> cluster.runs(p) == 1);
        return f;
    }

    private void blockOn(String p) {
        cluster.hook = r -> {
            if (p.equals(new String(r.payload()))) {
                release.await();
            }
            return 0;
        };
    }

    @ParameterizedTest
    @EnumSource(
            value = ProtocolVersion.class,
            names = {"V12", "V13"})
    void reliableResetBetweenHandlerAndStatusLosesNothingAndRunsNothingTwice(ProtocolVersion v) throws Exception {
        cluster = TestCluster.builder(2)
                .config(b -> b.protocol(v))
                .faultInjector(holds)
                .start()
                .awaitConnected();
        blockOn("c");
        CompletableFuture<Integer> b = callWithStatusHeld("b");
        CompletableFuture<Integer> c = callWithHandlerRunning("c");
        CompletableFuture<Integer> a = callWithRequestHeld("a");
        assertTrue(NodeControl.resetConnection(cluster.node(1), 2), "an RST while three calls are in flight");
        cluster.awaitConnected(2, 1);
        release.countDown();
        assertEquals(statusOf(payload("a")), get(a));
        assertEquals(statusOf(payload("b")), get(b));
        assertEquals(statusOf(payload("c")), get(c));
        for (String p : List.of("a", "b", "c")) {
            assertEquals(1, cluster.runs(p), p + "'s handler ran exactly once");
        }
        cluster.awaitQuiet();
        PeerStats s2 = cluster.node(2).stats(1);
        PeerStats s1 = cluster.node(1).stats(2);
        assertTrue(s2.resends() >= 3, s2::toString);
        assertTrue(s1.duplicates() >= 2, "b and c came again and were not handled again: " + s1);
        assertEquals(0, s2.failedCalls());
        assertEquals(1, s2.disconnects());
        if (v == ProtocolVersion.V13) {
            assertTrue(s1.mhFreedByAck() >= 3, "node 2's acks freed node 1's Message Holders: " + s1);
        }
    }

    @Test
    void kernelProtocolV11LosesTheCallsInFlightOnTheSameReset() throws Exception {
        cluster = TestCluster.builder(2)
                .reliable(false)
                .faultInjector(holds)
                .start()
                .awaitConnected();
        blockOn("c");
        CompletableFuture<Integer> b = callWithStatusHeld("b");
        CompletableFuture<Integer> c = callWithHandlerRunning("c");
        CompletableFuture<Integer> a = callWithRequestHeld("a");
        assertTrue(NodeControl.resetConnection(cluster.node(1), 2));
        // Every call in flight dies with -EHOSTDOWN (O2NET_ERR_DIED), whether its handler ran or not:
        assertEquals(Errno.EHOSTDOWN, errnoOf(a));
        assertEquals(Errno.EHOSTDOWN, errnoOf(b));
        assertEquals(Errno.EHOSTDOWN, errnoOf(c));
        release.countDown();
        Await.until("c's handler finished", () -> cluster.node(1).stats(2).handlerRuns() == 2);
        // "a" never ran: a caller that gives up on EHOSTDOWN has lost it (MCO2netNoRetry.cfg: NoLostCallInv fails).
        assertEquals(0, cluster.runs("a"));
        // "b" and "c" did run: a caller that retries on EHOSTDOWN runs them twice.
        assertEquals(1, cluster.runs("b"));
        assertEquals(1, cluster.runs("c"));
        assertEquals(3, cluster.node(2).stats(1).failedCalls());
        // Unlike today's kernel, the connector reconnects, and later calls work.
        assertEquals(statusOf(payload("d")), cluster.node(2).send(MSG, KEY, payload("d"), 1));
    }

    @ParameterizedTest
    @EnumSource(
            value = ProtocolVersion.class,
            names = {"V12", "V13"})
    void reliableCallsSurviveRepeatedResetsUnderLoad(ProtocolVersion v) throws Exception {
        cluster = TestCluster.builder(2)
                .config(b -> b.protocol(v).window(8))
                .start()
                .awaitConnected();
        int threads = 4;
        int calls = 60;
        AtomicInteger done = new AtomicInteger();
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int from = t % 2 == 0 ? 2 : 1;
            int id = t;
            ts.add(new Thread(
                    () -> {
                        for (int i = 0; i < calls; i++) {
                            String p = "r" + id + "-" + i;
                            try {
                                int status = cluster.node(from).send(MSG, KEY, payload(p), 3 - from);
                                if (status != statusOf(payload(p))) {
                                    wrong.add(p + " got " + status);
                                }
                            } catch (RuntimeException e) {
                                wrong.add(p + " threw " + e);
                            }
                            done.incrementAndGet();
                        }
                    },
                    "caller-" + t));
        }
        int resets = 0;
        try (LogCapture log = new LogCapture()) {
            ts.forEach(Thread::start);
            for (int k = 1; k <= 8; k++) {
                int target = k * threads * calls / 10;
                Await.until(target + " calls done", () -> done.get() >= target || wrong.size() > 0);
                if (NodeControl.resetConnection(cluster.node(k % 2 == 0 ? 1 : 2), k % 2 == 0 ? 2 : 1)) {
                    resets++;
                }
            }
            for (Thread t : ts) {
                t.join(Await.TIMEOUT_MS * 2);
                assertFalse(
                        t.isAlive(),
                        t.getName() + " is stuck: " + cluster.node(1).sendTracking() + " "
                                + cluster.node(2).sendTracking());
            }
            assertFalse(log.contains(" ERROR "), log::text);
        }
        assertEquals(List.of(), wrong);
        assertTrue(resets >= 4, "resets happened: " + resets);
        assertEquals(threads * calls, cluster.runs.size());
        assertTrue(cluster.runs.values().stream().allMatch(x -> x.get() == 1), "every handler ran exactly once");
        long resends =
                cluster.node(1).stats(2).resends() + cluster.node(2).stats(1).resends();
        assertTrue(resends > 0, "the resets hit calls in flight");
        cluster.awaitQuiet();
    }

    @Test
    void receiverRestartUnseenByHeartbeatFailsPendingCallsAndNeverRunsThemTwice() throws Exception {
        cluster = TestCluster.builder(2)
                .heartbeat(LocalHeartbeat.manual())
                .faultInjector(holds)
                .start()
                .awaitConnected();
        long oldInc = cluster.node(1).incarnation();
        CompletableFuture<Integer> b = callWithStatusHeld("b");
        CompletableFuture<Integer> a = callWithRequestHeld("a");
        O2netNode fresh = cluster.restart(1);
        assertNotEquals(oldInc, fresh.incarnation());
        assertTrue(cluster.hb.pendingEvents() > 0, "node 2's heartbeat has not seen the restart");
        // Node 2 reconnects, sees the new incarnation in the handshake and fails what it held for the old one.
        assertEquals(Errno.EHOSTDOWN, errnoOf(a));
        assertEquals(Errno.EHOSTDOWN, errnoOf(b));
        assertEquals(fresh.incarnation(), cluster.node(2).stats(1).peerIncarnation());
        assertEquals(statusOf(payload("d")), cluster.node(2).send(MSG, KEY, payload("d"), 1));
        // The heartbeat's news comes late: it is old news for o2net, the session with the new node stays.
        cluster.hb.deliver();
        assertEquals(statusOf(payload("e")), cluster.node(2).send(MSG, KEY, payload("e"), 1));
        assertEquals(List.of(1), cluster.node(2).connectedNodes());
        assertEquals(0, cluster.runs("a"), "a never ran");
        assertEquals(1, cluster.runs("b"), "b ran on the old node only");
        assertEquals(2, cluster.node(2).stats(1).failedCalls());
        cluster.awaitQuiet();
    }

    @Test
    void receiverRestartSeenByHeartbeatFailsPendingCalls() throws Exception {
        cluster = TestCluster.builder(2).faultInjector(holds).start().awaitConnected();
        CompletableFuture<Integer> b = callWithStatusHeld("b");
        O2netNode fresh = cluster.restart(1);
        assertEquals(Errno.EHOSTDOWN, errnoOf(b));
        cluster.awaitConnected(2, 1);
        assertEquals(fresh.incarnation(), cluster.node(2).stats(1).peerIncarnation());
        assertEquals(statusOf(payload("d")), cluster.node(2).send(MSG, KEY, payload("d"), 1));
        assertEquals(1, cluster.runs("b"));
    }

    @Test
    void heartbeatNodeDownFailsPendingCallsAndFreesMessageHolders() throws Exception {
        cluster = TestCluster.builder(2).start().awaitConnected();
        blockOn("x");
        CompletableFuture<Integer> x = callWithHandlerRunning("x");
        Await.until("node 1 holds x's MH", () -> cluster.node(1).stats(2).mhCount() == 1);
        try (LogCapture log = new LogCapture()) {
            // Node 1's heartbeat declares node 2 dead: its MHs go, the running handler becomes an orphan.
            cluster.hb.stop(2);
            PeerStats s1 = cluster.node(1).stats(2);
            assertEquals(0, s1.mhCount(), s1::toString);
            assertEquals(1, s1.orphans());
            assertFalse(s1.connected());
            // Node 2 still sees node 1: it keeps x and tries to reconnect, and node 1 refuses.
            Await.until(
                    "node 1 refuses node 2",
                    () -> log.contains("Attempt to connect from node 'n2' at 127.0.0.2:")
                            && log.contains("but it isn't heartbeating"),
                    log::text);
            assertFalse(x.isDone());
            // Node 2's heartbeat declares node 1 dead: x fails.
            cluster.hb.stop(1);
            assertEquals(Errno.EHOSTDOWN, errnoOf(x));
            assertEquals(0, cluster.node(2).stats(1).heldCount());
            O2netException e =
                    assertThrows(O2netException.class, () -> cluster.node(2).send(MSG, KEY, payload("y"), 1));
            assertEquals(Errno.ENOTCONN, e.errno());
        }
        release.countDown();
        Await.until("the orphan finished", () -> cluster.node(1).stats(2).orphans() == 0);
        assertEquals(1, cluster.runs("x"));
        assertEquals(0, cluster.node(1).stats(2).mhCount());
    }

    @Test
    void idleTimeoutClosesAndTheCallCompletesOnTheNextConnection() throws Exception {
        cluster = TestCluster.builder(2).faultInjector(holds).start().awaitConnected();
        holds.hold(1, 2, Integer.MAX_VALUE);
        try (LogCapture log = new LogCapture()) {
            CompletableFuture<Integer> z = cluster.node(2).sendAsync(MSG, KEY, payload("z"), 1);
            Await.until(
                    "node 2's idle timer fired", () -> cluster.node(2).stats(1).idleTimeouts() >= 1);
            holds.clear();
            Await.until("z completes", () -> {
                NodeControl.releaseFrames(cluster.node(1), 2);
                return z.isDone();
            });
            assertEquals(statusOf(payload("z")), get(z));
            assertTrue(log.contains("o2net: Connection to node n1 (num 1) at 127.0.0.1:"), log::text);
            assertTrue(log.contains("has been idle for 2.0 secs."), log::text);
        }
        assertEquals(1, cluster.runs("z"));
        cluster.awaitQuiet();
    }

    @Test
    void handshakeMismatchIsAPersistentEnotconnUntilHeartbeatDownAndUp() {
        try (LogCapture log = new LogCapture()) {
            cluster = TestCluster.builder(2)
                    .config(1, b -> b.idleTimeoutMs(TestCluster.IDLE_MS + 100))
                    .start();
            O2netNode n2 = cluster.node(2);
            Await.until(
                    "both sides have the persistent error",
                    () -> n2.stats(1).persistentError() == Errno.ENOTCONN
                            && cluster.node(1).stats(2).persistentError() == Errno.ENOTCONN,
                    log::text);
            O2netException e = assertThrows(O2netException.class, () -> n2.send(MSG, KEY, payload("m"), 1));
            assertEquals(Errno.ENOTCONN, e.errno());
            assertTrue(
                    e.getMessage()
                            .contains("uses a network idle timeout of 2100 ms, but we use 2000 ms locally. "
                                    + "Disconnecting."),
                    e.getMessage());
            assertTrue(log.contains("o2net: node n1 (num 1) at 127.0.0.1:"), log::text);
            assertTrue(log.contains("o2net: node n2 (num 2) at 127.0.0.2:"), log::text);
            assertEquals(1, n2.stats(1).connectAttempts(), "no retry");
            // Heartbeat reports node 1 down and up: the error is cleared, node 2 tries again, and fails again.
            cluster.hb.stop(1);
            cluster.hb.join(1);
            Await.until(
                    "node 2 tried again",
                    () -> n2.stats(1).connectAttempts() == 2 && n2.stats(1).persistentError() == Errno.ENOTCONN,
                    () -> n2.stats(1).toString());
            assertEquals(0, cluster.runs("m"));
        }
    }

    @Test
    void protocolV11AndV12RefuseEachOther() {
        try (LogCapture log = new LogCapture()) {
            cluster = TestCluster.builder(2).config(1, b -> b.reliable(false)).start();
            Await.until(
                    "both sides have the persistent error",
                    () -> cluster.node(2).stats(1).persistentError() == Errno.ENOTCONN
                            && cluster.node(1).stats(2).persistentError() == Errno.ENOTCONN,
                    log::text);
            assertTrue(
                    log.contains("advertised net protocol version 11 but 12 is required. Disconnecting."), log::text);
            assertTrue(
                    log.contains("advertised net protocol version 12 but 11 is required. Disconnecting."), log::text);
            O2netException e =
                    assertThrows(O2netException.class, () -> cluster.node(1).send(MSG, KEY, payload("v"), 2));
            assertEquals(Errno.ENOTCONN, e.errno());
        }
    }
}
