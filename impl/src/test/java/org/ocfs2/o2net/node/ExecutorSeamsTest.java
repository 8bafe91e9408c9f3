// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.nio.NioEventLoopGroup;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ocfs2.o2net.config.ClusterConfig;
import org.ocfs2.o2net.netty.Await;

/**
 * The executor seams of {@link O2netNode.Builder}: the event loop group, the handler executor, the callback executor
 * and a listening socket bound before the node (port 0, read back: no port is probed and bound again).
 */
class ExecutorSeamsTest {
    private static final int MSG = 7;
    private static final int KEY = 0x1234;

    private final LocalHeartbeat hb = LocalHeartbeat.immediate();
    private final List<O2netNode> nodes = new ArrayList<>();
    private NioEventLoopGroup group;

    @AfterEach
    void tearDown() throws InterruptedException {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
        hb.close();
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
    }

    /** A handler executor the test steps: each task waits until the test runs it. */
    private static final class SteppedExecutor implements Executor {
        final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();

        @Override
        public void execute(Runnable task) {
            queue.add(task);
        }

        void step() {
            queue.poll().run();
        }
    }

    /** Two listening sockets on port 0 and a configuration with the ports the OS chose. */
    private static final class Pair {
        final ServerSocketChannel l1 = O2netNode.listen("127.0.0.1", 0);
        final ServerSocketChannel l2 = O2netNode.listen("127.0.0.2", 0);
        final int p1 = O2netNode.port(l1);
        final int p2 = O2netNode.port(l2);

        ClusterConfig config(int local) {
            return ClusterConfig.newBuilder()
                    .name("seams")
                    .keepaliveDelayMs(60_000)
                    .idleTimeoutMs(120_000)
                    .reconnectDelayMs(100)
                    .allowShortTimeouts()
                    .addNode(1, "n1", "127.0.0.1", p1)
                    .addNode(2, "n2", "127.0.0.2", p2)
                    .localNode(local)
                    .build();
        }
    }

    private O2netNode start(
            ClusterConfig config, NodeLiveness liveness, UnaryOperator<O2netNode.Builder> seams, Handler handler) {
        O2netNode n = seams.apply(O2netNode.builder(config, liveness)).build();
        nodes.add(n);
        if (handler != null) {
            // on the executor: the seam under test
            n.registerHandler(MSG, KEY, 4072, handler, HandlerRegistration.Dispatch.EXECUTOR);
        }
        n.start();
        return n;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aSteppedHandlerExecutorRunsExactlyTheQueuedHandler() throws Exception {
        Pair p = new Pair();
        SteppedExecutor handlers = new SteppedExecutor();
        AtomicInteger callbacks = new AtomicInteger();
        Executor callbackExecutor = r -> {
            callbacks.incrementAndGet();
            r.run();
        };
        List<String> handled = Collections.synchronizedList(new ArrayList<>());
        NodeLiveness v1 = hb.join(1);
        NodeLiveness v2 = hb.join(2);
        O2netNode n1 = start(
                p.config(1),
                v1,
                b -> b.serverChannel(p.l1).handlerExecutor(handlers).callbackExecutor(callbackExecutor),
                r -> {
                    handled.add(new String(r.payload(), StandardCharsets.US_ASCII));
                    return r.payload().length;
                });
        O2netNode n2 = start(p.config(2), v2, b -> b.serverChannel(p.l2), null);

        CompletableFuture<Integer> a = n2.sendAsync(MSG, KEY, bytes("a"), 1);
        CompletableFuture<Integer> bb = n2.sendAsync(MSG, KEY, bytes("bb"), 1);
        CompletableFuture<Integer> ccc = n2.sendAsync(MSG, KEY, bytes("ccc"), 1);
        Await.until("node 1 holds all three requests", () -> n1.stats(2).mhCount() == 3, () -> "" + n1.stats(2));
        // The receive path hands the batch to the handler runner by a loop task queued when the frames were read;
        // one more task on the peer's loop runs after it, so the submissions it makes are all in the queue now.
        n1.stats(2);
        assertEquals(1, handlers.queue.size(), "one handler run is submitted at a time");
        assertEquals(List.of(), handled, "nothing runs until the test steps");

        handlers.step();
        assertEquals(List.of("a"), handled, "the step ran exactly the handler queued first");
        assertEquals(1, a.get(Await.TIMEOUT_MS, TimeUnit.MILLISECONDS));
        assertFalse(bb.isDone());
        Await.until("the next run is submitted", () -> handlers.queue.size() == 1);
        handlers.step();
        assertEquals(List.of("a", "bb"), handled);
        assertEquals(2, bb.get(Await.TIMEOUT_MS, TimeUnit.MILLISECONDS));
        Await.until("the last run is submitted", () -> handlers.queue.size() == 1);
        handlers.step();
        assertEquals(3, ccc.get(Await.TIMEOUT_MS, TimeUnit.MILLISECONDS));
        assertEquals(List.of("a", "bb", "ccc"), handled);
        assertTrue(handlers.queue.isEmpty(), "one task per handler run, no more");

        CompletableFuture<Integer> back = n1.sendAsync(MSG, KEY, bytes("x"), 2);
        assertEquals(
                org.ocfs2.o2net.wire.Errno.ENOPROTOOPT,
                ((org.ocfs2.o2net.wire.O2netException) assertThrows(
                                        java.util.concurrent.ExecutionException.class,
                                        () -> back.get(Await.TIMEOUT_MS, TimeUnit.MILLISECONDS))
                                .getCause())
                        .errno(),
                "node 2 has no handler");
        assertTrue(callbacks.get() >= 1, "node 1's futures complete on its callback executor");
    }

    @Test
    void aSharedEventLoopGroupOutlivesTheNodes() throws Exception {
        group = new NioEventLoopGroup(2);
        Pair p = new Pair();
        NodeLiveness v1 = hb.join(1);
        NodeLiveness v2 = hb.join(2);
        Handler echo = r -> r.payload().length;
        O2netNode n1 = start(p.config(1), v1, b -> b.eventLoopGroup(group).serverChannel(p.l1), echo);
        O2netNode n2 = start(p.config(2), v2, b -> b.eventLoopGroup(group).serverChannel(p.l2), null);
        assertEquals(4, n2.send(MSG, KEY, bytes("four"), 1));

        n2.close();
        n1.close();
        assertFalse(group.isShuttingDown(), "the node does not shut down a group it did not make");
        assertFalse(p.l1.isOpen(), "the node closes the listening socket it took over");
        assertEquals("still here", group.submit(() -> "still here").get(Await.TIMEOUT_MS, TimeUnit.MILLISECONDS));

        // A new pair on the same group (and the same ports, bound again by the nodes themselves) works too.
        O2netNode m1 = start(p.config(1), hb.restart(1), b -> b.eventLoopGroup(group), echo);
        O2netNode m2 = start(p.config(2), hb.restart(2), b -> b.eventLoopGroup(group), null);
        assertEquals(3, m2.send(MSG, KEY, bytes("abc"), 1));
        assertEquals(List.of(2), m1.connectedNodes());
    }

    @Test
    void aListeningSocketOnAnotherPortIsRefusedAndClosed() {
        Pair p = new Pair();
        ServerSocketChannel other = O2netNode.listen("127.0.0.1", 0);
        O2netNode n1 =
                O2netNode.builder(p.config(1), hb.join(1)).serverChannel(other).build();
        nodes.add(n1);
        assertThrows(IllegalStateException.class, n1::start);
        assertFalse(other.isOpen());
        assertTrue(n1.isClosed());
    }

    @Test
    void aNodeNeverStartedClosesTheSocketItWasGiven() throws Exception {
        Pair p = new Pair();
        O2netNode n1 =
                O2netNode.builder(p.config(1), hb.join(1)).serverChannel(p.l1).build();
        n1.close();
        assertFalse(p.l1.isOpen());
        p.l2.close();
    }
}
