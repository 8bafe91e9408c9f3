// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.ocfs2.o2net.core.CallResult;
import org.ocfs2.o2net.wire.Errno;
import org.ocfs2.o2net.wire.O2netException;

/**
 * {@link Call}'s result: set once by the first of its ends, read by a blocking caller from fields, and given to a
 * future whenever one is asked for, before or after the end.
 */
class CallTest {
    private final CallRegistry inProgress = new CallRegistry();

    private Call call() {
        Call c = new Call(null, inProgress, 7, 0x77, new byte[] {1}, "caller", 0);
        inProgress.add(c);
        return c;
    }

    private static Errno errnoOf(CompletableFuture<Integer> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return assertInstanceOf(O2netException.class, e.getCause()).errno();
    }

    @Test
    void aReturnedCallGivesItsStatusFromFieldsAndToAFutureAskedForLater() throws Exception {
        Call c = call();
        assertFalse(c.isDone());
        c.finish(CallResult.of(0, 1234));
        assertTrue(c.isDone());
        assertTrue(c.returned());
        assertEquals(1234, c.status());
        assertFalse(inProgress.snapshot().contains(c), "the call left the calls in progress");
        c.await(); // done: returns at once
        assertEquals(1234, c.future().get(10, TimeUnit.SECONDS));
        assertSame(c.future(), c.future(), "one future per call");
    }

    @Test
    void aFutureAskedForBeforeTheEndIsCompletedByIt() throws Exception {
        Call c = call();
        CompletableFuture<Integer> f = c.future();
        assertFalse(f.isDone());
        c.fail(Errno.EHOSTDOWN, "node 2 died");
        assertEquals(Errno.EHOSTDOWN, errnoOf(f));
        assertFalse(c.returned());
        assertEquals(Errno.EHOSTDOWN, c.errno());
        assertEquals("node 2 died", c.error());
    }

    @Test
    void theFirstEndWinsAndLaterOnesChangeNothing() throws Exception {
        Call c = call();
        c.fail(Errno.EHOSTDOWN, "node 1 is shutting down");
        c.finish(CallResult.of(0, 5));
        c.fail(Errno.ENOTCONN, "later");
        assertFalse(c.returned());
        assertEquals(Errno.EHOSTDOWN, c.errno());
        assertEquals("node 1 is shutting down", c.error());
        assertEquals(Errno.EHOSTDOWN, errnoOf(c.future()));

        Call d = call();
        d.finish(CallResult.of(0, 5));
        d.fail(Errno.EHOSTDOWN, "too late");
        assertTrue(d.returned());
        assertEquals(5, d.status());
        assertEquals(null, d.errno());
        assertEquals(5, d.future().get(10, TimeUnit.SECONDS));
    }

    /**
     * The end and the first request for a future race on two threads, released together: whichever comes second
     * completes the future, so no future is ever left pending (the two volatile writes cannot both be missed).
     */
    @Test
    void aFutureRacingTheEndIsAlwaysCompleted() throws Exception {
        int rounds = 5_000;
        CyclicBarrier start = new CyclicBarrier(2);
        Call[] calls = new Call[rounds];
        for (int i = 0; i < rounds; i++) {
            calls[i] = call();
        }
        Thread ender = new Thread(() -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    start.await();
                    calls[i].finish(CallResult.of(0, i));
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        ender.start();
        for (int i = 0; i < rounds; i++) {
            start.await();
            CompletableFuture<Integer> f = calls[i].future();
            assertEquals(i, f.get(10, TimeUnit.SECONDS), "round " + i);
        }
        ender.join();
        assertTrue(inProgress.snapshot().isEmpty());
    }

    /** A caller blocked in await() is woken by the end, whichever thread ends the call. */
    @Test
    void aBlockedCallerIsWokenByTheEnd() throws Exception {
        Call c = call();
        CompletableFuture<Integer> seen = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                c.await();
                seen.complete(c.status());
            } catch (InterruptedException e) {
                seen.completeExceptionally(e);
            }
        });
        waiter.start();
        c.finish(CallResult.of(0, 42));
        assertEquals(42, seen.get(10, TimeUnit.SECONDS));
        waiter.join();
    }
}
