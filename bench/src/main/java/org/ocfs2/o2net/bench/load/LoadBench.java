// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.ocfs2.o2net.bench.Table;
import org.ocfs2.o2net.wire.ProtocolVersion;

/**
 * The end-to-end matrix: every target at every concurrency and payload, in one run, one target at a time (started
 * once, warmed up before each cell). The floor's calls per second at the same concurrency and payload is the
 * denominator of the "× floor" column.
 */
public final class LoadBench {
    /** The concurrencies of the matrix. */
    public static final int[] CONCURRENCY = {1, 8, 64};
    /**
     * The payload sizes of the matrix: a small DLM message, and the largest o2net payload (4072 B: a 4 KB frame less
     * the 24-byte header, {@code O2NET_MAX_PAYLOAD_BYTES}), used for every system alike.
     */
    public static final int[] PAYLOADS = {64, 4072};

    private LoadBench() {}

    /** The o2net targets' keys and the protocol each speaks, in table order. */
    private static final List<Map.Entry<String, ProtocolVersion>> O2NET = List.of(
            Map.entry("off", ProtocolVersion.V11),
            Map.entry("reliable", ProtocolVersion.V12),
            Map.entry("v13", ProtocolVersion.V13));

    /** The targets, floor first, as the table lists them. */
    public static Map<String, Supplier<Target>> targets() {
        Map<String, Supplier<Target>> m = new LinkedHashMap<>();
        m.put("floor", FloorTarget::new);
        for (Map.Entry<String, ProtocolVersion> e : O2NET) {
            m.put(e.getKey(), () -> new O2netTarget(e.getValue()));
        }
        // v13 with the handler on the handler executor, as every handler ran before the receive path: the hand-offs
        m.put(
                "v13-executor",
                () -> new O2netTarget(ProtocolVersion.V13, org.ocfs2.o2net.node.HandlerRegistration.Dispatch.EXECUTOR));
        m.put("grpc", GrpcTarget::new);
        return m;
    }

    /**
     * Runs the matrix and returns the results in table order.
     *
     * @param only the target keys to run (of {@link #targets()}); the floor is always run
     */
    public static List<LoadRun.Result> run(
            List<String> only,
            int[] concurrency,
            int[] payloads,
            Duration warmup,
            Duration measure,
            List<String> leftOvers)
            throws Exception {
        return run(only, concurrency, payloads, Span.of(warmup), Span.of(measure), leftOvers);
    }

    /** {@link #run(List, int[], int[], Duration, Duration, List)} with each phase a {@link Span}. */
    public static List<LoadRun.Result> run(
            List<String> only, int[] concurrency, int[] payloads, Span warmup, Span measure, List<String> leftOvers)
            throws Exception {
        List<LoadRun.Result> results = new ArrayList<>();
        for (Map.Entry<String, Supplier<Target>> e : targets().entrySet()) {
            if (!e.getKey().equals("floor") && !only.contains(e.getKey())) {
                continue;
            }
            try (Target t = e.getValue().get()) {
                t.start();
                for (int payload : payloads) {
                    for (int c : concurrency) {
                        LoadRun.Result r = LoadRun.run(t, c, payload, warmup, measure);
                        System.out.printf(
                                "  %-30s callers %3d  payload %4d B  %,10.0f calls/s  p50 %8.1f us  "
                                        + "p99 %8.1f us  p99.9 %8.1f us  errors %d  per call: CPU %.1f us, alloc %,.0f B, "
                                        + "syscalls %.1f (write %.1f read %.1f epoll_wait %.1f futex %.1f)%n",
                                r.target(),
                                c,
                                payload,
                                r.callsPerSecond(),
                                r.micros(50),
                                r.micros(99),
                                r.micros(99.9),
                                r.errors(),
                                r.cpuMicrosPerCall(),
                                r.allocatedPerCall(),
                                r.syscallsPerCall(),
                                r.syscallsPerCall("write"),
                                r.syscallsPerCall("read"),
                                r.syscallsPerCall("epoll_wait"),
                                r.syscallsPerCall("futex"));
                        results.add(r);
                    }
                }
                Integer left = t.leftOver();
                if (left != null) {
                    leftOvers.add(t.name() + ": " + left);
                }
            }
        }
        return results;
    }

    /** The results as a table; ratios against the floor's row of the same concurrency and payload. */
    public static Table table(List<LoadRun.Result> results) {
        Table t = new Table(
                "End to end: calls over loopback",
                "system",
                "callers",
                "payload B",
                "calls/s",
                "× floor",
                "p50 µs",
                "p99 µs",
                "p99.9 µs",
                "CPU µs/call",
                "syscalls/call",
                "alloc B/call",
                "errors");
        for (LoadRun.Result r : results) {
            String ratio = ratio(r, find(results, "floor", r));
            t.row(
                    r.target(),
                    r.concurrency(),
                    r.payloadBytes(),
                    Table.count(Math.round(r.callsPerSecond())),
                    ratio,
                    Table.fixed(r.micros(50), 1),
                    Table.fixed(r.micros(99), 1),
                    Table.fixed(r.micros(99.9), 1),
                    Table.fixed(r.cpuMicrosPerCall(), 1),
                    Double.isNaN(r.syscallsPerCall()) ? "-" : Table.fixed(r.syscallsPerCall(), 1),
                    Table.count(Math.round(r.allocatedPerCall())),
                    r.errors());
        }
        return t;
    }

    /** Frames per call of one o2net protocol at one concurrency (a counted run, after the timed ones). */
    public record Frames(String target, int concurrency, long calls, long frames) {
        public double perCall() {
            return (double) frames / calls;
        }
    }

    /**
     * Counts the frames both nodes write for {@code calls} calls of 64 B at each concurrency, per o2net protocol
     * ({@code only} as for {@link #run}): MSG, STATUS, MH_REMOVE, MH_REMOVED, ACK and keepalives alike.
     */
    public static List<Frames> frames(List<String> only, int[] concurrency, int calls) throws Exception {
        List<Frames> out = new ArrayList<>();
        for (Map.Entry<String, ProtocolVersion> e : O2NET) {
            if (!only.contains(e.getKey())) {
                continue;
            }
            try (O2netTarget t = O2netTarget.counting(e.getValue())) {
                t.start();
                for (int c : concurrency) {
                    long frames0 = t.framesWritten();
                    long calls0 = t.callsMade();
                    LoadRun.run(
                            t,
                            c,
                            64,
                            Span.calls(calls / 10, Duration.ofMinutes(2)),
                            Span.calls(calls, Duration.ofMinutes(5)));
                    if (t.leftOver() != 0) { // v13: waits for the last ACK
                        throw new IllegalStateException(t.name() + ": left held after counting frames");
                    }
                    out.add(new Frames(t.name(), c, t.callsMade() - calls0, t.framesWritten() - frames0));
                }
            }
        }
        return out;
    }

    /** The frames table. */
    public static Table framesTable(List<Frames> frames) {
        Table t =
                new Table("Frames per call (64 B, counted)", "target", "callers", "calls", "frames", "frames per call");
        for (Frames f : frames) {
            t.row(
                    f.target(),
                    f.concurrency(),
                    Table.count(f.calls()),
                    Table.count(f.frames()),
                    Table.fixed(f.perCall(), 2));
        }
        return t;
    }

    /**
     * What the reliability costs and how it compares, per concurrency and payload: the reliable protocol's calls per
     * second over the floor's, over reliability off's and over gRPC's; and its p50 latency over reliability off's.
     */
    public static Table ratios(List<LoadRun.Result> results) {
        Table t = new Table(
                "Ratios: the reliable protocols against the others (calls/s, and p50 latency)",
                "protocol",
                "callers",
                "payload B",
                "reliable ÷ floor",
                "reliable ÷ off",
                "reliable ÷ gRPC",
                "p50 reliable ÷ off");
        for (LoadRun.Result r : results) {
            if (!r.target().startsWith("o2net reliable") && !r.target().startsWith("o2net one round trip")) {
                continue;
            }
            LoadRun.Result floor = find(results, "floor", r);
            LoadRun.Result off = find(results, "o2net reliability off", r);
            LoadRun.Result grpc = find(results, "gRPC", r);
            t.row(
                    (r.target().startsWith("o2net one") ? "v13" : "v12")
                            + (r.target().contains("executor") ? ", handler on the executor" : ""),
                    r.concurrency(),
                    r.payloadBytes(),
                    ratio(r, floor),
                    ratio(r, off),
                    ratio(r, grpc),
                    off == null ? "-" : Table.fixed(r.micros(50) / off.micros(50), 2));
        }
        return t;
    }

    /**
     * The fast path's goals (issue 12) as ratios against the floor and gRPC measured in the same run, per o2net
     * target and payload: p50 and p99 at 1 caller over the floor's; calls/s at the most callers over the floor's and
     * over gRPC's; p99 there over gRPC's; CPU per call over the floor's (most callers); bytes allocated per call (most
     * callers, both ends).
     */
    public static Table fastPath(List<LoadRun.Result> results) {
        Table t = new Table(
                "Fast path: each o2net target against the floor and gRPC (same run)",
                "target",
                "payload B",
                "p50 at 1 ÷ floor",
                "p99 at 1 ÷ floor",
                "calls/s at max ÷ floor",
                "calls/s at max ÷ gRPC",
                "p99 at max ÷ gRPC",
                "CPU/call at max ÷ floor",
                "alloc B/call at max");
        int max = results.stream().mapToInt(LoadRun.Result::concurrency).max().orElse(1);
        int min = results.stream().mapToInt(LoadRun.Result::concurrency).min().orElse(1);
        for (LoadRun.Result r : results) {
            if (!r.target().startsWith("o2net") || r.concurrency() != max) {
                continue;
            }
            LoadRun.Result one = find(results, r.target(), r, min);
            LoadRun.Result floor1 = find(results, "floor", r, min);
            LoadRun.Result floor = find(results, "floor", r, max);
            LoadRun.Result grpc = find(results, "gRPC", r, max);
            t.row(
                    r.target(),
                    r.payloadBytes(),
                    one == null || floor1 == null ? "-" : Table.fixed(one.micros(50) / floor1.micros(50), 2),
                    one == null || floor1 == null ? "-" : Table.fixed(one.micros(99) / floor1.micros(99), 2),
                    ratio(r, floor),
                    ratio(r, grpc),
                    grpc == null ? "-" : Table.fixed(r.micros(99) / grpc.micros(99), 2),
                    floor == null ? "-" : Table.fixed(r.cpuMicrosPerCall() / floor.cpuMicrosPerCall(), 2),
                    Table.count(Math.round(r.allocatedPerCall())));
        }
        return t;
    }

    private static LoadRun.Result find(List<LoadRun.Result> results, String prefix, LoadRun.Result like, int callers) {
        return results.stream()
                .filter(f -> f.target().startsWith(prefix)
                        && f.concurrency() == callers
                        && f.payloadBytes() == like.payloadBytes())
                .findFirst()
                .orElse(null);
    }

    private static String ratio(LoadRun.Result r, LoadRun.Result base) {
        return base == null ? "-" : Table.fixed(r.callsPerSecond() / base.callsPerSecond(), 2);
    }

    private static LoadRun.Result find(List<LoadRun.Result> results, String prefix, LoadRun.Result like) {
        return find(results, prefix, like, like.concurrency());
    }
}
