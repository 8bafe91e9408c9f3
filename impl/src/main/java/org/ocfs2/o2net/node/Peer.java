// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.ocfs2.o2net.config.Node;
import org.ocfs2.o2net.core.Action;
import org.ocfs2.o2net.core.CallResult;
import org.ocfs2.o2net.core.Effects;
import org.ocfs2.o2net.core.MessageHolder;
import org.ocfs2.o2net.core.PeerCore;
import org.ocfs2.o2net.core.ProtocolException;
import org.ocfs2.o2net.core.TraceEvent;
import org.ocfs2.o2net.netty.FaultHandler;
import org.ocfs2.o2net.netty.FaultInjector;
import org.ocfs2.o2net.netty.KeepaliveHandler;
import org.ocfs2.o2net.netty.PeerHandler;
import org.ocfs2.o2net.netty.Pipelines;
import org.ocfs2.o2net.wire.Errno;
import org.ocfs2.o2net.wire.Handshake;
import org.ocfs2.o2net.wire.HandshakeMismatchException;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.SysStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's driver towards one peer: the kernel's {@code struct o2net_node} around a {@link PeerCore}. It owns the
 * connection to the peer (at most one, the kernel's {@code nn_sc}), the reconnect and connect-expired timers, the calls
 * waiting for a connection, and the per-peer handler executor; it carries out the core's {@link Effects}.
 * <p>
 * Threading: the peer is pinned to one event loop, and every connection to the peer is registered on it, so the core,
 * the connection's handlers and the timers all run on that one thread; other threads reach the peer with
 * {@code loop.execute}. Handlers run on {@link #handlers}, off the loop, and hand their status back with
 * {@code loop.execute}. Fields marked "loop" are only touched on the loop.
 */
final class Peer implements Effects<Call>, PeerHandler.Listener, KeepaliveHandler.Listener {
    private static final Logger logger = LoggerFactory.getLogger(Peer.class);
    /** -EIO: the status of a handler that threw. */
    static final int EIO = -5;

    private final O2netNode owner;
    final Node self;
    final Node node;
    final EventLoop loop;
    final PeerCore<Call> core;
    /** The kernel's initiator rule: the higher-numbered node connects. */
    final boolean connector;

    final SerialExecutor handlers;
    private final Pipelines.Spec spec;
    private final Bootstrap bootstrap;
    private final long reconnectNanos;
    /** False: connection attempts are made only by {@link #connectOnce()} (see {@code O2netNode.Builder#autoConnect}). */
    private final boolean autoConnect;

    private final ChannelFutureListener connectDone = this::connectDone;

    // loop
    private Channel channel;
    private boolean outbound;
    private boolean started;
    private boolean closed;
    private boolean alive;
    private Errno persistentError;
    private String lastError;
    private boolean attempted;
    private long lastConnectAttempt;
    private ScheduledFuture<?> connectTimer;
    private ScheduledFuture<?> expiredTimer;
    private long connects;
    private long disconnects;
    private long connectAttempts;
    private long keepalivesSent;
    private long keepalivesReceived;
    private long idleTimeouts;
    private PeerStats last;

    // any thread
    private volatile boolean valid;
    private final AtomicLong handlerRuns = new AtomicLong();
    private final AtomicLong handlerNanos = new AtomicLong();
    private final AtomicLong handlerExceptions = new AtomicLong();
    private final AtomicLong noHandler = new AtomicLong();
    private final AtomicLong overflows = new AtomicLong();

    Peer(O2netNode owner, Node node, EventLoop loop, Handshake handshake) {
        this.owner = owner;
        this.self = owner.config().localNode();
        this.node = node;
        this.loop = loop;
        this.connector = self.number() > node.number();
        this.core = new PeerCore<>(self.number(), node.number(), owner.config().reliable(), owner.incarnation(), this);
        this.handlers = new SerialExecutor(owner.handlerExecutor());
        this.reconnectNanos = TimeUnit.MILLISECONDS.toNanos(owner.config().reconnectDelayMs());
        this.autoConnect = owner.autoConnect();
        this.spec = new Pipelines.Spec(
                owner.config(), handshake, node.number(), node.toString(), owner.faultInjector(), this, this);
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, owner.config().idleTimeoutMs())
                .handler(Pipelines.initializer(spec));
    }

    private long now() {
        return owner.clock().nanoTime();
    }

    /** Whether a connection is up and both handshakes passed ({@code nn_sc_valid}); any thread. */
    boolean valid() {
        return valid;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Start, stop, heartbeat (loop)
    // ------------------------------------------------------------------------------------------------------------

    /** The node started: heartbeat's view of the peer now, then connect if this node is the connector. */
    void start(boolean aliveNow) {
        started = true;
        alive = aliveNow;
        maybeConnect();
        armExpired();
    }

    /** The node is closing: every call fails with EHOSTDOWN, the connection closes, the timers stop. */
    void shutdown() {
        last = snapshot();
        closed = true;
        if (tracing()) {
            // This incarnation's core is gone: the first half of the spec's Restart (the event log's Restart).
            trace(TraceEvent.of(self.number(), node.number(), core.incarnation(), Action.Restart));
        }
        cancelTimers();
        core.stop("node " + self.number() + " is shutting down");
        Channel ch = channel;
        channel = null;
        valid = false;
        if (ch != null) {
            ch.close();
        }
    }

    /**
     * Heartbeat declared the peer's incarnation {@code incarnation} dead ({@code o2net_hb_node_down_cb()}): new calls
     * are refused until {@link #nodeUp}; the core decides whether the session dies and refuses the calls waiting for
     * a connection (spec action {@code HbNodeDown}).
     */
    void nodeDown(long incarnation) {
        if (!started || closed) {
            return;
        }
        alive = false;
        cancelTimers();
        core.nodeDown(incarnation, now());
        if (channel != null && !core.connected()) {
            // A connection not yet valid goes with the node, as the kernel's set_nn_state(nn, NULL, ...) drops it.
            Channel ch = channel;
            channel = null;
            ch.close();
        }
    }

    /**
     * Heartbeat sees the peer alive ({@code o2net_hb_node_up_cb()}): the persistent error is cleared and, on the
     * connector, a connect is made at once (the kernel back-dates {@code nn_last_connect_attempt}).
     */
    void nodeUp(long incarnation) {
        if (!started || closed) {
            return;
        }
        alive = true;
        persistentError = null;
        attempted = false;
        core.nodeUp(incarnation, now());
        maybeConnect();
        armExpired();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Calls (loop)
    // ------------------------------------------------------------------------------------------------------------

    /**
     * A call to the peer ({@code o2net_send_message_vec()}; spec action {@code Send}). As the kernel's
     * {@code o2net_tx_can_proceed()}: a persistent error or a dead peer fails it at once with ENOTCONN. Otherwise the
     * core takes it: in v12 it holds it at once and writes it on the next connection; in v11 it keeps it waiting for
     * a connection (the spec's {@code conn = "up"} guard), so a reset cannot fail it before it was written. Either
     * way, no connection up means a connection is made.
     */
    void send(Call c) {
        if (closed || !started) {
            c.fail(Errno.ESRCH, "o2net is not running on node " + self.number());
        } else if (persistentError != null) {
            c.fail(
                    persistentError,
                    "node " + node.number() + ": " + (lastError == null ? "persistent error" : lastError));
        } else if (!alive) {
            c.fail(Errno.ENOTCONN, "node " + node.number() + " is not heartbeating");
        } else {
            core.send(c, c.msgType, c.key, c.payload, c.caller, c.startNanos);
            if (!core.connected()) {
                maybeConnect();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Effects (loop, called by the core)
    // ------------------------------------------------------------------------------------------------------------

    @Override
    public void write(O2netMsg frame) {
        Channel ch = channel;
        if (ch == null) {
            throw new IllegalStateException(
                    "core wrote " + frame + " to node " + node.number() + " with no connection");
        }
        ch.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    @Override
    public void runHandler(MessageHolder mh) {
        try {
            handlers.execute(() -> runOne(mh));
        } catch (RejectedExecutionException e) {
            logger.debug("o2net: node {} closing, not running the handler of {}", self.number(), mh);
        }
    }

    @Override
    public void sent(Call call, int msgNum, long msgSeq) {
        call.sent(msgNum, msgSeq);
    }

    @Override
    public void complete(Call call, CallResult result) {
        call.finish(result);
    }

    @Override
    public void refuse(Call call, Errno errno, String why) {
        call.fail(errno, why);
    }

    @Override
    public void disconnect(String why) {
        Channel ch = channel;
        channel = null;
        lastError = why;
        if (valid) {
            valid = false;
            disconnects++;
            logger.info("o2net: No longer connected to {} ({})", node, why);
        }
        if (ch != null) {
            ch.close();
        }
    }

    @Override
    public boolean tracing() {
        return owner.traceSink() != TraceSink.NONE;
    }

    @Override
    public void trace(TraceEvent event) {
        owner.traceSink().trace(event, now());
    }

    // ------------------------------------------------------------------------------------------------------------
    // Handlers (handler thread)
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Runs the handler of one request, off the loop ({@code o2net_process_message()}, MSG): looks it up now, answers
     * NO_HNDLR or OVERFLOW without running anything, else runs it (a throw becomes -EIO); hands the status to the core
     * and waits until the core has it; then runs the post-handler.
     */
    private void runOne(MessageHolder mh) {
        O2netMsg m = mh.msg();
        HandlerRegistration reg = owner.lookup(m.msgType(), m.key());
        SysStatus sys = SysStatus.NONE;
        int status = 0;
        Request req = null;
        if (reg == null) {
            sys = SysStatus.NO_HNDLR;
            noHandler.incrementAndGet();
        } else if (m.dataLen() > reg.maxLen()) {
            sys = SysStatus.OVERFLOW;
            overflows.incrementAndGet();
        } else if (!reg.enter()) {
            reg = null;
            sys = SysStatus.NO_HNDLR;
            noHandler.incrementAndGet();
        } else {
            req = new Request(node.number(), m);
            long t0 = owner.clock().nanoTime();
            try {
                status = reg.handler.handle(req);
            } catch (Throwable t) {
                status = EIO;
                if (owner.isClosed() && t instanceof InterruptedException) {
                    logger.debug("o2net: handler for {} interrupted by shutdown", mh);
                } else {
                    handlerExceptions.incrementAndGet();
                    logger.error(
                            "o2net: handler for msg_type {} key 0x{} (msg_seq {}, msg_num {}) from node {} "
                                    + "threw; answering status -EIO",
                            m.msgType(),
                            Integer.toHexString(m.key()),
                            Long.toUnsignedString(m.msgSeq()),
                            Integer.toUnsignedString(m.msgNum()),
                            node.number(),
                            t);
                }
            } finally {
                handlerRuns.incrementAndGet();
                handlerNanos.addAndGet(owner.clock().nanoTime() - t0);
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
                        node.number(),
                        t);
            } finally {
                reg.exit();
            }
        }
    }

    /** Hands a status to the core on the loop ({@link PeerCore#handlerDone}) and waits until it is there. */
    private void handOver(MessageHolder mh, SysStatus sys, int status) {
        CompletableFuture<Void> handed = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    if (!closed) {
                        core.handlerDone(mh, sys.code(), status, now());
                    }
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

    // ------------------------------------------------------------------------------------------------------------
    // Connections (loop)
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Connects if this node is the connector, has no connection, the peer is alive and there is no persistent error,
     * keeping attempts at least the reconnect delay apart ({@code o2net_start_connect()}, {@code
     * nn_last_connect_attempt}). Unlike today's kernel, this also runs after an established connection drops.
     */
    private void maybeConnect() {
        if (!autoConnect || !mayConnect()) {
            return;
        }
        long wait = attempted ? lastConnectAttempt + reconnectNanos - System.nanoTime() : 0;
        if (wait <= 0) {
            connectNow();
        } else if (connectTimer == null) {
            connectTimer = loop.schedule(
                    () -> {
                        connectTimer = null;
                        maybeConnect();
                    },
                    wait,
                    TimeUnit.NANOSECONDS);
        }
    }

    /** Whether a connection attempt may start: the connector, with no connection, the peer alive, no error. */
    private boolean mayConnect() {
        return started && !closed && connector && channel == null && alive && persistentError == null;
    }

    /**
     * One connection attempt now, if {@link #mayConnect()} (for nodes built with {@code autoConnect(false)}; the
     * reconnect delay does not apply). A failed attempt is not retried unless auto-connect is on.
     *
     * @return whether an attempt was started
     */
    boolean connectOnce() {
        if (!mayConnect()) {
            return false;
        }
        connectNow();
        return true;
    }

    private void connectNow() {
        if (connectTimer != null) {
            connectTimer.cancel(false);
            connectTimer = null;
        }
        attempted = true;
        lastConnectAttempt = System.nanoTime();
        connectAttempts++;
        ChannelFuture f = bootstrap.connect(node.socketAddress(), new InetSocketAddress(self.address(), 0));
        channel = f.channel();
        outbound = true;
        f.addListener(connectDone);
    }

    private void connectDone(ChannelFuture f) {
        if (f.isSuccess()) {
            return;
        }
        logger.debug(
                "o2net: connect to {} failed: {}",
                node,
                f.cause() == null ? "cancelled" : f.cause().toString());
        if (channel == f.channel()) {
            channel = null;
            maybeConnect();
        }
    }

    /** Whether the peer has a connection, established or being made (accept side check). */
    boolean busy() {
        return channel != null;
    }

    /** Whether heartbeat sees the peer alive (accept side check). */
    boolean alive() {
        return alive;
    }

    /** Takes an accepted connection ({@code o2net_accept_one()}): registers it on this peer's loop. */
    void adopt(Channel child) {
        if (closed || !started) {
            child.unsafe().closeForcibly();
            return;
        }
        channel = child;
        outbound = false;
        child.config().setOption(ChannelOption.TCP_NODELAY, true);
        child.pipeline().addLast(Pipelines.initializer(spec));
        loop.register(child).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                logger.warn(
                        "o2net: cannot register the connection from {}: {}",
                        node,
                        f.cause().toString());
                child.unsafe().closeForcibly();
                if (channel == child) {
                    drop("registration failed");
                }
            }
        });
    }

    @Override
    public void handshake(Channel ch, Handshake peer) {
        if (ch != channel || closed) {
            ch.close();
            return;
        }
        try {
            core.connect(peer.incarnation(), now());
        } catch (ProtocolException e) {
            logger.error("o2net: Closing connection to {}: protocol error: {}", node, e.getMessage());
            lastError = e.getMessage();
            ch.close();
            return;
        }
        valid = true;
        connects++;
        persistentError = null;
        lastError = null;
        if (expiredTimer != null) {
            expiredTimer.cancel(false);
            expiredTimer = null;
        }
        if (outbound) {
            logger.info("o2net: Connected to {}", node);
        } else {
            logger.info("o2net: Accepted connection from {}", node);
        }
    }

    @Override
    public void handshakeFailed(Channel ch, HandshakeMismatchException cause) {
        if (ch != channel) {
            return;
        }
        persistentError = cause.persistentError();
        lastError = cause.logMessage(node.toString());
        logger.warn(lastError);
        core.refuseUnsent(persistentError, lastError);
    }

    @Override
    public void frame(Channel ch, O2netMsg frame) {
        if (ch == channel && core.connected()) {
            core.receive(frame, now());
        }
    }

    @Override
    public void closed(Channel ch) {
        if (ch == channel) {
            drop("connection closed");
        }
    }

    /**
     * The current connection is gone: the core resets, and the connector reconnects a reconnect delay later (the drop
     * counts as an attempt, so that the acceptor has time to notice the drop too and does not refuse the new
     * connection as a second one).
     */
    private void drop(String why) {
        channel = null;
        attempted = true;
        lastConnectAttempt = System.nanoTime();
        if (core.connected()) {
            core.reset(now());
        }
        if (valid) {
            valid = false;
            disconnects++;
            if (lastError == null) {
                lastError = why;
            }
            logger.info("o2net: No longer connected to {}", node);
        }
        armExpired();
        maybeConnect();
    }

    /** Resets the connection with an RST (SO_LINGER 0), for tests and fault schedules; false if there was none. */
    boolean resetConnection() {
        Channel ch = channel;
        if (ch == null) {
            return false;
        }
        FaultHandler.abort(ch);
        lastError = "connection reset by request";
        drop("connection reset by request");
        return true;
    }

    /** Releases the frames held by the current connection's fault handler. */
    int releaseFrames() {
        FaultHandler fh = channel == null ? null : channel.pipeline().get(FaultHandler.class);
        return fh == null ? 0 : fh.release();
    }

    /** Counts the frames held by the current connection's fault handler. */
    int heldFrames() {
        FaultHandler fh = channel == null ? null : channel.pipeline().get(FaultHandler.class);
        return fh == null ? 0 : fh.held();
    }

    /** Releases the oldest {@code max} frames held in {@code direction} by the current connection's fault handler. */
    int releaseFrames(FaultInjector.Direction direction, int max) {
        FaultHandler fh = channel == null ? null : channel.pipeline().get(FaultHandler.class);
        return fh == null ? 0 : fh.release(direction, max);
    }

    /** The state towards the peer now, for {@code O2netNode.inspect}. */
    PeerInspection inspect() {
        FaultHandler fh = channel == null ? null : channel.pipeline().get(FaultHandler.class);
        PeerCore.Snapshot snapshot = core.snapshot();
        return new PeerInspection(
                snapshot,
                channel != null,
                valid,
                alive,
                fh == null ? List.of() : fh.heldFrames(FaultInjector.Direction.OUTBOUND),
                fh == null ? List.of() : fh.heldFrames(FaultInjector.Direction.INBOUND),
                snapshot.unsent());
    }

    /** Logs "No connection established" after reconnect delay + idle timeout without a valid connection. */
    private void armExpired() {
        if (expiredTimer != null || closed || valid || !alive) {
            return;
        }
        int idle = owner.config().idleTimeoutMs();
        expiredTimer = loop.schedule(
                () -> {
                    expiredTimer = null;
                    if (!valid && alive && !closed) {
                        logger.info(
                                "o2net: No connection established with node {} after {}.{} seconds, check network and "
                                        + "cluster configuration.",
                                node.number(),
                                idle / 1000,
                                idle % 1000);
                        armExpired();
                    }
                },
                owner.config().reconnectDelayMs() + (long) idle,
                TimeUnit.MILLISECONDS);
    }

    private void cancelTimers() {
        if (connectTimer != null) {
            connectTimer.cancel(false);
            connectTimer = null;
        }
        if (expiredTimer != null) {
            expiredTimer.cancel(false);
            expiredTimer = null;
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // KeepaliveHandler.Listener (loop)
    // ------------------------------------------------------------------------------------------------------------

    @Override
    public void keepaliveSent() {
        keepalivesSent++;
    }

    @Override
    public void keepaliveReceived() {
        keepalivesReceived++;
    }

    @Override
    public void idleTimeout() {
        idleTimeouts++;
        lastError = "idle timeout";
    }

    // ------------------------------------------------------------------------------------------------------------
    // Observability (loop)
    // ------------------------------------------------------------------------------------------------------------

    PeerStats snapshot() {
        if (closed) {
            return last;
        }
        PeerCore.Stats s = core.stats();
        return new PeerStats(
                self.number(),
                node.number(),
                valid,
                alive,
                persistentError,
                lastError,
                core.peerIncarnation(),
                s.calls,
                s.resends,
                s.duplicates,
                s.staleStatuses,
                s.failedCalls,
                s.mhCount,
                s.heldCount,
                core.orphanCount(),
                s.unsentCount,
                handlerRuns.get(),
                handlerNanos.get(),
                handlerExceptions.get(),
                noHandler.get(),
                overflows.get(),
                connects,
                disconnects,
                connectAttempts,
                keepalivesSent,
                keepalivesReceived,
                idleTimeouts);
    }
}
