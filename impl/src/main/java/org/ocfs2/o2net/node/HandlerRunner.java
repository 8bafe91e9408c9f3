// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.ocfs2.o2net.config.ClusterConfig;
import org.ocfs2.o2net.core.MessageHolder;
import org.ocfs2.o2net.core.PeerCore;
import org.ocfs2.o2net.wire.SysStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the handlers of one peer's requests ({@code o2net_process_message()}, MSG) one at a time, in the order the core
 * asked, each handing its status back to the core on the loop ({@link PeerCore#handlerDone}). A handler registered for
 * the receive path ({@link HandlerRegistration.Dispatch#RECEIVE_PATH}, the default) runs on the peer's event loop,
 * as the kernel runs o2net handlers in its receive work: no thread hand-off on the way in or out. One registered for
 * the executor runs there ({@link SerialExecutor} over the node's handler executor); while any of this peer's runs is
 * queued or running there, the following requests of the peer go there too, so that the order holds. Kept apart from
 * the connection and the protocol so that what a handler run does (lookup, NO_HNDLR/OVERFLOW, -EIO on a throw,
 * post-handler) is one piece of code.
 * <p>
 * The core asks for a run from inside one of its actions ({@code Effects.runHandler}); the run must not re-enter the
 * core there. So the requests are queued and run by one loop task after the current one ({@link #drain}), which on
 * the loop's own thread costs no wake-up: the handlers of the requests read in one batch run after that batch.
 */
final class HandlerRunner {
    /** The peer's logger: o2net's per-peer log lines keep one logger name, whichever part of the peer logs. */
    private static final Logger logger = LoggerFactory.getLogger(Peer.class);
    /** -EIO: the status of a handler that threw. */
    static final int EIO = -5;

    private final O2netNode owner;
    private final int peer;
    private final EventLoop loop;
    private final PeerCore<?> core;
    private final PeerCounters counters;
    /** True once the peer is shut down: a status is no longer handed to the core. Read on the loop. */
    private final BooleanSupplier closed;

    private final SerialExecutor handlers;

    /** The default high water mark ({@link ClusterConfig#DEFAULT_HANDLER_QUEUE_HIGH}), for tests. */
    static final int HIGH_WATER = ClusterConfig.DEFAULT_HANDLER_QUEUE_HIGH;

    /** Handler runs queued or running above which reading from the peer pauses (see {@link PeerConnection#backlog}). */
    private final int high;
    /** ... and at or below which it resumes. */
    private final int low;

    private final java.util.function.Consumer<Boolean> backlog;
    // loop
    private int queued;
    private boolean paused;
    /** Requests the core asked to run, not yet started: run in order by {@link #drain}. */
    private final java.util.ArrayDeque<MessageHolder> pending = new java.util.ArrayDeque<>();
    /**
     * Their payloads, in the same order: a request that came as a view has its payload here (a slice of the bytes
     * received, released when its run is over), one kept as a value an empty buffer (its payload is in the holder).
     */
    private final java.util.ArrayDeque<ByteBuf> payloads = new java.util.ArrayDeque<>();

    private boolean drainScheduled;
    /** Runs queued for or running on the executor whose status the core does not have yet. */
    private int offLoop;

    private final Runnable drain = this::drain;

    HandlerRunner(
            O2netNode owner,
            int peer,
            EventLoop loop,
            PeerCore<?> core,
            PeerCounters counters,
            Executor executor,
            BooleanSupplier closed,
            java.util.function.Consumer<Boolean> backlog) {
        this.owner = owner;
        this.peer = peer;
        this.loop = loop;
        this.core = core;
        this.counters = counters;
        this.closed = closed;
        this.handlers = new SerialExecutor(executor);
        this.backlog = backlog;
        this.high = owner.config().handlerQueueHigh();
        this.low = owner.config().handlerQueueLow();
    }

    /** Handler runs queued or running now; on the loop. */
    int queued() {
        return queued;
    }

    /**
     * Queues the handler run the core asked for ({@code Effects.runHandler}); on the loop.
     *
     * @param payload the request's payload if it came as a view, taken from it (this runner releases it when the run
     *                is over); null if {@code mh} keeps the request's value
     */
    void run(MessageHolder mh, ByteBuf payload) {
        queued++;
        if (!paused && queued >= high) {
            paused = true;
            logger.warn("o2net: {} handler runs of node {} queued; reading from it paused until {}", queued, peer, low);
            backlog.accept(true);
        }
        pending.add(mh);
        payloads.add(payload == null ? Unpooled.EMPTY_BUFFER : payload);
        if (!drainScheduled) {
            drainScheduled = true;
            try {
                loop.execute(drain);
            } catch (RejectedExecutionException e) {
                logger.debug("o2net: closing, not running the handler of {} from node {}", mh, peer);
            }
        }
    }

    /**
     * Runs the requests queued by {@link #run}, in order, on the loop: on the receive path when the handler is
     * registered for it (or there is none: NO_HNDLR) and none of this peer's runs is on the executor; else on the
     * executor.
     */
    private void drain() {
        drainScheduled = false;
        for (MessageHolder mh = pending.poll(); mh != null; mh = pending.poll()) {
            ByteBuf payload = payloads.poll();
            if (closed.getAsBoolean()) {
                payload.release();
                done();
                continue;
            }
            HandlerRegistration reg = owner.lookup(mh.msgType(), mh.key());
            if (offLoop == 0 && (reg == null || reg.dispatch == HandlerRegistration.Dispatch.RECEIVE_PATH)) {
                runOne(mh, payload, reg, true);
                continue;
            }
            offLoop++;
            try {
                MessageHolder queuedMh = mh;
                // looked up again when it runs: it may have been unregistered while queued
                handlers.execute(
                        () -> runOne(queuedMh, payload, owner.lookup(queuedMh.msgType(), queuedMh.key()), false));
            } catch (RejectedExecutionException e) {
                offLoop--;
                payload.release();
                logger.debug("o2net: closing, not running the handler of {} from node {}", mh, peer);
            }
        }
    }

    /**
     * Runs the handler of one request, on the loop ({@code onLoop}) or on the executor: with {@code reg}, the
     * registration looked up just before (null: none), answers NO_HNDLR or OVERFLOW without running anything, else
     * runs it (a throw becomes -EIO); hands the status to the core (off the loop: and waits until the core has it);
     * then runs the post-handler.
     */
    private void runOne(MessageHolder mh, ByteBuf payload, HandlerRegistration reg, boolean onLoop) {
        try {
            runOne(mh, mh.value() != null ? mh.value().dataLen() : payload.readableBytes(), payload, reg, onLoop);
        } finally {
            payload.release(); // the run is over, post-handler and all: the bytes go back to the pool
        }
    }

    private void runOne(MessageHolder mh, int dataLen, ByteBuf payload, HandlerRegistration reg, boolean onLoop) {
        SysStatus sys = SysStatus.NONE;
        int status = 0;
        Request req = null;
        if (reg == null) {
            sys = SysStatus.NO_HNDLR;
            counters.noHandler.incrementAndGet();
        } else if (dataLen > reg.maxLen()) {
            sys = SysStatus.OVERFLOW;
            counters.overflows.incrementAndGet();
        } else if (!reg.enter()) {
            reg = null;
            sys = SysStatus.NO_HNDLR;
            counters.noHandler.incrementAndGet();
        } else {
            req = new Request(peer, mh, payload);
            long t0 = owner.clock().nanoTime();
            try {
                status = reg.handler.handle(req);
            } catch (Throwable t) {
                status = EIO;
                if (owner.isClosed() && t instanceof InterruptedException) {
                    logger.debug("o2net: handler for {} interrupted by shutdown", mh);
                } else {
                    counters.handlerExceptions.incrementAndGet();
                    logger.error(
                            "o2net: handler for msg_type {} key 0x{} (msg_seq {}, msg_num {}) from node {} "
                                    + "threw; answering status -EIO",
                            mh.msgType(),
                            Integer.toHexString(mh.key()),
                            Long.toUnsignedString(mh.msgSeq()),
                            Integer.toUnsignedString(mh.msgNum()),
                            peer,
                            t);
                }
            } finally {
                counters.handlerRuns.incrementAndGet();
                counters.handlerNanos.addAndGet(owner.clock().nanoTime() - t0);
            }
        }
        if (onLoop) {
            statusToCore(mh, sys, status);
        } else {
            handOver(mh, sys, status);
        }
        if (req != null) {
            try {
                if (reg.post != null) {
                    reg.post.afterStatus(req, status);
                }
            } catch (Throwable t) {
                logger.error(
                        "o2net: post-handler for msg_type {} key 0x{} from node {} threw",
                        mh.msgType(),
                        Integer.toHexString(mh.key()),
                        peer,
                        t);
            } finally {
                reg.exit();
            }
        }
    }

    /** On the loop: the core takes the run's status (unless the peer is shut down), and the run is over. */
    private void statusToCore(MessageHolder mh, SysStatus sys, int status) {
        try {
            if (!closed.getAsBoolean()) {
                core.handlerDone(mh, sys.code(), status, owner.clock().nanoTime());
            }
        } finally {
            done();
        }
    }

    /** A handler run is over (its status handed to the core); on the loop. */
    private void done() {
        queued--;
        if (paused && queued <= low) {
            paused = false;
            logger.info("o2net: handler runs of node {} down to {}; reading from it again", peer, queued);
            backlog.accept(false);
        }
    }

    /**
     * Hands a status to the core on the loop ({@link PeerCore#handlerDone}) and waits until it is there: the
     * post-handler runs after it, and the executor's task (one per handler run, which the Netty conformance tier steps)
     * ends with the status in the core.
     */
    private void handOver(MessageHolder mh, SysStatus sys, int status) {
        CompletableFuture<Void> handed = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    offLoop--;
                    statusToCore(mh, sys, status);
                } finally {
                    handed.complete(null);
                }
            });
        } catch (RejectedExecutionException e) {
            return;
        }
        try {
            handed.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        }
    }
}
