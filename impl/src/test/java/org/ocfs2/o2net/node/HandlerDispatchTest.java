// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ocfs2.o2net.node.TestCluster.payload;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ocfs2.o2net.netty.Await;
import org.ocfs2.o2net.wire.ProtocolVersion;

/**
 * Where handlers run ({@link HandlerRegistration.Dispatch}): on the receive path, on the peer's event loop, by
 * default; on the handler executor when registered so; and a peer's requests one at a time, in arrival order, whatever
 * mix of the two they go to.
 */
class HandlerDispatchTest {
    private static final int INLINE = 21;
    private static final int BLOCKING = 22;
    private static final int KEY = 0x77;

    private TestCluster cluster;
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

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void aHandlerRunsOnTheReceivePathByDefaultAndOnTheExecutorWhenRegisteredSo(ProtocolVersion v) throws Exception {
        cluster = TestCluster.builder(2).config(c -> c.protocol(v)).start();
        List<String> threads = new CopyOnWriteArrayList<>();
        HandlerRegistration inline = cluster.node(1).registerHandler(INLINE, KEY, 100, r -> {
            threads.add(Thread.currentThread().getName());
            return 5;
        });
        HandlerRegistration off = cluster.node(1)
                .registerHandler(
                        BLOCKING,
                        KEY,
                        100,
                        r -> {
                            threads.add(Thread.currentThread().getName());
                            return 6;
                        },
                        HandlerRegistration.Dispatch.EXECUTOR);
        assertEquals(HandlerRegistration.Dispatch.RECEIVE_PATH, inline.dispatch());
        assertEquals(HandlerRegistration.Dispatch.EXECUTOR, off.dispatch());
        assertEquals(5, cluster.node(2).send(INLINE, KEY, payload("a"), 1));
        assertEquals(6, cluster.node(2).send(BLOCKING, KEY, payload("b"), 1));
        assertTrue(threads.get(0).startsWith("o2net-1-io"), "on node 1's event loop: " + threads);
        assertTrue(threads.get(1).startsWith("o2net-1-handler"), "on node 1's handler executor: " + threads);
    }

    @Test
    void aPeersRequestsRunInArrivalOrderBehindOneOnTheExecutor() throws Exception {
        cluster = TestCluster.builder(2).start();
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch blocked = new CountDownLatch(1);
        cluster.node(1)
                .registerHandler(
                        BLOCKING,
                        KEY,
                        100,
                        r -> {
                            order.add("blocking " + new String(r.payload()));
                            blocked.countDown();
                            release.await();
                            return 1;
                        },
                        HandlerRegistration.Dispatch.EXECUTOR);
        cluster.node(1).registerHandler(INLINE, KEY, 100, r -> {
            order.add("inline " + new String(r.payload()));
            return 2;
        });
        CompletableFuture<Integer> first = cluster.node(2).sendAsync(BLOCKING, KEY, payload("1"), 1);
        assertTrue(blocked.await(Await.TIMEOUT_MS, TimeUnit.MILLISECONDS));
        CompletableFuture<Integer> second = cluster.node(2).sendAsync(INLINE, KEY, payload("2"), 1);
        CompletableFuture<Integer> third = cluster.node(2).sendAsync(INLINE, KEY, payload("3"), 1);
        // the two requests behind the blocked one have arrived: node 1 holds a Message Holder for each of the three
        Await.until(
                "node 1 read the two requests behind the blocked one",
                () -> cluster.node(1).stats(2).mhCount() == 3);
        // one more task on node 1's loop for peer 2: it runs after the handler runner's task for that batch, so a
        // receive-path handler allowed to pass the blocked one would have run by now
        cluster.node(1).stats(2);
        assertEquals(List.of("blocking 1"), order, "nothing runs past the request still on the executor");
        assertFalse(second.isDone() || third.isDone());
        release.countDown();
        assertEquals(1, get(first));
        assertEquals(2, get(second));
        assertEquals(2, get(third));
        assertEquals(List.of("blocking 1", "inline 2", "inline 3"), order);
    }

    @Test
    void aReceivePathHandlerThatThrowsIsAnsweredEioAndItsPostHandlerRunsAfterTheStatus() throws Exception {
        cluster = TestCluster.builder(2).start();
        List<String> seen = new CopyOnWriteArrayList<>();
        cluster.node(1)
                .registerHandler(
                        INLINE,
                        KEY,
                        100,
                        r -> {
                            if (new String(r.payload()).equals("throw")) {
                                throw new IllegalStateException("handler bug");
                            }
                            seen.add("handler");
                            return 9;
                        },
                        (r, status) -> seen.add("post " + status));
        assertEquals(HandlerRunner.EIO, cluster.node(2).send(INLINE, KEY, payload("throw"), 1));
        assertEquals(9, cluster.node(2).send(INLINE, KEY, payload("ok"), 1));
        Await.until("both post-handlers ran", () -> seen.size() == 3);
        assertEquals(List.of("post -5", "handler", "post 9"), seen);
    }
}
