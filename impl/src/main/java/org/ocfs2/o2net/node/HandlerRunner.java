// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.ocfs2.o2net.config.ClusterConfig;
import org.ocfs2.o2net.core.MessageHolder;
import org.ocfs2.o2net.core.PeerCore;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.SysStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the handlers of one peer's requests ({@code o2net_process_message()}, MSG), off the event loop: one at a time,
 * in the order the core asked ({@link SerialExecutor} over the node's handler executor), each handing its status back
 * to the core on the loop ({@link PeerCore#handlerDone}). Kept apart from the connection and the protocol so that
 * what a handler run does (lookup, NO_HNDLR/OVERFLOW, -EIO on a throw, post-handler) is one piece of code.
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

    /** Queues the handler run the core asked for ({@code Effects.runHandler}); on the loop. */
    void run(MessageHolder mh) {
        queued++;
        if (!paused && queued >= high) {
            paused = true;
            logger.warn("o2net: {} handler runs of node {} queued; reading from it paused until {}", queued, peer, low);
            backlog.accept(true);
        }
        try {
            handlers.execute(() -> runOne(mh));
        } catch (RejectedExecutionException e) {
            logger.debug("o2net: closing, not running the handler of {} from node {}", mh, peer);
        }
    }

    /**
     * Runs the handler of one request, off the loop: looks it up now, answers NO_HNDLR or OVERFLOW without running
     * anything, else runs it (a throw becomes -EIO); hands the status to the core and waits until the core has it;
     * then runs the post-handler.
     */
    private void runOne(MessageHolder mh) {
        O2netMsg m = mh.msg();
        HandlerRegistration reg = owner.lookup(m.msgType(), m.key());
        SysStatus sys = SysStatus.NONE;
        int status = 0;
        Request req = null;
        if (reg == null) {
            sys = SysStatus.NO_HNDLR;
            counters.noHandler.incrementAndGet();
        } else if (m.dataLen() > reg.maxLen()) {
            sys = SysStatus.OVERFLOW;
            counters.overflows.incrementAndGet();
        } else if (!reg.enter()) {
            reg = null;
            sys = SysStatus.NO_HNDLR;
            counters.noHandler.incrementAndGet();
        } else {
            req = new Request(peer, m);
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
                            m.msgType(),
                            Integer.toHexString(m.key()),
                            Long.toUnsignedString(m.msgSeq()),
                            Integer.toUnsignedString(m.msgNum()),
                            peer,
                            t);
                }
            } finally {
                counters.handlerRuns.incrementAndGet();
                counters.handlerNanos.addAndGet(owner.clock().nanoTime() - t0);
            }
        }
        handOver(mh, sys, status);
        if (req != null) {
            try {
                if (reg.post != null) {
                    reg.post.afterStatus(req, status);
                }
            } catch (Throwable t) {
                logger.error(
                        "o2net: post-handler for msg_type {} key 0x{} from node {} threw",
                        m.msgType(),
                        Integer.toHexString(m.key()),
                        peer,
                        t);
            } finally {
                reg.exit();
            }
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

    /** Hands a status to the core on the loop ({@link PeerCore#handlerDone}) and waits until it is there. */
    private void handOver(MessageHolder mh, SysStatus sys, int status) {
        CompletableFuture<Void> handed = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    if (!closed.getAsBoolean()) {
                        core.handlerDone(mh, sys.code(), status, owner.clock().nanoTime());
                    }
                } finally {
                    done();
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
