// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench.flood;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.ocfs2.o2net.bench.Table;
import org.ocfs2.o2net.config.ClusterConfig;
import org.ocfs2.o2net.node.LocalHeartbeat;
import org.ocfs2.o2net.node.O2netNode;
import org.ocfs2.o2net.node.PeerStats;
import org.ocfs2.o2net.wire.FrameEncoder;
import org.ocfs2.o2net.wire.Handshake;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.ProtocolVersion;

/**
 * The Message Holder flood of issue 11, over real sockets: a process that has the address and the heartbeat of a
 * configured node (node 2) completes the handshake with node 1 and writes fresh {@code msg_seq} after fresh
 * {@code msg_seq}, 64 B each, acknowledging nothing (ack 0), reading and dropping what node 1 answers, connecting
 * again whenever node 1 closes the connection, until it has written {@code fresh} requests or its time is up.
 * Meanwhile a legitimate node 3 calls node 1 one call after another.
 * <ul>
 * <li>v12 (the RFC as written): nothing bounds the Message Holders; every one stays until an MH_REMOVE that never
 * comes, or a heartbeat node-down.</li>
 * <li>v13: node 1 refuses a {@code msg_seq} outside (ack, ack + W] and closes the connection; what it keeps for the
 * impostor's re-sends is at most W Message Holders, DONE ones with their status only.</li>
 * </ul>
 * Measured: the Message Holders node 1 holds for node 2 (sampled every 10 ms, and after the impostor's last
 * connection is gone), the heap in use after a full collection before the flood, at each quarter of it and after it,
 * and the legitimate node's calls. Every figure comes from node 1's own {@link PeerStats} or the JVM's memory bean.
 */
public final class FloodBench {
    static final int MSG = 0x0b;
    static final int KEY = 0xf100d;
    private static final int BATCH = 256;

    private FloodBench() {}

    /** One flood. */
    public record Result(
            String protocol,
            int window,
            long written,
            long connections,
            long handlerRuns,
            long refused,
            int mhMax,
            int mhAfter,
            double heapBeforeMiB,
            double heapDuringMaxMiB,
            double heapAfterMiB,
            long legitimateCalls,
            long legitimateFailures,
            double seconds) {}

    /** The flood on v12 and on v13, {@code fresh} requests each, at most {@code limit} each. */
    public static List<Result> runAll(long fresh, Duration limit) throws Exception {
        List<Result> out = new ArrayList<>();
        for (ProtocolVersion v : new ProtocolVersion[] {ProtocolVersion.V12, ProtocolVersion.V13}) {
            Result r = run(v, fresh, limit);
            System.out.printf(
                    "  %s: %,d written over %,d connections, %,d handler runs, %,d refused, MH max %,d, after %,d;"
                            + " heap %.1f -> %.1f -> %.1f MiB; legitimate calls %,d (%d failed) in %.1f s%n",
                    r.protocol(),
                    r.written(),
                    r.connections(),
                    r.handlerRuns(),
                    r.refused(),
                    r.mhMax(),
                    r.mhAfter(),
                    r.heapBeforeMiB(),
                    r.heapDuringMaxMiB(),
                    r.heapAfterMiB(),
                    r.legitimateCalls(),
                    r.legitimateFailures(),
                    r.seconds());
            out.add(r);
        }
        return out;
    }

    /** One flood on a fresh cluster speaking {@code version}. */
    public static Result run(ProtocolVersion version, long fresh, Duration limit) throws Exception {
        LocalHeartbeat hb = LocalHeartbeat.immediate();
        ServerSocketChannel[] listeners = {
            null,
            O2netNode.listen("127.0.0.1", 0),
            O2netNode.listen("127.0.0.2", 0), // the impostor's configured port, held and never used
            O2netNode.listen("127.0.0.3", 0)
        };
        O2netNode n1 = null;
        O2netNode n3 = null;
        AtomicBoolean flooding = new AtomicBoolean(true);
        Thread legit = null;
        Thread sampler = null;
        try {
            ClusterConfig[] configs = new ClusterConfig[4];
            for (int n : new int[] {1, 3}) {
                ClusterConfig.Builder cb = ClusterConfig.newBuilder()
                        .name("flood")
                        .protocol(version)
                        .allowShortTimeouts();
                for (int m = 1; m <= 3; m++) {
                    cb.addNode(m, "n" + m, "127.0.0." + m, O2netNode.port(listeners[m]));
                }
                configs[n] = cb.localNode(n).build();
            }
            hb.join(2); // the impostor's node heartbeats: node 1 takes it for alive
            n1 = O2netNode.builder(configs[1], hb.join(1))
                    .serverChannel(listeners[1])
                    .build();
            n3 = O2netNode.builder(configs[3], hb.join(3))
                    .serverChannel(listeners[3])
                    .build();
            n1.registerHandler(MSG, KEY, 4072, r -> statusOf(r.payloadBuffer()));
            n1.start();
            n3.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!n3.connectedNodes().contains(1)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("node 3 did not connect to node 1 in 20 s");
                }
                Thread.sleep(5);
            }
            double before = heapAfterGcMiB();
            ClusterConfig c = configs[1];
            int window = c.window();
            Handshake h = version == ProtocolVersion.V13
                    ? Handshake.v13(
                            c.heartbeatTimeoutMs(),
                            c.idleTimeoutMs(),
                            c.keepaliveDelayMs(),
                            c.reconnectDelayMs(),
                            hb.incarnation(2),
                            window)
                    : Handshake.v12(
                            c.heartbeatTimeoutMs(),
                            c.idleTimeoutMs(),
                            c.keepaliveDelayMs(),
                            c.reconnectDelayMs(),
                            hb.incarnation(2));
            byte[] handshake = bytes(h);

            // the legitimate node's calls, and the sampler of node 1's Message Holders for node 2
            AtomicLong legitCalls = new AtomicLong();
            AtomicLong legitFailures = new AtomicLong();
            AtomicInteger mhMax = new AtomicInteger();
            O2netNode caller = n3;
            O2netNode target = n1;
            legit = new Thread(
                    () -> {
                        byte[] p = new byte[64];
                        for (int i = 0; flooding.get(); i++) {
                            ByteBuffer.wrap(p).putInt(0, i);
                            try {
                                if (caller.send(MSG, KEY, p, 1) != statusOf(ByteBuffer.wrap(p))) {
                                    legitFailures.incrementAndGet();
                                }
                                legitCalls.incrementAndGet();
                            } catch (RuntimeException e) {
                                legitFailures.incrementAndGet();
                            }
                        }
                    },
                    "flood-legitimate-node-3");
            sampler = new Thread(
                    () -> {
                        while (flooding.get()) {
                            mhMax.accumulateAndGet(target.stats(2).mhCount(), Math::max);
                            try {
                                Thread.sleep(10);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "flood-sampler");
            legit.start();
            sampler.start();

            long t0 = System.nanoTime();
            long end = t0 + limit.toNanos();
            long seq = 0;
            long connections = 0;
            double during = before;
            long nextQuarter = fresh / 4;
            InetSocketAddress node1 =
                    new InetSocketAddress("127.0.0.1", c.localNode().port());
            byte[] payload = new byte[64];
            while (seq < fresh && System.nanoTime() < end) {
                try (Socket s = new Socket()) {
                    s.bind(new InetSocketAddress("127.0.0.2", 0));
                    s.connect(node1);
                    connections++;
                    Thread drain = drain(s.getInputStream());
                    OutputStream out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
                    out.write(handshake);
                    ByteBuf frame = Unpooled.buffer(128);
                    while (seq < fresh && System.nanoTime() < end) {
                        for (int i = 0; i < BATCH && seq < fresh; i++) {
                            long q = seq + 1;
                            ByteBuffer.wrap(payload).putLong(0, q);
                            frame.clear();
                            FrameEncoder.encode(O2netMsg.request(MSG, KEY, (int) q, q, payload), version, frame);
                            frame.readBytes(out, frame.readableBytes());
                            seq = q; // ack 0: nothing is ever acknowledged
                        }
                        out.flush();
                        if (seq >= nextQuarter) {
                            during = Math.max(during, heapAfterGcMiB());
                            nextQuarter += fresh / 4;
                        }
                    }
                    s.shutdownOutput();
                    drain.join(TimeUnit.SECONDS.toMillis(10));
                } catch (IOException e) {
                    // node 1 closed or reset the connection (v13: the refusal): connect again, same incarnation
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            // the impostor is gone once node 1 has seen every connection it accepted from node 2 close
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (n1.stats(2).connects() != n1.stats(2).disconnects() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            flooding.set(false);
            legit.join();
            sampler.join();
            during = Math.max(during, heapAfterGcMiB());
            PeerStats s2 = n1.stats(2);
            mhMax.accumulateAndGet(s2.mhCount(), Math::max);
            double after = heapAfterGcMiB();
            return new Result(
                    version == ProtocolVersion.V13 ? "ack (v13)" : "RFC (v12)",
                    version == ProtocolVersion.V13 ? window : 0,
                    seq,
                    connections,
                    s2.handlerRuns(),
                    s2.refused(),
                    mhMax.get(),
                    n1.stats(2).mhCount(),
                    before,
                    during,
                    after,
                    legitCalls.get(),
                    legitFailures.get(),
                    seconds);
        } finally {
            flooding.set(false);
            if (legit != null) {
                legit.join(TimeUnit.SECONDS.toMillis(30));
            }
            if (n3 != null) {
                n3.close();
            }
            if (n1 != null) {
                n1.close();
            }
            hb.close();
            listeners[2].close();
        }
    }

    /** A thread that reads and drops whatever node 1 sends, until the connection ends. */
    private static Thread drain(InputStream in) {
        Thread t = new Thread(
                () -> {
                    byte[] b = new byte[64 * 1024];
                    try {
                        while (in.read(b) >= 0) {
                            // dropped
                        }
                    } catch (IOException e) {
                        // reset: over
                    }
                },
                "flood-drain");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The handler's status: the payload's first four bytes plus its length. */
    static int statusOf(ByteBuffer payload) {
        return payload.getInt(payload.position()) + payload.remaining();
    }

    private static byte[] bytes(Handshake h) {
        ByteBuf b = Unpooled.buffer();
        h.writeTo(b);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    /** Heap in use after two full collections, MiB. */
    static double heapAfterGcMiB() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024);
    }

    /** The floods as a table. */
    public static Table table(List<Result> results, long fresh) {
        Table t = new Table(
                "Message Holder flood: an impostor writes fresh msg_seq and acknowledges nothing",
                "protocol",
                "window W",
                "requests written",
                "connections",
                "handler runs",
                "refused",
                "MH max",
                "MH after it left",
                "heap before MiB",
                "heap during (max) MiB",
                "heap after MiB",
                "node 3's calls",
                "node 3's failures",
                "seconds");
        for (Result r : results) {
            t.row(
                    r.protocol(),
                    r.window() == 0 ? "-" : r.window(),
                    r.written(),
                    r.connections(),
                    r.handlerRuns(),
                    r.refused(),
                    r.mhMax(),
                    r.mhAfter(),
                    Table.fixed(r.heapBeforeMiB(), 1),
                    Table.fixed(r.heapDuringMaxMiB(), 1),
                    Table.fixed(r.heapAfterMiB(), 1),
                    r.legitimateCalls(),
                    r.legitimateFailures(),
                    Table.fixed(r.seconds(), 1));
        }
        t.note("A process with node 2's address and heartbeat completes the handshake with node 1 and writes up to "
                + fresh + " MSG frames (64 B) with fresh msg_seq and ack 0, reading and dropping node 1's replies, "
                + "connecting again whenever node 1 closes the connection. Meanwhile node 3 calls node 1 one call "
                + "after another. MH: Message Holders node 1 holds for node 2 (node 1's stats, sampled every 10 ms "
                + "and after node 1 saw the impostor's last connection close). Heap: in use after System.gc(), "
                + "before, at each quarter of the flood (max) and after. v12 frees a Message Holder only on "
                + "MH_REMOVE or a heartbeat node-down; v13 refuses a msg_seq outside (ack, ack + W] and closes the "
                + "connection.");
        return t;
    }
}
