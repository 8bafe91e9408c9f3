// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench.recovery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.ocfs2.o2net.bench.Table;
import org.ocfs2.o2net.bench.load.FloorTarget;
import org.ocfs2.o2net.bench.load.O2netTarget;
import org.ocfs2.o2net.bench.load.Target;
import org.ocfs2.o2net.netty.FaultInjector;
import org.ocfs2.o2net.node.NodeControl;
import org.ocfs2.o2net.node.PeerStats;
import org.ocfs2.o2net.wire.Magic;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.ProtocolVersion;

/**
 * Recovery from a connection reset with K calls in flight. Two nodes on loopback (node 2 calls node 1); the fault
 * injector holds the frames of one direction so that exactly K of them sit "in the socket buffers" when node 2
 * resets the connection with a real RST (SO_LINGER 0): they are lost, as on a real reset.
 * <ul>
 *   <li>{@link Loss#REQUESTS}: node 2's K MSG frames are held: no handler ran.</li>
 *   <li>{@link Loss#REPLIES}: node 1's K STATUS frames are held: every handler ran, its status is lost.</li>
 * </ul>
 * Measured from the reset: when node 2 is connected again, and when the last of the K calls returned. With the
 * reliable protocol every call must return its own handler's status and every handler must have run exactly once;
 * with reliability off (v11) the calls fail with EHOSTDOWN at once, which is what the reliable protocol fixes.
 * Node 2 reconnects a reconnect delay after the drop ({@code o2net_start_connect()} spaces attempts by it), so the
 * recovery time is the delay plus the resend; the excess over the delay is the protocol's own cost.
 */
public final class RecoveryBench {
    /** Which frames the reset loses. */
    public enum Loss {
        REQUESTS,
        REPLIES
    }

    /** One recovery. */
    public record Result(
            String protocol,
            Loss loss,
            int k,
            int reconnectDelayMs,
            double reconnectedMs,
            double allReturnedMs,
            int ok,
            int failed,
            String firstFailure,
            long handlerRuns,
            long resends,
            long duplicates,
            int leftOver) {}

    private RecoveryBench() {}

    /**
     * One cell of the table: {@code runs} recoveries of one protocol, loss, K and delay, each on a fresh pair of nodes;
     * the run whose time to the last return is the median, and the fastest and slowest of them. One recovery is a
     * single sample of a noisy quantity (scheduling, GC, the RST's timing): a cell is judged by its median.
     *
     * @param median the median run (all its columns from that one run)
     * @param minReturnedMs the fastest run's time from the reset to the last return
     * @param maxReturnedMs the slowest run's
     * @param runs how many runs
     * @param leftOver the most any run left held afterwards
     */
    public record Cell(Result median, double minReturnedMs, double maxReturnedMs, int runs, int leftOver) {}

    /** Every protocol, loss, K and reconnect delay of the table, each cell {@code runs} times. */
    public static List<Cell> runAll(int[] ks, int[] delaysMs, int runs) throws Exception {
        List<Cell> cells = new ArrayList<>();
        // JIT warm-up, not recorded: otherwise the first protocol measured runs on colder code than the others
        for (ProtocolVersion version :
                new ProtocolVersion[] {ProtocolVersion.V13, ProtocolVersion.V12, ProtocolVersion.V11}) {
            for (Loss loss : Loss.values()) {
                run(version, loss, ks[ks.length - 1], delaysMs[delaysMs.length - 1]);
            }
        }
        ProtocolVersion[] versions = {ProtocolVersion.V13, ProtocolVersion.V12, ProtocolVersion.V11};
        for (int delay : delaysMs) {
            for (Loss loss : Loss.values()) {
                for (int k : ks) {
                    // the protocols' runs of one cell interleaved (v13, v12, v11, v13, ...): a slow spell of the
                    // machine falls on all of them, not on one protocol's cell
                    List<List<Result>> byVersion = new ArrayList<>();
                    for (ProtocolVersion v : versions) {
                        byVersion.add(new ArrayList<>());
                    }
                    for (int i = 0; i < runs; i++) {
                        for (int j = 0; j < versions.length; j++) {
                            if (versions[j].reliable() || delay == delaysMs[0]) {
                                byVersion.get(j).add(run(versions[j], loss, k, delay));
                            }
                        }
                    }
                    for (List<Result> rs : byVersion) {
                        if (rs.isEmpty()) {
                            continue;
                        }
                        Cell c = cell(rs);
                        Result r = c.median();
                        System.out.printf(
                                "  %-9s %-8s K=%4d delay %4d ms: reconnected %8.1f ms, all returned %8.1f ms"
                                        + " (%d runs: %.1f-%.1f), ok %d, failed %d, handler runs %d, duplicates %d%n",
                                r.protocol(),
                                r.loss(),
                                r.k(),
                                delay,
                                r.reconnectedMs(),
                                r.allReturnedMs(),
                                c.runs(),
                                c.minReturnedMs(),
                                c.maxReturnedMs(),
                                r.ok(),
                                r.failed(),
                                r.handlerRuns(),
                                r.duplicates());
                        cells.add(c);
                    }
                }
            }
        }
        cells.sort(
                java.util.Comparator.comparingInt((Cell c) -> order(c.median().protocol()))
                        .thenComparing(c -> -c.median().reconnectDelayMs())
                        .thenComparing(c -> c.median().loss())
                        .thenComparingInt(c -> c.median().k()));
        return cells;
    }

    private static int order(String protocol) {
        return protocol.startsWith("ack") ? 0 : protocol.startsWith("RFC") ? 1 : 2;
    }

    /** The median run of {@code rs} (the lower median for an even count) and the spread. */
    static Cell cell(List<Result> rs) {
        List<Result> sorted = new ArrayList<>(rs);
        sorted.sort(java.util.Comparator.comparingDouble(Result::allReturnedMs));
        int left = 0;
        for (Result r : rs) {
            left = Math.max(left, r.leftOver());
        }
        return new Cell(
                sorted.get((sorted.size() - 1) / 2),
                sorted.get(0).allReturnedMs(),
                sorted.get(sorted.size() - 1).allReturnedMs(),
                rs.size(),
                left);
    }

    /** One recovery on a fresh pair of nodes. */
    public static Result run(ProtocolVersion version, Loss loss, int k, int reconnectDelayMs) throws Exception {
        boolean reliable = version.reliable();
        Hold hold = new Hold();
        try (O2netTarget t = new O2netTarget(version, reconnectDelayMs, hold)) {
            t.start();
            Target.Caller warm = t.caller();
            for (int i = 0; i < 10; i++) {
                byte[] p = payload(0x7f000000 + i);
                if (warm.call(p) != Target.statusOf(p)) {
                    throw new IllegalStateException("warm-up call got a wrong status");
                }
            }
            long runs0 = t.server().stats(2).handlerRuns();
            PeerStats c0 = t.client().stats(1);
            hold.node = loss == Loss.REQUESTS ? 2 : 1;
            Magic magic = loss == Loss.REQUESTS ? Magic.MSG : Magic.STATUS;
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            List<byte[]> payloads = new ArrayList<>();
            AtomicLong last = new AtomicLong();
            for (int i = 0; i < k; i++) {
                byte[] p = payload(i);
                payloads.add(p);
                CompletableFuture<Integer> f = t.client().sendAsync(O2netTarget.MSG, O2netTarget.KEY, p, 1);
                f.whenComplete((s, e) -> last.accumulateAndGet(System.nanoTime(), Math::max));
                calls.add(f);
            }
            // every frame of the K calls in one direction, and only those, held on the connection
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (count(
                            loss == Loss.REQUESTS
                                    ? NodeControl.inspect(t.client(), 1).heldOutbound()
                                    : NodeControl.inspect(t.server(), 2).heldOutbound(),
                            magic)
                    < k) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the " + k + " " + magic + " frames were not all held in 30 s: "
                            + t.client().stats(1) + " / " + t.server().stats(2));
                }
                Thread.sleep(1);
            }
            hold.node = 0; // the next connection passes everything
            long t0 = System.nanoTime();
            if (!NodeControl.resetConnection(t.client(), 1)) {
                throw new IllegalStateException("no connection to reset");
            }
            long reconnected = -1;
            deadline = t0 + TimeUnit.MILLISECONDS.toNanos(reconnectDelayMs) + TimeUnit.SECONDS.toNanos(60);
            for (; ; ) {
                boolean done = calls.stream().allMatch(CompletableFuture::isDone);
                if (reconnected < 0 && t.client().connectedNodes().contains(1)) {
                    reconnected = System.nanoTime();
                }
                if (done && (reconnected >= 0 || !reliable)) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("after the reset, "
                            + calls.stream().filter(f -> !f.isDone()).count() + " of " + k
                            + " calls did not return within the reconnect delay + 60 s; "
                            + "calls in progress: " + t.client().sendTracking());
                }
                Thread.sleep(0, 200_000);
            }
            int ok = 0;
            int failed = 0;
            String firstFailure = null;
            for (int i = 0; i < k; i++) {
                try {
                    int s = calls.get(i).join();
                    if (s != Target.statusOf(payloads.get(i))) {
                        throw new IllegalStateException(
                                "call " + i + " got status " + s + ", expected " + Target.statusOf(payloads.get(i)));
                    }
                    ok++;
                } catch (CompletionException e) {
                    failed++;
                    if (firstFailure == null) {
                        firstFailure = String.valueOf(e.getCause().getMessage());
                    }
                }
            }
            // quiesce: the MH_REMOVED of the last call may still be on its way to no one; wait for empty trees
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (t.leftOver() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            PeerStats c1 = t.client().stats(1);
            long runs = t.server().stats(2).handlerRuns() - runs0;
            if (reliable && (ok != k || runs != k)) {
                throw new IllegalStateException("reliable: " + ok + " of " + k + " calls returned their status and "
                        + runs + " handlers ran; expected " + k + " and " + k);
            }
            return new Result(
                    switch (version) {
                        case V11 -> "off (v11)";
                        case V12 -> "RFC (v12)";
                        case V13 -> "ack (v13)";
                    },
                    loss,
                    k,
                    reconnectDelayMs,
                    reconnected < 0 ? Double.NaN : (reconnected - t0) / 1e6,
                    (last.get() - t0) / 1e6,
                    ok,
                    failed,
                    firstFailure,
                    runs,
                    c1.resends() - c0.resends(),
                    t.server().stats(2).duplicates(),
                    t.leftOver());
        }
    }

    private static byte[] payload(int id) {
        byte[] p = new byte[64];
        FloorTarget.putInt(p, 0, id);
        return p;
    }

    private static int count(List<O2netMsg> frames, Magic magic) {
        int n = 0;
        for (var f : frames) {
            if (f.magic() == magic) {
                n++;
            }
        }
        return n;
    }

    /** The recoveries as a table: per cell its median run, and the spread of the time to the last return. */
    public static Table table(List<Cell> cells) {
        Table t = new Table(
                "Recovery: K calls in flight, connection reset (RST)",
                "protocol",
                "frames lost",
                "K",
                "reconnect delay ms",
                "runs",
                "reconnected ms",
                "all returned ms",
                "returned − delay ms",
                "min–max returned − delay",
                "ok",
                "failed (EHOSTDOWN)",
                "handler runs",
                "resent",
                "duplicates answered",
                "MH/held after");
        for (Cell c : cells) {
            Result r = c.median();
            boolean reconnects = !Double.isNaN(r.reconnectedMs());
            t.row(
                    r.protocol(),
                    r.loss() == Loss.REQUESTS ? "K requests" : "K status replies",
                    r.k(),
                    r.reconnectDelayMs(),
                    c.runs(),
                    reconnects ? Table.fixed(r.reconnectedMs(), 1) : "-",
                    Table.fixed(r.allReturnedMs(), 1),
                    reconnects ? Table.fixed(r.allReturnedMs() - r.reconnectDelayMs(), 1) : "-",
                    reconnects
                            ? Table.fixed(c.minReturnedMs() - r.reconnectDelayMs(), 1) + "–"
                                    + Table.fixed(c.maxReturnedMs() - r.reconnectDelayMs(), 1)
                            : "-",
                    r.ok(),
                    r.failed(),
                    r.handlerRuns(),
                    r.resends(),
                    r.duplicates(),
                    c.leftOver());
        }
        return t;
    }

    /** Holds every outbound frame of one node (0: none), on every connection while set. */
    private static final class Hold implements FaultInjector {
        volatile int node;

        @Override
        public Verdict inspect(int node, int peer, Direction direction, O2netMsg frame) {
            return node == this.node && direction == Direction.OUTBOUND ? Verdict.HOLD : Verdict.PASS;
        }
    }
}
