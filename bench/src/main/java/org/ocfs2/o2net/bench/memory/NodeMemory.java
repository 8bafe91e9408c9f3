// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench.memory;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.ocfs2.o2net.bench.Table;
import org.ocfs2.o2net.config.ClusterConfig;
import org.ocfs2.o2net.core.PeerCore;
import org.ocfs2.o2net.netty.FrameHolds;
import org.ocfs2.o2net.node.LocalHeartbeat;
import org.ocfs2.o2net.node.NodeControl;
import org.ocfs2.o2net.node.O2netNode;
import org.ocfs2.o2net.node.PeerInspection;
import org.ocfs2.o2net.node.PeerStats;
import org.ocfs2.o2net.wire.Magic;
import org.ocfs2.o2net.wire.O2netMsg;

/**
 * What a whole node keeps per call in flight: two {@link O2netNode}s in this JVM on loopback TCP (node 1 on 127.0.0.1
 * runs the handler, node 2 on 127.0.0.2 calls it; protocol v12, {@link LocalHeartbeat}), with a {@link FrameHolds}
 * fault injector to stop the calls at a chosen point. Measured two ways, before and while {@code n} calls are stopped,
 * the difference / {@code n}: heap used from the {@link MemoryMXBean} after repeated {@link System#gc()} (what the
 * JVM really holds, with some GC noise), and JOL's walk of every object reachable from the two node objects
 * ({@link Footprint}: exact, and class by class, so it also says what the bytes are).
 * <ol>
 * <li><b>Sender, call in flight</b>: node 2's outbound MSG frames are held, then {@code n} {@code sendAsync} calls are
 * made. Per call: the node's call record and its futures, the core's held message and the request frame (over the
 * caller's payload array: no copy), the held write.</li>
 * <li><b>Call waiting for its status, MH DONE</b>: node 1's outbound STATUS frames are held, so each call's handler has
 * run and its Message Holder is DONE with the status stored, waiting for MH_REMOVE. The two nodes share the heap, so
 * this holds, per call, the sender's call waiting for its status <em>and</em> the receiver's MH and held STATUS frame;
 * the receiver's share is estimated as this minus the first phase (the held write, one per call in both phases,
 * cancels out of that estimate).</li>
 * </ol>
 * Each phase starts from a quiet pair, and ends by releasing the frames and checking that every call returned its
 * handler's status, that no MH and no held message is left ({@link NodeControl#inspect}), and that the connection never
 * dropped. A warm-up round of the same phases runs first, so that class loading, pools and caches are not counted.
 * Held frames are {@link O2netMsg} objects (the fault injector sits before the encoder), so they are on the heap;
 * Netty's pooled direct memory is reported beside. The JOL histograms are taken outside the two heap readings, and only
 * small histograms are kept, so they do not disturb the heap figure.
 */
public final class NodeMemory {
    static final int MSG_TYPE = 0x6d;
    static final int KEY = 0x3e3;
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final FrameHolds holds = new FrameHolds();
    private LocalHeartbeat hb;
    private O2netNode receiver;
    private O2netNode sender;

    /** What one phase found: heap and pooled direct memory before and during, and JOL's count of what was added. */
    record Phase(
            String what,
            int payload,
            int n,
            long heapBefore,
            long heapDuring,
            long directBefore,
            long directDuring,
            Footprint added) {
        /** Heap growth per call. */
        double perCall() {
            return (double) (heapDuring - heapBefore) / n;
        }

        /** Bytes added per call to the objects reachable from the two nodes (JOL). */
        double jolPerCall() {
            return added.perMessage(n);
        }
    }

    private NodeMemory() {}

    /**
     * Measures both phases for each payload with {@code n} calls; returns the table, then where the bytes of the first
     * payload's two phases go, class by class.
     */
    public static List<Table> measure(int n, int[] payloads) {
        NodeMemory m = new NodeMemory();
        List<Phase[]> results = new ArrayList<>();
        try {
            m.start();
            m.sendersInFlight(Math.min(n, 1000), payloads[0]); // warm-up, not reported
            m.statusesHeld(Math.min(n, 1000), payloads[0]);
            for (int p : payloads) {
                results.add(new Phase[] {m.sendersInFlight(n, p), m.statusesHeld(n, p)});
            }
        } finally {
            m.close();
        }
        List<Table> tables = new ArrayList<>();
        tables.add(table(results, n));
        Phase a = results.get(0)[0];
        Phase b = results.get(0)[1];
        tables.add(a.added()
                .table(
                        "Where the bytes go: node level, " + a.what() + ", payload " + a.payload() + " B",
                        n,
                        "JOL: objects and bytes per class reachable from the two O2netNode objects while N = "
                                + Table.count(n)
                                + " calls are stopped, minus those before the calls, / N. The sender's "
                                + "core holds HeldMessage, O2netMsg (the request frame, over the caller's array: no copy), "
                                + "TreeMap.Entry and "
                                + "Long (the call object is the node's Call); the node adds the Call, the CompletableFutures and their completions, the calls set's "
                                + "ConcurrentHashMap.Node, and the held write (FaultHandler.HeldWrite, "
                                + "DefaultChannelPromise)."));
        tables.add(b.added()
                .table(
                        "Where the bytes go: node level, " + b.what() + ", payload " + b.payload() + " B",
                        n,
                        "As above, with the receiver's MessageHolder (in its own TreeMap, with its own copy of "
                                + "the request and payload) and its held STATUS frame; the sender's call is past its MSG "
                                + "write."));
        return tables;
    }

    private void start() {
        hb = LocalHeartbeat.immediate();
        // Bound before the configuration is written (port 0: the OS picks) and handed to the nodes: nothing rebinds.
        ServerSocketChannel[] listeners = {null, O2netNode.listen("127.0.0.1", 0), O2netNode.listen("127.0.0.2", 0)};
        int[] ports = {0, O2netNode.port(listeners[1]), O2netNode.port(listeners[2])};
        O2netNode[] nodes = new O2netNode[3];
        for (int i = 1; i <= 2; i++) {
            // The idle timeout is long: while one side's outbound frames are held, its keepalives are held behind them.
            ClusterConfig.Builder cb = ClusterConfig.newBuilder()
                    .name("mem")
                    .reliable(true)
                    .idleTimeoutMs(600_000)
                    .allowShortTimeouts();
            for (int j = 1; j <= 2; j++) {
                cb.addNode(j, "n" + j, "127.0.0." + j, ports[j]);
            }
            nodes[i] = O2netNode.builder(cb.localNode(i).build(), hb.join(i))
                    .serverChannel(listeners[i])
                    .faultInjector(holds)
                    .build();
        }
        receiver = nodes[1];
        sender = nodes[2];
        receiver.registerHandler(MSG_TYPE, KEY, O2netMsg.MAX_PAYLOAD_BYTES, r -> statusOf(r.dataLen()));
        receiver.start();
        sender.start();
        await(
                "node 2 connected to node 1",
                () -> sender.connectedNodes().contains(1)
                        && receiver.connectedNodes().contains(2),
                () -> sender.stats(1).toString());
    }

    private void close() {
        if (sender != null) {
            sender.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (hb != null) {
            hb.close();
        }
    }

    static int statusOf(int dataLen) {
        return 1000 + dataLen;
    }

    /** Phase 1: {@code count} calls whose MSG frames node 2 holds. */
    private Phase sendersInFlight(int count, int payload) {
        byte[] data = new byte[payload];
        List<CompletableFuture<Integer>> calls = new ArrayList<>(count);
        holds.hold(2, 1, count, f -> f.magic() == Magic.MSG);
        heapAfterGc(); // clears weakly reachable JDK caches before the first walk, as the GCs below would after it
        Footprint jol0 = Footprint.of(receiver, sender);
        long heap0 = heapAfterGc();
        long direct0 = directUsed();
        for (int i = 0; i < count; i++) {
            calls.add(sender.sendAsync(MSG_TYPE, KEY, data, 1));
        }
        await(
                count + " MSG frames held on node 2",
                () -> heldOut(sender, 1, Magic.MSG) == count && sender.stats(1).heldCount() == count,
                () -> sender.stats(1).toString());
        long heap1 = heapAfterGc();
        long direct1 = directUsed();
        Footprint jol1 = Footprint.of(receiver, sender);
        expectHeld(NodeControl.inspect(sender, 1), count, "MSG");
        NodeControl.releaseFrames(sender, 1);
        finish(calls, payload);
        return new Phase(
                "sender: call in flight, MSG held", payload, count, heap0, heap1, direct0, direct1, jol1.minus(jol0));
    }

    /** Phase 2: {@code count} calls whose handlers ran, with node 1's STATUS frames held. */
    private Phase statusesHeld(int count, int payload) {
        byte[] data = new byte[payload];
        List<CompletableFuture<Integer>> calls = new ArrayList<>(count);
        holds.hold(1, 2, count, f -> f.magic() == Magic.STATUS);
        long runs0 = receiver.stats(2).handlerRuns();
        heapAfterGc();
        Footprint jol0 = Footprint.of(receiver, sender);
        long heap0 = heapAfterGc();
        long direct0 = directUsed();
        for (int i = 0; i < count; i++) {
            calls.add(sender.sendAsync(MSG_TYPE, KEY, data, 1));
        }
        await(
                count + " STATUS frames held on node 1",
                () -> heldOut(receiver, 2, Magic.STATUS) == count
                        && receiver.stats(2).handlerRuns() - runs0 == count,
                () -> receiver.stats(2).toString());
        long heap1 = heapAfterGc();
        long direct1 = directUsed();
        Footprint jol1 = Footprint.of(receiver, sender);
        PeerInspection r = NodeControl.inspect(receiver, 2);
        long done = r.core().messageHolders().stream()
                .filter(PeerCore.Snapshot.Holder::done)
                .count();
        if (r.core().messageHolders().size() != count || done != count) {
            throw new IllegalStateException("expected " + count + " MHs DONE on node 1, found "
                    + r.core().messageHolders().size() + " (" + done + " DONE)");
        }
        expectHeld(NodeControl.inspect(sender, 1), count, "MSG");
        NodeControl.releaseFrames(receiver, 2);
        finish(calls, payload);
        return new Phase(
                "sender call waiting + receiver MH DONE, STATUS held",
                payload,
                count,
                heap0,
                heap1,
                direct0,
                direct1,
                jol1.minus(jol0));
    }

    private static void expectHeld(PeerInspection s, int count, String phase) {
        long inPhase = s.core().held().values().stream()
                .filter(h -> h.phase().equals(phase))
                .count();
        if (s.core().held().size() != count || inPhase != count) {
            throw new IllegalStateException("expected " + count + " held messages in phase " + phase
                    + " on node 2, found " + s.core().held().size() + " (" + inPhase + " in " + phase + ")");
        }
    }

    /** Waits for every call's status, checks it, then waits until both nodes are quiet and checks that too. */
    private void finish(List<CompletableFuture<Integer>> calls, int payload) {
        long resends = sender.stats(1).resends();
        for (CompletableFuture<Integer> f : calls) {
            int status;
            try {
                status = f.get(TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("a call did not return its status: " + e, e);
            }
            if (status != statusOf(payload)) {
                throw new IllegalStateException("a call returned " + status + ", expected " + statusOf(payload));
            }
        }
        await(
                "both nodes quiet",
                () -> {
                    PeerStats s = sender.stats(1);
                    PeerStats r = receiver.stats(2);
                    return s.heldCount() == 0
                            && r.mhCount() == 0
                            && NodeControl.heldFrames(sender, 1) == 0
                            && NodeControl.heldFrames(receiver, 2) == 0
                            && holds.pendingRules() == 0;
                },
                () -> sender.stats(1) + " / " + receiver.stats(2));
        if (!NodeControl.inspect(receiver, 2).core().messageHolders().isEmpty()
                || !NodeControl.inspect(sender, 1).core().held().isEmpty()) {
            throw new IllegalStateException("MHs or held messages left after the calls returned");
        }
        if (sender.stats(1).resends() != resends || sender.stats(1).disconnects() != 0) {
            throw new IllegalStateException("the connection dropped during the measurement: " + sender.stats(1));
        }
    }

    private static int heldOut(O2netNode node, int peer, Magic magic) {
        int c = 0;
        for (O2netMsg m : NodeControl.inspect(node, peer).heldOutbound()) {
            if (m.magic() == magic) {
                c++;
            }
        }
        return c;
    }

    /** Heap used after full collections: the lowest of several readings, each after {@link System#gc()}. */
    static long heapAfterGc() {
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(40);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            min = Math.min(min, mx.getHeapMemoryUsage().getUsed());
        }
        return min;
    }

    private static long directUsed() {
        PooledByteBufAllocatorMetric m = PooledByteBufAllocator.DEFAULT.metric();
        return m.usedDirectMemory();
    }

    private static void await(String what, BooleanSupplier done, Supplier<String> state) {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what + ": " + state.get());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private static Table table(List<Phase[]> results, int n) {
        Table t = new Table(
                "Node level (v12, loopback TCP): memory retained per call in flight",
                "what",
                "payload B",
                "heap B/call",
                "JOL B/call",
                "overhead B",
                "Netty direct MiB");
        for (Phase[] r : results) {
            Phase a = r[0];
            Phase b = r[1];
            row(t, a);
            row(t, b);
            double heap = b.perCall() - a.perCall();
            double jol = b.jolPerCall() - a.jolPerCall();
            t.row(
                    "receiver share, about: second - first",
                    b.payload(),
                    Table.fixed(heap, 1),
                    Table.fixed(jol, 1),
                    Table.fixed(jol - b.payload(), 1),
                    "");
        }
        t.note("Two O2netNodes in this JVM, node 2 calling node 1 with sendAsync; N = " + Table.count(n) + " calls "
                + "stopped by a FrameHolds fault injector (the sender's MSG frames, or the receiver's STATUS frames). "
                + "heap B/call: MemoryMXBean heap used after repeated System.gc(), during minus before, / N. "
                + "JOL B/call: the same from JOL's walk of the objects reachable from both node objects (exact, no "
                + "GC noise). overhead = JOL B/call - payload. One payload array is shared by all calls, so the "
                + "caller's own array is not counted (the node's Call and the core's request frame reference it, "
                + "without a copy, until the call ends: the caller keeps it unchanged meanwhile, as the kernel's "
                + "o2net sends from the caller's buffer); the receiver's copy, in the frame it read, is.");
        t.note("Both nodes share the heap: the second row is the sender's call waiting for its status plus the "
                + "receiver's MH (it keeps the request frame, payload included) and its held STATUS frame. The "
                + "receiver's share is estimated as the difference of the two rows; it leaves out the held write "
                + "(HeldWrite and its promise, 72 B), which the first row has on the sender and the second on the "
                + "receiver.");
        t.note("Netty direct MiB: the pooled allocator's usedDirectMemory() before -> during. Held frames are O2netMsg "
                + "objects held before the encoder, so they take no direct memory; the pool grows by whole chunks "
                + "and keeps them, so a change there is the pool's growth for the frames written, not memory held per "
                + "call. After every phase all calls returned their handler's status and no MH or held message was "
                + "left (inspect()).");
        return t;
    }

    private static void row(Table t, Phase p) {
        t.row(
                p.what(),
                p.payload(),
                Table.fixed(p.perCall(), 1),
                Table.fixed(p.jolPerCall(), 1),
                Table.fixed(p.jolPerCall() - p.payload(), 1),
                Table.fixed(p.directBefore() / 1048576.0, 1) + " -> " + Table.fixed(p.directDuring() / 1048576.0, 1));
    }
}
