// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import org.ocfs2.o2net.config.Node;
import org.ocfs2.o2net.core.Action;
import org.ocfs2.o2net.core.CallResult;
import org.ocfs2.o2net.core.Effects;
import org.ocfs2.o2net.core.MessageHolder;
import org.ocfs2.o2net.core.PeerCore;
import org.ocfs2.o2net.core.TraceEvent;
import org.ocfs2.o2net.netty.FaultInjector;
import org.ocfs2.o2net.wire.Errno;
import org.ocfs2.o2net.wire.Handshake;
import org.ocfs2.o2net.wire.O2netMsg;

/**
 * One node's driver towards one peer: the kernel's {@code struct o2net_node} around a {@link PeerCore}. It is the
 * glue: it takes the node's calls and heartbeat events to the core, and carries out the core's {@link Effects} with
 * its three parts: the connection ({@link PeerConnection}), the handler runs ({@link HandlerRunner}) and the
 * statistics ({@link PeerCounters}).
 * <p>
 * Threading: the peer is pinned to one event loop, and every connection to the peer is registered on it, so the core,
 * the connection's handlers and the timers all run on that one thread; other threads reach the peer with
 * {@code loop.execute}. Handlers run on the loop, or on the executor and hand their status back with
 * {@code loop.execute} ({@link HandlerRunner}). Fields marked
 * "loop" are only touched on the loop.
 */
final class Peer implements Effects<Call> {
    private final O2netNode owner;
    final Node self;
    final Node node;
    final EventLoop loop;
    final PeerCore<Call> core;

    private final PeerCounters counters = new PeerCounters();
    private final PeerConnection connection;
    private final HandlerRunner handlers;

    // loop
    private boolean started;
    private boolean closed;
    private boolean alive;
    private PeerStats last;

    Peer(O2netNode owner, Node node, EventLoop loop, Handshake handshake) {
        this.owner = owner;
        this.self = owner.config().localNode();
        this.node = node;
        this.loop = loop;
        this.core = new PeerCore<>(
                self.number(),
                node.number(),
                owner.config().protocol(),
                owner.incarnation(),
                owner.config().window(),
                this);
        this.connection = new PeerConnection(this, owner, handshake, counters);
        this.handlers = new HandlerRunner(
                owner, node.number(), loop, core, counters, owner.handlerExecutor(), () -> closed, this::backlog);
    }

    O2netNode owner() {
        return owner;
    }

    long now() {
        return owner.clock().nanoTime();
    }

    /** Whether a connection is up and both handshakes passed ({@code nn_sc_valid}); any thread. */
    boolean valid() {
        return connection.valid();
    }

    /** Started and not shut down; loop. */
    boolean running() {
        return started && !closed;
    }

    /** The peer's handler runs passed the high water mark, or came back under the low one; loop. */
    private void backlog(boolean on) {
        connection.backlog(on);
    }

    /** Handler runs of the peer's requests queued or running now; loop. */
    int handlerQueue() {
        return handlers.queued();
    }

    /** Shut down; loop. */
    boolean closed() {
        return closed;
    }

    /** Whether heartbeat sees the peer alive (accept side check too); loop. */
    boolean alive() {
        return alive;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Start, stop, heartbeat (loop)
    // ------------------------------------------------------------------------------------------------------------

    /** The node started: heartbeat's view of the peer now, then connect if this node is the connector. */
    void start(boolean aliveNow) {
        started = true;
        alive = aliveNow;
        connection.maybeConnect();
        connection.armExpired();
    }

    /** The node is closing: every call fails with EHOSTDOWN, the connection closes, the timers stop. */
    void shutdown() {
        last = snapshot();
        closed = true;
        if (tracing()) {
            // This incarnation's core is gone: the first half of the spec's Restart (the event log's Restart).
            trace(TraceEvent.of(self.number(), node.number(), core.incarnation(), Action.Restart));
        }
        core.stop("node " + self.number() + " is shutting down");
        connection.shutdown();
    }

    /**
     * Heartbeat declared the peer's incarnation {@code incarnation} dead ({@code o2net_hb_node_down_cb()}): new calls
     * are refused until {@link #nodeUp}; the core decides whether the session dies and refuses the calls waiting for
     * a connection (spec action {@code HbNodeDown}).
     */
    void nodeDown(long incarnation) {
        if (!running()) {
            return;
        }
        alive = false;
        connection.nodeDown();
        core.nodeDown(incarnation, now());
        connection.dropUnused();
    }

    /**
     * Heartbeat sees the peer alive ({@code o2net_hb_node_up_cb()}): the persistent error is cleared and, on the
     * connector, a connect is made at once (the kernel back-dates {@code nn_last_connect_attempt}).
     */
    void nodeUp(long incarnation) {
        if (!running()) {
            return;
        }
        alive = true;
        connection.nodeUp();
        core.nodeUp(incarnation, now());
        connection.maybeConnect();
        connection.armExpired();
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
        Errno persistentError = connection.persistentError();
        if (!running()) {
            c.fail(Errno.ESRCH, "o2net is not running on node " + self.number());
        } else if (persistentError != null) {
            String lastError = connection.lastError();
            c.fail(
                    persistentError,
                    "node " + node.number() + ": " + (lastError == null ? "persistent error" : lastError));
        } else if (!alive) {
            c.fail(Errno.ENOTCONN, "node " + node.number() + " is not heartbeating");
        } else {
            core.send(c, c.msgType, c.key, c.payload, c.caller, c.startNanos);
            if (!core.connected()) {
                connection.maybeConnect();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Effects (loop, called by the core)
    // ------------------------------------------------------------------------------------------------------------

    @Override
    public void write(O2netMsg frame) {
        connection.write(frame);
    }

    @Override
    public void writeRequest(int msgType, int key, int msgNum, long msgSeq, long ack, byte[] payload) {
        connection.writeRequest(msgType, key, msgNum, msgSeq, ack, payload);
    }

    @Override
    public void writeStatus(int msgType, int sysStatus, int status, int key, int msgNum, long msgSeq, long ack) {
        connection.writeStatus(msgType, sysStatus, status, key, msgNum, msgSeq, ack);
    }

    @Override
    public void runHandler(MessageHolder mh) {
        handlers.run(mh, connection.takePayload());
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

    /**
     * v13: the core's ack is ahead of what the connection carried; its delayed-ack timer ({@code SendAck}) runs
     * {@value #ACK_DELAY_MICROS} µs later on this loop ({@link AckTimer}), unless a MSG or STATUS has carried the ack
     * by then.
     */
    @Override
    public void ackPending() {
        owner.ackTimer().schedule(loop, () -> core.ackTimer(now()), ACK_DELAY_MICROS);
    }

    /** The delayed ACK's delay: short against a quiet link's Message Holders, long enough for a MSG to carry it. */
    static final long ACK_DELAY_MICROS = 2000;

    @Override
    public void disconnect(String why) {
        connection.disconnect(why);
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
    // The accept side and the test controls (loop)
    // ------------------------------------------------------------------------------------------------------------

    /** Whether the peer has a connection, established or being made (accept side check). */
    boolean busy() {
        return connection.busy();
    }

    /** Takes an accepted connection ({@code o2net_accept_one()}). */
    void adopt(Channel child) {
        connection.adopt(child);
    }

    /** One connection attempt now ({@code O2netNode.connect}); whether one was started. */
    boolean connectOnce() {
        return connection.connectOnce();
    }

    /** Resets the connection with an RST (SO_LINGER 0), for tests and fault schedules; false if there was none. */
    boolean resetConnection() {
        return connection.resetConnection();
    }

    /** Releases the frames held by the current connection's fault handler. */
    int releaseFrames() {
        return connection.releaseFrames();
    }

    /** Counts the frames held by the current connection's fault handler. */
    int heldFrames() {
        return connection.heldFrames();
    }

    /** Releases the oldest {@code max} frames held in {@code direction} by the current connection's fault handler. */
    int releaseFrames(FaultInjector.Direction direction, int max) {
        return connection.releaseFrames(direction, max);
    }

    /** The state towards the peer now, for {@code O2netNode.inspect}. */
    PeerInspection inspect() {
        PeerCore.Snapshot snapshot = core.snapshot();
        return new PeerInspection(
                snapshot,
                connection.busy(),
                connection.valid(),
                alive,
                connection.heldFrames(FaultInjector.Direction.OUTBOUND),
                connection.heldFrames(FaultInjector.Direction.INBOUND),
                snapshot.unsent());
    }

    /** The counters towards the peer now; after shutdown, the last ones. */
    PeerStats snapshot() {
        if (closed) {
            return last;
        }
        return counters.stats(
                self.number(),
                node.number(),
                connection.valid(),
                alive,
                connection.persistentError(),
                connection.lastError(),
                core);
    }
}
