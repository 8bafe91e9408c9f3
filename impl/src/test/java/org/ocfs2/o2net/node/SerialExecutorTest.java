// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The per-peer handler executor: one pool task per run, one run at a time, in submission order. */
class SerialExecutorTest {
    /** A pool stepped by hand: tasks wait until the test runs them. */
    private static final class SteppedPool implements java.util.concurrent.Executor {
        final ArrayDeque<Runnable> queue = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            queue.add(task);
        }

        void step() {
            queue.poll().run();
        }
    }

    @Test
    void aSteppedPoolSeesOneTaskPerRunInOrder() {
        SteppedPool pool = new SteppedPool();
        SerialExecutor serial = new SerialExecutor(pool);
        List<String> ran = new ArrayList<>();
        serial.execute(() -> ran.add("a"));
        serial.execute(() -> ran.add("b"));
        serial.execute(() -> ran.add("c"));
        assertEquals(1, pool.queue.size(), "only the head run is submitted");
        assertEquals(3, serial.queued());

        pool.step();
        assertEquals(List.of("a"), ran, "one pool task runs exactly one queued task");
        assertEquals(1, pool.queue.size(), "the next run is submitted once the previous is over");
        pool.step();
        assertEquals(List.of("a", "b"), ran);
        serial.execute(() -> ran.add("d"));
        assertEquals(1, pool.queue.size(), "a task queued while one is submitted waits its turn");
        pool.step();
        pool.step();
        assertEquals(List.of("a", "b", "c", "d"), ran);
        assertEquals(0, pool.queue.size());
        assertEquals(0, serial.queued());

        serial.execute(() -> ran.add("e"));
        assertEquals(1, pool.queue.size(), "an idle executor submits at once");
        pool.step();
        assertEquals(List.of("a", "b", "c", "d", "e"), ran);
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheOnesBehindIt() {
        SteppedPool pool = new SteppedPool();
        SerialExecutor serial = new SerialExecutor(pool);
        List<String> ran = new ArrayList<>();
        serial.execute(() -> {
            throw new IllegalStateException("handler task failed on purpose");
        });
        serial.execute(() -> ran.add("after"));
        pool.step();
        assertEquals(1, pool.queue.size());
        pool.step();
        assertEquals(List.of("after"), ran);
    }

    @Test
    void aRefusingPoolLeavesNothingQueued() {
        SerialExecutor serial = new SerialExecutor(task -> {
            throw new RejectedExecutionException("closed");
        });
        assertThrows(RejectedExecutionException.class, () -> serial.execute(() -> {}));
        assertEquals(0, serial.queued());
        assertThrows(RejectedExecutionException.class, () -> serial.execute(() -> {}), "and tries again next time");
    }

    @Test
    void onARealPoolRunsAreSerialAndInOrder() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            int executors = 4;
            int tasks = 2000;
            List<SerialExecutor> serials = new ArrayList<>();
            List<List<Integer>> ran = new ArrayList<>();
            AtomicInteger[] inside = new AtomicInteger[executors];
            AtomicInteger overlaps = new AtomicInteger();
            AtomicInteger done = new AtomicInteger();
            for (int e = 0; e < executors; e++) {
                serials.add(new SerialExecutor(pool));
                ran.add(Collections.synchronizedList(new ArrayList<>()));
                inside[e] = new AtomicInteger();
            }
            for (int i = 0; i < tasks; i++) {
                for (int e = 0; e < executors; e++) {
                    int task = i;
                    int ex = e;
                    serials.get(e).execute(() -> {
                        if (inside[ex].incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        ran.get(ex).add(task);
                        inside[ex].decrementAndGet();
                        done.incrementAndGet();
                    });
                }
            }
            org.ocfs2.o2net.netty.Await.until("every task ran", () -> done.get() == executors * tasks);
            assertEquals(0, overlaps.get(), "two tasks of one executor ran at once");
            for (List<Integer> r : ran) {
                for (int i = 0; i < tasks; i++) {
                    assertEquals(i, r.get(i), "order");
                }
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}
