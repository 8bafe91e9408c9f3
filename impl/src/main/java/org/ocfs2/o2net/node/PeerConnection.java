// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ocfs2.o2net.config.Node;
import org.ocfs2.o2net.core.PeerCore;
import org.ocfs2.o2net.core.ProtocolException;
import org.ocfs2.o2net.netty.FaultHandler;
import org.ocfs2.o2net.netty.FaultInjector;
import org.ocfs2.o2net.netty.KeepaliveHandler;
import org.ocfs2.o2net.netty.PeerHandler;
import org.ocfs2.o2net.netty.Pipelines;
import org.ocfs2.o2net.wire.Errno;
import org.ocfs2.o2net.wire.Frame;
import org.ocfs2.o2net.wire.FrameEncoder;
import org.ocfs2.o2net.wire.FrameView;
import org.ocfs2.o2net.wire.Handshake;
import org.ocfs2.o2net.wire.HandshakeMismatchException;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.ProtocolVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection to one peer: the kernel's {@code nn_sc} and its life cycle. At most one connection, made by the
 * connector (the higher-numbered node) or accepted; the reconnect and connect-expired timers; the persistent error of a
 * failed handshake. It tells the protocol core when a connection is up ({@link PeerCore#connect}), what arrives on it
 * ({@link PeerCore#receive}) and when it is gone ({@link PeerCore#reset}), and writes and closes it for the core.
 * <p>
 * Threading: on the peer's event loop only, as every connection to the peer is registered there; except
 * {@link #valid()}, which any thread may read.
 */
final class PeerConnection implements PeerHandler.Listener, KeepaliveHandler.Listener {
    /** The peer's logger: o2net's per-peer log lines keep one logger name, whichever part of the peer logs. */
    private static final Logger logger = LoggerFactory.getLogger(Peer.class);

    private final Peer peer;
    private final Node self;
    private final Node node;
    private final EventLoop loop;
    private final PeerCore<?> core;
    private final PeerCounters counters;
    /** The kernel's initiator rule: the higher-numbered node connects. */
    final boolean connector;

    private final Pipelines.Spec spec;
    /** The protocol version of every connection to the peer (this node's handshake's; a peer's other is refused). */
    private final ProtocolVersion version;
    /**
     * Frames are encoded here, straight into a buffer of the channel's allocator, rather than written as values for
     * the pipeline's encoder: true unless the node has a fault injector, whose handler inspects frame values.
     */
    private final boolean encodeHere;

    private final Bootstrap bootstrap;
    private final long reconnectNanos;
    private final int reconnectDelayMs;
    private final int idleTimeoutMs;
    /** False: connection attempts are made only by {@link #connectOnce()} (see {@code O2netNode.Builder#autoConnect}). */
    private final boolean autoConnect;

    private final ChannelFutureListener connectDone = this::connectDone;

    // loop
    private Channel channel;
    private boolean outbound;
    private Errno persistentError;
    private String lastError;
    private boolean attempted;
    private long lastConnectAttempt;
    private ScheduledFuture<?> connectTimer;
    private ScheduledFuture<?> expiredTimer;
    private ScheduledFuture<?> handshakeTimer;
    /** Reading from the peer is paused: its handler runs are backlogged, or it does not read our replies. */
    private boolean backlogged;

    private boolean unwritable;
    /** The decoder's view of the frame the core is handling now ({@link #frame}), or null. */
    private FrameView receiving;

    // any thread
    private volatile boolean valid;

    PeerConnection(Peer peer, O2netNode owner, Handshake handshake, PeerCounters counters) {
        this.peer = peer;
        this.self = peer.self;
        this.node = peer.node;
        this.loop = peer.loop;
        this.core = peer.core;
        this.counters = counters;
        this.connector = self.number() > node.number();
        this.reconnectDelayMs = owner.config().reconnectDelayMs();
        this.idleTimeoutMs = owner.config().idleTimeoutMs();
        this.reconnectNanos = TimeUnit.MILLISECONDS.toNanos(reconnectDelayMs);
        this.autoConnect = owner.autoConnect();
        this.version = handshake.version();
        this.encodeHere = owner.faultInjector() == FaultInjector.NONE;
        this.spec = new Pipelines.Spec(
                owner.config(), handshake, node.number(), node.toString(), owner.faultInjector(), this, this);
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, idleTimeoutMs)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark(owner.config()))
                .handler(Pipelines.initializer(spec));
    }

    private static io.netty.channel.WriteBufferWaterMark waterMark(org.ocfs2.o2net.config.ClusterConfig c) {
        return new io.netty.channel.WriteBufferWaterMark(c.writeBufferLow(), c.writeBufferHigh());
    }

    /** Whether a connection is up and both handshakes passed ({@code nn_sc_valid}); any thread. */
    boolean valid() {
        return valid;
    }

    /** The error of the last failed handshake ({@code nn_persistent_error}), or null. */
    Errno persistentError() {
        return persistentError;
    }

    /** What last went wrong with the connection, for the log and the errors of refused calls; or null. */
    String lastError() {
        return lastError;
    }

    /** Heartbeat sees the peer alive: the persistent error is cleared and the next attempt may be made at once. */
    void nodeUp() {
        persistentError = null;
        attempted = false;
    }

    /** The peer is shutting down: the timers stop and the connection closes. */
    void shutdown() {
        cancelTimers();
        Channel ch = channel;
        channel = null;
        valid = false;
        if (ch != null) {
            ch.close();
        }
    }

    /** Heartbeat declared the peer dead: a connection not yet valid goes with it, as the kernel's set_nn_state drops it. */
    void nodeDown() {
        cancelTimers();
    }

    /** After the core took a node-down: a connection the core does not use (not yet valid) is closed. */
    void dropUnused() {
        if (channel != null && !core.connected()) {
            Channel ch = channel;
            channel = null;
            ch.close();
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // For the core's effects
    // ------------------------------------------------------------------------------------------------------------

    /** {@code Effects.write}: writes a frame on the current connection. */
    void write(O2netMsg frame) {
        Channel ch = channelFor(frame);
        // no promise per frame: a failed write reaches PeerHandler.exceptionCaught, which closes the connection
        ch.writeAndFlush(frame, ch.voidPromise());
    }

    /**
     * {@code Effects.writeRequest}: writes a MSG on the current connection, encoded here (no frame object) unless a
     * fault injector must see it as a value.
     */
    void writeRequest(int msgType, int key, int msgNum, long msgSeq, long ack, byte[] payload) {
        if (!encodeHere) {
            write(O2netMsg.wrapRequest(msgType, key, msgNum, msgSeq, ack, payload));
            return;
        }
        Channel ch = channelFor("a MSG");
        ch.writeAndFlush(
                FrameEncoder.encodeRequest(ch.alloc(), version, msgType, key, msgNum, msgSeq, ack, payload),
                ch.voidPromise());
    }

    /** {@code Effects.writeStatus}: writes a STATUS on the current connection, as {@link #writeRequest} a MSG. */
    void writeStatus(int msgType, int sysStatus, int status, int key, int msgNum, long msgSeq, long ack) {
        if (!encodeHere) {
            write(O2netMsg.status(msgType, sysStatus, status, key, msgNum, msgSeq, ack));
            return;
        }
        Channel ch = channelFor("a STATUS");
        ch.writeAndFlush(
                FrameEncoder.encodeStatus(ch.alloc(), version, msgType, sysStatus, status, key, msgNum, msgSeq, ack),
                ch.voidPromise());
    }

    /** The current connection, for the core's write of {@code what}; the core writes only while it is connected. */
    private Channel channelFor(Object what) {
        Channel ch = channel;
        if (ch == null) {
            throw new IllegalStateException("core wrote " + what + " to node " + node.number() + " with no connection");
        }
        return ch;
    }

    /**
     * Bounded memory per peer, whatever it sends: the peer's queued handler runs passed the high water mark
     * ({@code backlogged}) or came back under the low one (see {@link HandlerRunner}). Reading from the peer pauses
     * (Netty's {@code autoRead}) while its handler runs are backlogged or it does not read what this node writes.
     */
    void backlog(boolean on) {
        backlogged = on;
        applyReading(channel);
    }

    @Override
    public void writabilityChanged(Channel ch, boolean writable) {
        if (ch == channel) {
            unwritable = !writable;
            if (!writable) {
                logger.warn("o2net: {} does not read what this node writes; reading from it paused", node);
            }
            applyReading(ch);
        }
    }

    private void applyReading(Channel ch) {
        boolean read = !backlogged && !unwritable;
        if (ch != null && ch.config().isAutoRead() != read) {
            ch.config().setAutoRead(read);
            if (!read) {
                counters.readPauses++;
            }
        }
    }

    /** {@code Effects.disconnect}: the core forgot the connection; close it. */
    void disconnect(String why) {
        Channel ch = channel;
        channel = null;
        lastError = why;
        if (valid) {
            valid = false;
            counters.disconnects++;
            logger.info("o2net: No longer connected to {} ({})", node, why);
        }
        if (ch != null) {
            ch.close();
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Making connections
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Connects if this node is the connector, has no connection, the peer is alive and there is no persistent error,
     * keeping attempts at least the reconnect delay apart ({@code o2net_start_connect()}, {@code
     * nn_last_connect_attempt}). Unlike today's kernel, this also runs after an established connection drops.
     */
    void maybeConnect() {
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
        return peer.running() && connector && channel == null && peer.alive() && persistentError == null;
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
        counters.connectAttempts++;
        ChannelFuture f = bootstrap.connect(node.socketAddress(), new InetSocketAddress(self.address(), 0));
        channel = f.channel();
        outbound = true;
        f.addListener(connectDone);
    }

    private void connectDone(ChannelFuture f) {
        if (f.isSuccess()) {
            if (channel == f.channel()) {
                armHandshakeDeadline(f.channel());
            }
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
        // an accepted connection whose handshake has not passed does not block a newer one from the node: see adopt
        return channel != null && (valid || outbound);
    }

    /**
     * The handshake deadline: how long a connection may stay without a passed handshake before it is closed, the
     * reconnect delay, at least 1000 ms (the kernel has none: only the idle timer, 30 s by default, ends it, and
     * meanwhile {@code o2net_accept_one} refuses the node's real connections; spec/README.md).
     */
    long handshakeDeadlineMs() {
        return Math.max(1000, reconnectDelayMs);
    }

    /** Arms the handshake deadline of {@code ch}, the connection just made or adopted. */
    private void armHandshakeDeadline(Channel ch) {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        long ms = handshakeDeadlineMs();
        handshakeTimer = loop.schedule(
                () -> {
                    if (ch == channel && !valid) {
                        logger.warn(
                                "o2net: no handshake from {} at {} within {} ms; closing the connection",
                                node,
                                ch.remoteAddress(),
                                ms);
                        lastError = "no handshake within " + ms + " ms";
                        counters.handshakeTimeouts++;
                        ch.close();
                    }
                },
                ms,
                TimeUnit.MILLISECONDS);
    }

    /** Takes an accepted connection ({@code o2net_accept_one()}): registers it on this peer's loop. */
    void adopt(Channel child) {
        if (!peer.running()) {
            child.unsafe().closeForcibly();
            return;
        }
        if (channel != null && !valid) {
            // A connection from this node that never finished its handshake (a stalled peer, or a process that
            // connected from the node's address and says nothing) gives way to the newer one.
            Channel stale = channel;
            channel = null;
            logger.warn(
                    "o2net: {} connected again from {}; closing its unfinished connection from {}",
                    node,
                    child.remoteAddress(),
                    stale.remoteAddress());
            counters.handshakesReplaced++;
            stale.close();
        }
        channel = child;
        outbound = false;
        unwritable = false;
        if (backlogged) {
            child.config().setAutoRead(false);
        }
        child.config().setOption(ChannelOption.TCP_NODELAY, true);
        child.config()
                .setOption(
                        ChannelOption.WRITE_BUFFER_WATER_MARK,
                        waterMark(peer.owner().config()));
        child.pipeline().addLast(Pipelines.initializer(spec));
        armHandshakeDeadline(child);
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

    // ------------------------------------------------------------------------------------------------------------
    // PeerHandler.Listener
    // ------------------------------------------------------------------------------------------------------------

    @Override
    public void handshake(Channel ch, Handshake handshake) {
        if (ch != channel || peer.closed()) {
            ch.close();
            return;
        }
        try {
            core.connect(handshake.incarnation(), Math.max(1, handshake.window()), peer.now());
        } catch (ProtocolException e) {
            logger.error("o2net: Closing connection to {}: protocol error: {}", node, e.getMessage());
            lastError = e.getMessage();
            ch.close();
            return;
        }
        valid = true;
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
            handshakeTimer = null;
        }
        counters.connects++;
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
    public void frame(Channel ch, Frame frame) {
        if (ch == channel && core.connected()) {
            receiving = frame instanceof FrameView v ? v : null;
            try {
                core.receive(frame, peer.now());
            } finally {
                receiving = null;
            }
        }
    }

    /**
     * The payload of the request being received, for the handler run the core asks for while it handles the frame
     * ({@code Effects.runHandler}): taken from the decoder's view (the caller releases it); null if the frame is a
     * value, whose payload the Message Holder keeps.
     */
    ByteBuf takePayload() {
        return receiving == null ? null : receiving.takePayload();
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
            core.reset(peer.now());
        }
        if (valid) {
            valid = false;
            counters.disconnects++;
            if (lastError == null) {
                lastError = why;
            }
            logger.info("o2net: No longer connected to {}", node);
        }
        armExpired();
        maybeConnect();
    }

    // ------------------------------------------------------------------------------------------------------------
    // KeepaliveHandler.Listener
    // ------------------------------------------------------------------------------------------------------------

    @Override
    public void keepaliveSent() {
        counters.keepalivesSent++;
    }

    @Override
    public void keepaliveReceived() {
        counters.keepalivesReceived++;
    }

    @Override
    public void idleTimeout() {
        counters.idleTimeouts++;
        lastError = "idle timeout";
    }

    // ------------------------------------------------------------------------------------------------------------
    // Fault injection and inspection (tests, fault schedules)
    // ------------------------------------------------------------------------------------------------------------

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

    private FaultHandler faultHandler() {
        return channel == null ? null : channel.pipeline().get(FaultHandler.class);
    }

    /** Releases the frames held by the current connection's fault handler. */
    int releaseFrames() {
        FaultHandler fh = faultHandler();
        return fh == null ? 0 : fh.release();
    }

    /** Counts the frames held by the current connection's fault handler. */
    int heldFrames() {
        FaultHandler fh = faultHandler();
        return fh == null ? 0 : fh.held();
    }

    /** Releases the oldest {@code max} frames held in {@code direction} by the current connection's fault handler. */
    int releaseFrames(FaultInjector.Direction direction, int max) {
        FaultHandler fh = faultHandler();
        return fh == null ? 0 : fh.release(direction, max);
    }

    /** The frames the fault handler holds in {@code direction} now, oldest first. */
    List<O2netMsg> heldFrames(FaultInjector.Direction direction) {
        FaultHandler fh = faultHandler();
        return fh == null ? List.of() : fh.heldFrames(direction);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Timers
    // ------------------------------------------------------------------------------------------------------------

    /** Logs "No connection established" after reconnect delay + idle timeout without a valid connection. */
    void armExpired() {
        if (expiredTimer != null || peer.closed() || valid || !peer.alive()) {
            return;
        }
        expiredTimer = loop.schedule(
                () -> {
                    expiredTimer = null;
                    if (!valid && peer.alive() && !peer.closed()) {
                        logger.info(
                                "o2net: No connection established with node {} after {}.{} seconds, check network and "
                                        + "cluster configuration.",
                                node.number(),
                                idleTimeoutMs / 1000,
                                idleTimeoutMs % 1000);
                        armExpired();
                    }
                },
                reconnectDelayMs + (long) idleTimeoutMs,
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
}
