// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.netty;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.ocfs2.o2net.wire.Frame;
import org.ocfs2.o2net.wire.HandshakeCompletionEvent;
import org.ocfs2.o2net.wire.Magic;
import org.ocfs2.o2net.wire.O2netMsg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's keepalive work and idle timer ({@code o2net_sc_postpone_idle()}, {@code o2net_idle_timer()}), for one
 * connection.
 * <ul>
 * <li>Once the peer's handshake is accepted, and again after every frame received, a KEEP_REQ is scheduled for
 * {@code keepaliveDelay} later: it goes out only if nothing else arrives first. It is not repeated: the peer's
 * KEEP_RESP is a received frame and schedules the next one.</li>
 * <li>A received KEEP_REQ is answered with a KEEP_RESP at once. Keepalive frames stop here; other frames go on.</li>
 * <li>The idle timer starts when the channel becomes active (so a peer that never completes its handshake is caught
 * too) and restarts on the accepted handshake and on every frame received. When it fires, nothing has been received
 * for {@code idleTimeout}: the handler logs the kernel's notice
 * {@code "o2net: Connection to node X (num N) at ip:port has been idle for S.MMM secs."} and <b>closes the
 * connection</b>. (Today's kernel only tells quorum and keeps the socket, betting that TCP recovers. For the reliable
 * protocol a reset is harmless, and reconnecting and resending is the recovery, so this implementation closes.)</li>
 * </ul>
 * A frame received only records when it came; the timers are not cancelled and re-armed for each frame (the kernel's
 * {@code o2net_sc_postpone_idle()} does that; here it cost two scheduled-task allocations and as many priority-queue
 * updates per frame, see BENCHMARKS.md). When a timer fires it looks at
 * how long the connection has been quiet, and either acts or re-arms itself for the rest of its delay, so each still
 * fires exactly its delay after the last frame.
 * <p>
 * Time is a seam: the handler schedules on {@code ctx.executor()} and reads "now" from the {@code nanoTime} it is given
 * ({@code System::nanoTime} in production), so a test drives it with an {@code EmbeddedChannel}'s {@code advanceTimeBy}
 * and {@code runScheduledPendingTasks} and a clock it advances alongside.
 */
public final class KeepaliveHandler extends ChannelDuplexHandler {
    /** The name {@link Pipelines} gives this handler. */
    public static final String NAME = "o2net-keepalive";

    private static final Logger logger = LoggerFactory.getLogger(KeepaliveHandler.class);

    /** What the handler reports; every method is called on the channel's event loop. */
    public interface Listener {
        /** A KEEP_REQ was written. */
        default void keepaliveSent() {}

        /** A KEEP_REQ or KEEP_RESP was received. */
        default void keepaliveReceived() {}

        /** The idle timer fired; the connection is being closed. */
        default void idleTimeout() {}
    }

    private static final Listener NO_LISTENER = new Listener() {};

    private final long keepaliveDelayMs;
    private final long idleTimeoutMs;
    private final String peer;
    private final Listener listener;
    private final LongSupplier nanoTime;
    private final Runnable keepaliveTask = this::keepalive;
    private final Runnable idleTask = this::idle;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> keepaliveTimer;
    private ScheduledFuture<?> idleTimer;
    /** When the last frame (or the accepted handshake) was received; the connection's start before that. */
    private long lastReceived;

    private boolean handshaken;
    private boolean destroyed;

    /**
     * @param keepaliveDelayMs {@code o2net_keepalive_delay_ms}, &gt; 0
     * @param idleTimeoutMs    {@code o2net_idle_timeout_ms}, &gt; keepaliveDelayMs
     * @param peer             the peer as the kernel's log lines name it, e.g.
     *                         {@code "node b (num 1) at 10.0.0.2:7777"}
     * @param listener         told about keepalives and the idle timeout; may be {@code null}
     */
    public KeepaliveHandler(long keepaliveDelayMs, long idleTimeoutMs, String peer, Listener listener) {
        this(keepaliveDelayMs, idleTimeoutMs, peer, listener, System::nanoTime);
    }

    /**
     * As {@link #KeepaliveHandler(long, long, String, Listener)}, with the clock the timers are checked against.
     *
     * @param nanoTime monotonic time in nanoseconds, advancing with the event loop's scheduler
     */
    public KeepaliveHandler(
            long keepaliveDelayMs, long idleTimeoutMs, String peer, Listener listener, LongSupplier nanoTime) {
        if (keepaliveDelayMs <= 0 || idleTimeoutMs <= keepaliveDelayMs) {
            throw new IllegalArgumentException("need 0 < keepaliveDelayMs < idleTimeoutMs, got keepaliveDelayMs="
                    + keepaliveDelayMs + " idleTimeoutMs=" + idleTimeoutMs);
        }
        this.keepaliveDelayMs = keepaliveDelayMs;
        this.idleTimeoutMs = idleTimeoutMs;
        this.peer = peer;
        this.listener = listener == null ? NO_LISTENER : listener;
        this.nanoTime = nanoTime;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            armIdle();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        armIdle();
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof HandshakeCompletionEvent && ((HandshakeCompletionEvent) evt).isSuccess()) {
            handshaken = true;
            postpone();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        Frame frame = (Frame) msg;
        postpone();
        if (frame.magic() == Magic.KEEP_REQ) {
            listener.keepaliveReceived();
            ctx.writeAndFlush(O2netMsg.keepResp()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        } else if (frame.magic() == Magic.KEEP_RESP) {
            listener.keepaliveReceived();
        } else {
            ctx.fireChannelRead(frame);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        destroy();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        destroy();
    }

    /**
     * Something was received: both timers count from now ({@code o2net_sc_postpone_idle()}). Only the time is
     * recorded; a timer that fires before its delay has passed since then re-arms itself for the rest.
     */
    private void postpone() {
        if (destroyed || idleTimer == null) {
            return;
        }
        lastReceived = now();
        if (handshaken && keepaliveTimer == null) {
            keepaliveTimer = ctx.executor().schedule(keepaliveTask, keepaliveDelayMs, TimeUnit.MILLISECONDS);
        }
    }

    /** The channel became active: the idle timer starts. */
    private void armIdle() {
        if (destroyed || idleTimer != null) {
            return;
        }
        lastReceived = now();
        scheduleIdle(TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs));
    }

    private void scheduleIdle(long delayNanos) {
        idleTimer = ctx.executor().schedule(idleTask, delayNanos, TimeUnit.NANOSECONDS);
    }

    private long now() {
        return nanoTime.getAsLong();
    }

    private void keepalive() {
        keepaliveTimer = null;
        if (destroyed || !ctx.channel().isActive()) {
            return;
        }
        long quiet = now() - lastReceived;
        long delay = TimeUnit.MILLISECONDS.toNanos(keepaliveDelayMs);
        if (quiet < delay) { // a frame came meanwhile
            keepaliveTimer = ctx.executor().schedule(keepaliveTask, delay - quiet, TimeUnit.NANOSECONDS);
            return;
        }
        listener.keepaliveSent();
        ctx.writeAndFlush(O2netMsg.keepReq()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    private void idle() {
        if (destroyed) {
            return;
        }
        long quiet = now() - lastReceived;
        long timeout = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs);
        if (quiet < timeout) { // a frame came meanwhile
            scheduleIdle(timeout - quiet);
            return;
        }
        idleTimer = null;
        logger.warn(
                "o2net: Connection to {} has been idle for {}.{} secs.",
                peer,
                idleTimeoutMs / 1000,
                idleTimeoutMs % 1000);
        listener.idleTimeout();
        destroy();
        ctx.close();
    }

    private void destroy() {
        destroyed = true;
        if (keepaliveTimer != null) {
            keepaliveTimer.cancel(false);
            keepaliveTimer = null;
        }
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
    }
}
