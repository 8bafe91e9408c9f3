// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ocfs2.o2net.node.TestCluster.KEY;
import static org.ocfs2.o2net.node.TestCluster.MSG;
import static org.ocfs2.o2net.node.TestCluster.payload;
import static org.ocfs2.o2net.node.TestCluster.statusOf;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ocfs2.o2net.netty.Await;
import org.ocfs2.o2net.netty.LogCapture;
import org.ocfs2.o2net.wire.Errno;
import org.ocfs2.o2net.wire.O2netException;

/** The public API of {@link O2netNode} over loopback TCP: calls, errors, handlers, threading, observability. */
@Timeout(60)
class O2netNodeTest {
    private TestCluster cluster;
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void tearDown() {
        release.countDown();
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Errno errnoOf(Runnable r) {
        return assertThrows(O2netException.class, r::run).errno();
    }

    private static Errno errnoOf(CompletableFuture<Integer> f) {
        ExecutionException e =
                assertThrows(ExecutionException.class, () -> f.get(Await.TIMEOUT_MS, TimeUnit.MILLISECONDS));
        return assertInstanceOf(O2netException.class, e.getCause()).errno();
    }

    private static int get(CompletableFuture<Integer> f) throws Exception {
        return f.get(Await.TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    @Test
    void callsReturnTheHandlersStatusBothWays() {
        cluster = TestCluster.builder(2).start();
        O2netNode n1 = cluster.node(1);
        O2netNode n2 = cluster.node(2);
        assertEquals(statusOf(payload("to one")), n2.send(MSG, KEY, payload("to one"), 1));
        assertEquals(statusOf(payload("to two")), n1.send(MSG, KEY, payload("to two"), 2));
        assertEquals(statusOf(new byte[0]), n1.send(MSG, KEY, new byte[0], 2), "an empty payload is a payload");
        assertEquals(1, cluster.runs("to one"));
        assertEquals(1, cluster.runs("to two"));
        assertEquals(List.of(2), n1.connectedNodes());
        assertEquals(List.of(1), n2.connectedNodes());
        cluster.awaitQuiet();
        PeerStats s = n2.stats(1);
        assertEquals(1, s.calls());
        assertEquals(2, s.handlerRuns(), "node 2 ran node 1's two calls");
        assertEquals(n1.incarnation(), s.peerIncarnation());
    }

    @Test
    void kernelProtocolV11CallsWork() {
        cluster = TestCluster.builder(3).reliable(false).start();
        for (int from = 1; from <= 3; from++) {
            for (int to = 1; to <= 3; to++) {
                if (from != to) {
                    String p = from + "->" + to;
                    assertEquals(statusOf(payload(p)), cluster.node(from).send(MSG, KEY, payload(p), to));
                }
            }
        }
        assertEquals(List.of(2, 3), cluster.node(1).connectedNodes());
        assertEquals(0, cluster.node(1).stats(2).peerIncarnation(), "v11 has no incarnation");
    }

    @Test
    void sendAsyncCompletesWithTheStatusOrTheErrno() throws Exception {
        cluster = TestCluster.builder(2).start();
        O2netNode n2 = cluster.node(2);
        assertEquals(statusOf(payload("async")), get(n2.sendAsync(MSG, KEY, payload("async"), 1)));
        assertEquals(Errno.ENOPROTOOPT, errnoOf(n2.sendAsync(MSG + 1, KEY, payload("x"), 1)));
        assertEquals(Errno.ELOOP, errnoOf(n2.sendAsync(MSG, KEY, payload("x"), 2)), "validation errors too");
    }

    @Test
    void errorsCarryTheKernelsErrno() {
        cluster = TestCluster.builder(2).start();
        O2netNode n1 = cluster.node(1);
        n1.registerHandler(9, KEY, 4, r -> 0);
        cluster.node(2).registerHandler(9, KEY, 4, r -> 0);
        assertEquals(Errno.ELOOP, errnoOf(() -> n1.send(MSG, KEY, payload("x"), 1)));
        assertEquals(Errno.EINVAL, errnoOf(() -> n1.send(MSG, KEY, payload("x"), 9)), "unknown node");
        assertEquals(Errno.EINVAL, errnoOf(() -> n1.send(MSG, KEY, payload("x"), -1)), "unknown node");
        assertEquals(Errno.EINVAL, errnoOf(() -> n1.send(MSG, KEY, new byte[4073], 2)));
        assertEquals(Errno.EINVAL, errnoOf(() -> n1.send(MSG, KEY, null, 2)));
        assertEquals(Errno.EINVAL, errnoOf(() -> n1.send(70000, KEY, payload("x"), 2)), "msg_type is 16 bits");
        assertEquals(Errno.ENOPROTOOPT, errnoOf(() -> n1.send(MSG, KEY + 1, payload("x"), 2)));
        assertEquals(Errno.EOVERFLOW, errnoOf(() -> n1.send(9, KEY, payload("12345"), 2)));
        assertEquals(0, n1.send(9, KEY, payload("1234"), 2));
        assertEquals(statusOf(new byte[4072]), n1.send(MSG, KEY, new byte[4072], 2), "the largest payload");
        PeerStats s = cluster.node(2).stats(1);
        assertEquals(1, s.noHandler());
        assertEquals(1, s.overflows());
        assertEquals(0, cluster.runs("x"), "no handler ran for a refused call");
    }

    @Test
    void registrationIsValidatedAsInTheKernel() {
        cluster = TestCluster.builder(2).start();
        O2netNode n1 = cluster.node(1);
        assertEquals(Errno.EINVAL, errnoOf(() -> n1.registerHandler(10, 0, 4073, r -> 0)));
        assertEquals(Errno.EINVAL, errnoOf(() -> n1.registerHandler(10, 0, -1, r -> 0)));
        assertEquals(Errno.EINVAL, errnoOf(() -> n1.registerHandler(0, 0, 10, r -> 0)));
        assertEquals(Errno.EINVAL, errnoOf(() -> n1.registerHandler(65536, 0, 10, r -> 0)), "u32 API, 16-bit wire");
        assertEquals(Errno.EINVAL, errnoOf(() -> n1.registerHandler(10, 0, 10, null)));
        assertEquals(Errno.EEXIST, errnoOf(() -> n1.registerHandler(MSG, KEY, 10, r -> 0)));
        HandlerRegistration reg = n1.registerHandler(65535, 0, 0, r -> 65535);
        assertEquals(65535, cluster.node(2).send(65535, 0, new byte[0], 1));
        reg.unregister();
        assertFalse(reg.isRegistered());
        assertEquals(Errno.ENOPROTOOPT, errnoOf(() -> cluster.node(2).send(65535, 0, new byte[0], 1)));
        n1.registerHandler(65535, 0, 0, r -> 1);
        assertEquals(1, cluster.node(2).send(65535, 0, new byte[0], 1), "the pair can be registered again");
    }

    @Test
    void unregisterLetsARunningHandlerFinish() throws Exception {
        cluster = TestCluster.builder(2).start();
        CountDownLatch running = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        HandlerRegistration reg = cluster.node(1)
                .registerHandler(
                        12,
                        0,
                        100,
                        r -> {
                            running.countDown();
                            release.await();
                            finished.incrementAndGet();
                            return 3;
                        },
                        HandlerRegistration.Dispatch.EXECUTOR);
        CompletableFuture<Integer> call = cluster.node(2).sendAsync(12, 0, payload("slow"), 1);
        assertTrue(running.await(Await.TIMEOUT_MS, TimeUnit.MILLISECONDS));
        CompletableFuture<Void> unregistered = CompletableFuture.runAsync(reg::unregister);
        Await.until("the handler is no longer found", () -> !reg.isRegistered());
        assertFalse(unregistered.isDone(), "unregister waits for the running handler");
        release.countDown();
        unregistered.get(Await.TIMEOUT_MS, TimeUnit.MILLISECONDS);
        assertEquals(1, finished.get());
        assertEquals(3, get(call));
    }

    @Test
    void handlerThatThrowsAnswersMinusEioAndTheNodeKeepsWorking() {
        cluster = TestCluster.builder(2).start();
        cluster.hook = r -> {
            if ("boom".equals(new String(r.payload()))) {
                throw new IllegalStateException("handler bug");
            }
            return 0;
        };
        try (LogCapture log = new LogCapture()) {
            assertEquals(-5, cluster.node(2).send(MSG, KEY, payload("boom"), 1));
            assertTrue(
                    log.contains("ERROR Peer - o2net: handler for msg_type 7 key 0x1234 (msg_seq 1, msg_num 0) "
                            + "from node 2 threw; answering status -EIO"),
                    log::text);
            assertTrue(log.contains("java.lang.IllegalStateException: handler bug"), "with the stack trace");
        }
        assertEquals(statusOf(payload("fine")), cluster.node(2).send(MSG, KEY, payload("fine"), 1));
        assertEquals(1, cluster.node(1).stats(2).handlerExceptions());
        assertEquals(2, cluster.node(1).stats(2).handlerRuns());
    }

    @Test
    void postHandlerRunsOnceAfterTheStatusWasHandedOver() {
        cluster = TestCluster.builder(2).start();
        List<String> seen = new CopyOnWriteArrayList<>();
        cluster.node(1)
                .registerHandler(
                        13,
                        0,
                        100,
                        r -> {
                            seen.add("handler");
                            return 21;
                        },
                        (r, status) -> seen.add("post " + status + " " + new String(r.payload())));
        assertEquals(21, cluster.node(2).send(13, 0, payload("p"), 1));
        Await.until("the post-handler ran", () -> seen.size() == 2);
        assertEquals(List.of("handler", "post 21 p"), seen);
        cluster.node(2).send(13, 0, payload("q"), 1);
        Await.until("the post-handler ran", () -> seen.size() == 4);
        assertEquals(List.of("handler", "post 21 p", "handler", "post 21 q"), seen);
    }

    @Test
    void slowHandlerStallsNeitherKeepalivesNorOtherPeers() throws Exception {
        cluster = TestCluster.builder(3).start().awaitConnected();
        CountDownLatch slowRunning = new CountDownLatch(1);
        cluster.hook = r -> {
            if ("slow".equals(new String(r.payload()))) {
                slowRunning.countDown();
                release.await();
            }
            return 0;
        };
        O2netNode n1 = cluster.node(1);
        CompletableFuture<Integer> slow = cluster.node(2).sendAsync(MSG, KEY, payload("slow"), 1);
        assertTrue(slowRunning.await(Await.TIMEOUT_MS, TimeUnit.MILLISECONDS));
        CompletableFuture<Integer> queued = cluster.node(2).sendAsync(MSG, KEY, payload("queued"), 1);
        // Another peer's calls go on while node 2's handler blocks...
        assertEquals(statusOf(payload("fast")), cluster.node(3).send(MSG, KEY, payload("fast"), 1));
        // ... and so do keepalives on node 2's connection, for longer than the idle timeout.
        long since = System.nanoTime();
        long base = n1.stats(2).keepalivesReceived();
        Await.until(
                "keepalives for longer than the idle timeout during the slow handler",
                () -> System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(TestCluster.IDLE_MS * 6 / 5)
                        && n1.stats(2).keepalivesReceived() >= base + 3);
        PeerStats s = n1.stats(2);
        assertEquals(0, s.idleTimeouts());
        assertEquals(0, s.disconnects());
        assertEquals(1, s.connects());
        assertEquals(0, cluster.runs("queued"), "node 2's next request waits for its handler: per-peer order");
        release.countDown();
        assertEquals(statusOf(payload("slow")), get(slow));
        assertEquals(statusOf(payload("queued")), get(queued));
    }

    @Test
    void concurrentCallersEachGetTheirOwnStatus() throws Exception {
        cluster = TestCluster.builder(2).start();
        int threads = 8;
        int calls = 200;
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int from = t % 2 == 0 ? 1 : 2;
            int id = t;
            ts.add(new Thread(
                    () -> {
                        for (int i = 0; i < calls; i++) {
                            String p = "t" + id + "-" + i;
                            try {
                                int status = cluster.node(from).send(MSG, KEY, payload(p), 3 - from);
                                if (status != statusOf(payload(p))) {
                                    wrong.add(p + " got " + status);
                                }
                            } catch (RuntimeException e) {
                                wrong.add(p + " threw " + e);
                            }
                        }
                    },
                    "caller-" + t));
        }
        ts.forEach(Thread::start);
        for (Thread t : ts) {
            t.join(Await.TIMEOUT_MS * 2);
            assertFalse(
                    t.isAlive(), t.getName() + " is stuck: " + cluster.node(1).sendTracking());
        }
        assertEquals(List.of(), wrong);
        assertEquals(threads * calls, cluster.runs.size());
        assertTrue(cluster.runs.values().stream().allMatch(a -> a.get() == 1), "every handler ran once");
        cluster.awaitQuiet();
    }

    @Test
    void sendTrackingShowsWhoWaitsOnWhat() throws Exception {
        cluster = TestCluster.builder(2).start();
        cluster.hook = r -> {
            release.await();
            return 0;
        };
        AtomicReference<CompletableFuture<Integer>> call = new AtomicReference<>();
        Thread caller =
                new Thread(() -> call.set(cluster.node(2).sendAsync(MSG, KEY, payload("tracked"), 1)), "dlm-thread");
        caller.start();
        caller.join();
        Await.until(
                "the call is tracked as in flight",
                () -> !cluster.node(2).sendTracking().isEmpty()
                        && cluster.node(2).sendTracking().get(0).state() == SendTrack.State.IN_FLIGHT);
        SendTrack t = cluster.node(2).sendTracking().get(0);
        assertEquals("dlm-thread", t.caller());
        assertEquals(1, t.node());
        assertEquals(MSG, t.msgType());
        assertEquals(KEY, t.key());
        assertEquals(0, t.msgNum());
        assertEquals(1, t.msgSeq());
        assertTrue(t.ageMicros(System.nanoTime()) >= 0);
        release.countDown();
        assertEquals(statusOf(payload("tracked")), get(call.get()));
        Await.until("no call is tracked", () -> cluster.node(2).sendTracking().isEmpty());
    }

    @Test
    void interruptedCallerGetsTheResultLaterAndTheCallIsNotLost() throws Exception {
        cluster = TestCluster.builder(2).start();
        CountDownLatch running = new CountDownLatch(1);
        cluster.hook = r -> {
            running.countDown();
            release.await();
            return 0;
        };
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                cluster.node(2).send(MSG, KEY, payload("interrupted"), 1);
            } catch (Throwable t) {
                thrown.set(t);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        caller.start();
        assertTrue(running.await(Await.TIMEOUT_MS, TimeUnit.MILLISECONDS));
        caller.interrupt();
        caller.join(Await.TIMEOUT_MS);
        InterruptedSendException e = assertInstanceOf(InterruptedSendException.class, thrown.get());
        assertTrue(stillInterrupted.get(), "the interrupt status is kept");
        assertEquals(1, cluster.node(2).sendTracking().size(), "the call goes on");
        release.countDown();
        assertEquals(statusOf(payload("interrupted")), get(e.future()));
        assertEquals(1, cluster.runs("interrupted"));
    }

    @Test
    void closeFailsPendingCallsWithEhostdownAndLaterOnesWithEsrch() throws Exception {
        cluster = TestCluster.builder(2).start();
        CountDownLatch running = new CountDownLatch(1);
        cluster.hook = r -> {
            running.countDown();
            release.await();
            return 0;
        };
        CompletableFuture<Integer> call = cluster.node(2).sendAsync(MSG, KEY, payload("pending"), 1);
        assertTrue(running.await(Await.TIMEOUT_MS, TimeUnit.MILLISECONDS));
        cluster.node(2).close();
        assertEquals(Errno.EHOSTDOWN, errnoOf(call));
        assertEquals(Errno.ESRCH, errnoOf(() -> cluster.node(2).send(MSG, KEY, payload("late"), 1)));
        assertTrue(cluster.node(2).sendTracking().isEmpty());
    }

    @Test
    void callsToANodeHeartbeatDeclaredDeadFailWithEnotconn() {
        cluster = TestCluster.builder(2).start().awaitConnected();
        List<String> events = new CopyOnWriteArrayList<>();
        cluster.node(1).addNodeListener(new NodeLiveness.Listener() {
            @Override
            public void nodeUp(int node, long inc) {
                events.add("up " + node);
            }

            @Override
            public void nodeDown(int node, long inc) {
                events.add("down " + node + " " + cluster.node(1).connectedNodes());
            }
        });
        try (LogCapture log = new LogCapture()) {
            cluster.hb.stop(2);
            assertEquals(List.of("down 2 []"), events, "users hear of it after o2net acted");
            assertEquals(Errno.ENOTCONN, errnoOf(() -> cluster.node(1).send(MSG, KEY, payload("x"), 2)));
            assertFalse(cluster.node(1).stats(2).alive());
        }
    }

    @Test
    void theAcceptorRefusesStrangersOnRealSockets() throws Exception {
        cluster = TestCluster.builder(2).start().awaitConnected();
        InetSocketAddress n1 = cluster.config(1).localNode().socketAddress();
        try (LogCapture log = new LogCapture()) {
            assertClosedByPeer(InetAddress.getByName("127.0.0.9"), n1);
            assertClosedByPeer(InetAddress.getByName("127.0.0.2"), n1);
            Await.until(
                    "both refusals logged",
                    () -> log.contains("Attempt to connect from unknown node at 127.0.0.9:")
                            && log.contains("Attempt to connect from node 'n2' at 127.0.0.2:"),
                    log::text);
            assertTrue(log.contains("but it already has an open connection"), log::text);
        }
        assertEquals(List.of(2), cluster.node(1).connectedNodes(), "the real connection is not disturbed");
        assertEquals(statusOf(payload("still")), cluster.node(2).send(MSG, KEY, payload("still"), 1));
    }

    private static void assertClosedByPeer(InetAddress from, InetSocketAddress to) throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(to, (int) Await.TIMEOUT_MS);
            s.setSoTimeout((int) Await.TIMEOUT_MS);
            InputStream in = s.getInputStream();
            assertEquals(-1, in.read(), "refused: closed without a byte, not even a handshake");
        }
    }

    @Test
    void traceSinkSeesTheSpecActions() {
        List<String> trace = new CopyOnWriteArrayList<>();
        cluster = TestCluster.builder(2)
                .trace((node, peer, action, seq, num, t) -> trace.add(node + ":" + action))
                .start();
        cluster.node(2).send(MSG, KEY, payload("traced"), 1);
        cluster.awaitQuiet();
        for (String a : List.of(
                "2:Send",
                "2:Connect",
                "1:Connect",
                "1:RecvMsg",
                "1:RunHandler",
                "2:RecvStatus",
                "1:RecvRemove",
                "2:RecvRemoved")) {
            assertTrue(trace.contains(a), a + " in " + trace);
        }
        assertTrue(trace.indexOf("1:RunHandler") < trace.indexOf("2:RecvStatus"));
    }
}
