// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.ocfs2.o2net.core.CallResult;
import org.ocfs2.o2net.wire.Errno;
import org.ocfs2.o2net.wire.O2netException;
import org.ocfs2.o2net.wire.SysStatus;

/**
 * One call of {@link O2netNode#send}/{@link O2netNode#sendAsync}, from validation to its result: what debugfs
 * {@code send_tracking} shows, and the result the caller waits on. It is the call's one identity: the node's registry
 * of calls in progress holds it, and the protocol core holds it (opaque) with its message and hands it back when the
 * call ends; the result lives here, at the API edge, and nowhere in the core.
 * <p>
 * The result is set once, by whoever ends the call first (the core's completion on the event loop, or {@code close()}):
 * {@link #outcome} goes from {@code PENDING} to {@code SETTLING} by compare-and-set, the status or errno is written,
 * then {@code RETURNED} or {@code FAILED} publishes it. A blocking {@code send} reads it from the fields (no future, no
 * boxed status); a future is made only when asked for ({@code sendAsync}, or an interrupted {@code send}) and completed
 * by whichever of the two sides comes second.
 */
final class Call implements Runnable {
    final int msgType;
    final int key;
    final byte[] payload;
    final String caller;
    final long startNanos;
    private static final int PENDING = 0;
    private static final int SETTLING = 1;
    private static final int RETURNED = 2;
    private static final int FAILED = 3;
    private static final VarHandle OUTCOME;
    private static final VarHandle FUTURE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            OUTCOME = l.findVarHandle(Call.class, "outcome", int.class);
            FUTURE = l.findVarHandle(Call.class, "future", CompletableFuture.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** PENDING, SETTLING (being set), RETURNED ({@link #status}) or FAILED ({@link #errno}, {@link #error}). */
    private volatile int outcome;
    /** The handler's status; read after {@link #outcome} is RETURNED. */
    private int status;
    /** Made on demand ({@link #future()}); completed with the status or an {@link O2netException}. */
    private volatile CompletableFuture<Integer> future;
    /** Set on the event loop when the core's {@code Send} takes the call; -1 before. */
    private volatile int msgNum = -1;

    private volatile long msgSeq;

    /** Written before {@link #outcome} becomes FAILED, read after. */
    private Errno errno;

    private String error;

    /** The peer whose loop takes the call's {@code Send} step ({@link #run}). */
    private final Peer peer;
    /** The node's calls in progress: the call leaves them when it ends. */
    private final CallRegistry inProgress;
    /** The neighbours of this call in {@link #inProgress}; guarded by the registry's lock. */
    Call prev;

    Call next;
    /** The thread blocked in {@link #await}, or null. */
    private volatile Thread waiter;

    Call(Peer peer, CallRegistry inProgress, int msgType, int key, byte[] payload, String caller, long startNanos) {
        this.peer = peer;
        this.inProgress = inProgress;
        this.msgType = msgType;
        this.key = key;
        this.payload = payload;
        this.caller = caller;
        this.startNanos = startNanos;
    }

    /** The target node's number. */
    int target() {
        return peer.node.number();
    }

    /** On the peer's event loop: the call's {@code Send} step. A call is its own task: no lambda per call. */
    @Override
    public void run() {
        peer.send(this);
    }

    /**
     * Blocks the calling thread until the call has its result. Parks and is unparked by whoever ends the call, with
     * nothing allocated per wait ({@code CompletableFuture.get} allocates a waiter node).
     *
     * @throws InterruptedException if the thread is interrupted meanwhile (the call goes on)
     */
    void await() throws InterruptedException {
        if (isDone()) {
            return;
        }
        waiter = Thread.currentThread();
        try {
            while (!isDone()) {
                java.util.concurrent.locks.LockSupport.park(this);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } finally {
            waiter = null;
        }
    }

    /** Whether the call has its result. */
    boolean isDone() {
        return outcome >= RETURNED;
    }

    /** Whether the call returned a status ({@link #status()}); false while pending or when it failed. */
    boolean returned() {
        return outcome == RETURNED;
    }

    /** The handler's status, once {@link #returned()}. */
    int status() {
        return status;
    }

    /** Takes the right to set the result: true for the first of the call's ends, false for any later one. */
    private boolean claim() {
        return OUTCOME.compareAndSet(this, PENDING, SETTLING);
    }

    /** The result is published: a future already asked for is completed, and the call ends. */
    private void settled() {
        CompletableFuture<Integer> f = future;
        if (f != null) {
            complete(f);
        }
        ended();
    }

    /** Completes {@code f} with the result if there is one yet (idempotent: a second completion does nothing). */
    private void complete(CompletableFuture<Integer> f) {
        int o = outcome;
        if (o == RETURNED) {
            f.complete(status);
        } else if (o == FAILED) {
            f.completeExceptionally(new O2netException(errno, error));
        }
    }

    /**
     * The call's future, made on first use. Either this or {@link #settled} sees the other's write (both fields are
     * volatile), so the future is completed whichever of the two comes first.
     */
    CompletableFuture<Integer> future() {
        CompletableFuture<Integer> f = future;
        if (f == null) {
            CompletableFuture<Integer> mine = new CompletableFuture<>();
            f = (CompletableFuture<Integer>) FUTURE.compareAndExchange(this, null, mine);
            if (f == null) {
                f = mine;
            }
            complete(f);
        }
        return f;
    }

    /** After the result is set: the call leaves the calls in progress and its waiter, if any, wakes up. */
    private void ended() {
        inProgress.remove(this);
        Thread w = waiter;
        if (w != null) {
            java.util.concurrent.locks.LockSupport.unpark(w);
        }
    }

    /** The core's {@code Send} numbered the call's message ({@code Effects.sent}). */
    void sent(int msgNum, long msgSeq) {
        this.msgSeq = msgSeq;
        this.msgNum = msgNum;
    }

    /** Ends the call as the core reports it. */
    void finish(CallResult r) {
        SysStatus sys = r.sysStatus();
        switch (sys) {
            case NONE:
                if (claim()) {
                    status = r.status();
                    outcome = RETURNED;
                    settled();
                }
                break;
            case NO_HNDLR:
                fail(Errno.ENOPROTOOPT, "node " + target() + " has no handler for " + what());
                break;
            case OVERFLOW:
                fail(
                        Errno.EOVERFLOW,
                        "the payload of " + payload.length + " bytes is longer than node " + target()
                                + "'s handler for " + what() + " accepts");
                break;
            case DIED:
                fail(
                        Errno.EHOSTDOWN,
                        "node " + target() + " died, restarted or was declared dead during the call (" + what() + ")");
                break;
            default:
                throw new AssertionError(sys);
        }
    }

    /** Ends the call with {@code errno}, unless it has ended already. */
    void fail(Errno errno, String text) {
        if (claim()) {
            this.errno = errno;
            this.error = text;
            outcome = FAILED;
            settled();
        }
    }

    /** The errno the call failed with, or null. */
    Errno errno() {
        return errno;
    }

    /** The text of the failure, without the errno, or null. */
    String error() {
        return error;
    }

    /** A future for the caller: completed off the event loop, with the same status or O2netException. */
    CompletableFuture<Integer> userFuture(Executor callbacks) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        future().whenCompleteAsync(
                        (status, e) -> {
                            if (e != null) {
                                f.completeExceptionally(e);
                            } else {
                                f.complete(status);
                            }
                        },
                        callbacks);
        return f;
    }

    String what() {
        return "msg_type " + msgType + " key 0x" + Integer.toHexString(key);
    }

    SendTrack track() {
        int num = msgNum;
        return num < 0
                ? new SendTrack(
                        caller, target(), msgType, key, -1, 0, startNanos, SendTrack.State.WAITING_FOR_CONNECTION)
                : new SendTrack(caller, target(), msgType, key, num, msgSeq, startNanos, SendTrack.State.IN_FLIGHT);
    }
}
