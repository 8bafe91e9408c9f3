// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench.load;

import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.TimeUnit;
import org.ocfs2.o2net.config.ClusterConfig;
import org.ocfs2.o2net.netty.FaultInjector;
import org.ocfs2.o2net.node.HandlerRegistration;
import org.ocfs2.o2net.node.LocalHeartbeat;
import org.ocfs2.o2net.node.O2netNode;
import org.ocfs2.o2net.node.PeerStats;
import org.ocfs2.o2net.wire.ProtocolVersion;

/**
 * This implementation: two {@link O2netNode}s in this JVM on loopback, node 1 on 127.0.0.1 (the server: its handler
 * computes the status) and node 2 on 127.0.0.2 (the callers: blocking {@link O2netNode#send}). As in o2net, every
 * caller shares the one connection between the two nodes. The protocol: v11 (today's o2net, two frames per call), v12
 * (the RFC's Message Holder protocol, four frames per call: MSG, STATUS, MH_REMOVE, MH_REMOVED) or v13 (one round
 * trip: MSG and STATUS, the ack riding on them, an ACK frame only on a quiet link). The timed runs use the nodes as
 * they ship, with no fault injector in their pipelines; a pair made by {@link #counting} counts every frame either
 * node writes ({@link #framesWritten()}) through a fault injector that passes everything (the frames table's runs).
 * Timeouts are the kernel's defaults; heartbeat is a {@link LocalHeartbeat}.
 */
public final class O2netTarget implements Target {
    /** The message type and key the benchmark's handler is registered for. */
    public static final int MSG = 0x62;

    public static final int KEY = 0xbe4c;

    private final ProtocolVersion version;
    private final HandlerRegistration.Dispatch dispatch;
    private final int reconnectDelayMs;
    private final java.util.concurrent.atomic.LongAdder frames = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder calls = new java.util.concurrent.atomic.LongAdder();
    private final FaultInjector injector;
    private LocalHeartbeat hb;
    private O2netNode server;
    private O2netNode client;

    /** A pair speaking {@code version}, the handler on the receive path, no fault injector (frames not counted). */
    public O2netTarget(ProtocolVersion version) {
        this(version, HandlerRegistration.Dispatch.RECEIVE_PATH);
    }

    /** A pair speaking {@code version}, the handler run where {@code dispatch} says, no fault injector. */
    public O2netTarget(ProtocolVersion version, HandlerRegistration.Dispatch dispatch) {
        this(version, dispatch, ClusterConfig.DEFAULT_RECONNECT_DELAY_MS, FaultInjector.NONE);
    }

    /** A pair speaking {@code version} whose frames are counted ({@link #framesWritten()}). */
    public static O2netTarget counting(ProtocolVersion version) {
        return new O2netTarget(
                version, HandlerRegistration.Dispatch.RECEIVE_PATH, ClusterConfig.DEFAULT_RECONNECT_DELAY_MS, null);
    }

    /** A pair with {@code reconnectDelayMs} (short delays allowed) and a fault injector on both nodes. */
    public O2netTarget(boolean reliable, int reconnectDelayMs, FaultInjector injector) {
        this(ProtocolVersion.of(reliable), reconnectDelayMs, injector);
    }

    /**
     * A pair speaking {@code version} with {@code reconnectDelayMs}; {@code injector} on both nodes, or, if null, one
     * that passes every frame and counts those written.
     */
    public O2netTarget(ProtocolVersion version, int reconnectDelayMs, FaultInjector injector) {
        this(version, HandlerRegistration.Dispatch.RECEIVE_PATH, reconnectDelayMs, injector);
    }

    /** As {@link #O2netTarget(ProtocolVersion, int, FaultInjector)}, the handler run where {@code dispatch} says. */
    public O2netTarget(
            ProtocolVersion version,
            HandlerRegistration.Dispatch dispatch,
            int reconnectDelayMs,
            FaultInjector injector) {
        this.version = version;
        this.dispatch = dispatch;
        this.reconnectDelayMs = reconnectDelayMs;
        this.injector = injector != null
                ? injector
                : (node, peer, direction, frame) -> {
                    if (direction == FaultInjector.Direction.OUTBOUND) {
                        frames.increment();
                    }
                    return FaultInjector.Verdict.PASS;
                };
    }

    /** Calls made through {@link #caller()} so far. */
    public long callsMade() {
        return calls.sum();
    }

    /**
     * Frames (keepalives included) both nodes have written so far; 0 unless the pair was made by {@link #counting}
     * (or with a null injector).
     */
    public long framesWritten() {
        return frames.sum();
    }

    @Override
    public String name() {
        String name = switch (version) {
            case V11 -> "o2net reliability off (v11)";
            case V12 -> "o2net reliable (v12)";
            case V13 -> "o2net one round trip (v13)";
        };
        return dispatch == HandlerRegistration.Dispatch.EXECUTOR ? name + ", handler on the executor" : name;
    }

    @Override
    public void start() throws Exception {
        hb = LocalHeartbeat.immediate();
        // Bound before the configuration is written (port 0: the OS picks) and handed to the nodes: nothing rebinds.
        ServerSocketChannel[] listeners = {null, O2netNode.listen("127.0.0.1", 0), O2netNode.listen("127.0.0.2", 0)};
        int[] ports = {0, O2netNode.port(listeners[1]), O2netNode.port(listeners[2])};
        O2netNode[] nodes = new O2netNode[3];
        for (int n = 1; n <= 2; n++) {
            ClusterConfig.Builder cb = ClusterConfig.newBuilder()
                    .name("bench")
                    .protocol(version)
                    .reconnectDelayMs(reconnectDelayMs)
                    .allowShortTimeouts();
            for (int m = 1; m <= 2; m++) {
                cb.addNode(m, "n" + m, "127.0.0." + m, ports[m]);
            }
            nodes[n] = O2netNode.builder(cb.localNode(n).build(), hb.join(n))
                    .serverChannel(listeners[n])
                    .faultInjector(injector)
                    .build();
        }
        server = nodes[1];
        client = nodes[2];
        server.registerHandler(
                MSG,
                KEY,
                4072,
                r -> Target.statusOf(r.payloadInt(0), r.dataLen()), // read in place: no copy, no buffer
                dispatch);
        server.start();
        client.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!client.connectedNodes().contains(1)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("o2net: node 2 did not connect to node 1 in 20 s: " + client.stats(1));
            }
            Thread.sleep(5);
        }
    }

    /** The calling node (2). */
    public O2netNode client() {
        return client;
    }

    /** The node whose handler runs (1). */
    public O2netNode server() {
        return server;
    }

    @Override
    public Caller caller() {
        return payload -> {
            calls.increment();
            return client.send(MSG, KEY, payload, 1);
        };
    }

    /**
     * Message Holders on node 1 plus held messages and orphans on both nodes. In v13 the last Message Holders go with
     * the delayed ACK a moment after the last call: this waits (at most 10 s) for the count to reach 0 first.
     */
    @Override
    public Integer leftOver() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (version == ProtocolVersion.V13 && count() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        return count();
    }

    private int count() {
        PeerStats s = server.stats(2);
        PeerStats c = client.stats(1);
        return s.mhCount() + s.heldCount() + s.orphans() + c.mhCount() + c.heldCount() + c.orphans();
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (hb != null) {
            hb.close();
        }
    }
}
