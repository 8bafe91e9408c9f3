// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.ocfs2.o2net.bench.recovery.RecoveryBench;
import org.ocfs2.o2net.wire.ProtocolVersion;

/**
 * The harness's own correctness, on every target, briefly: calls are made, every status checked, nothing left held.
 * No figure is asserted: performance is what bin/o2net-bench reports, never a test's verdict. The phases are counted
 * in calls ({@link Span#calls}), never timed: a loaded machine makes them slowly, and the limit only turns a hang
 * into a failure.
 */
class LoadSmokeTest {
    /** Calls each warm-up and each measurement waits for. */
    static final int WARMUP_CALLS = 20;

    static final int CALLS = 100;
    /** How long a phase may take before the test fails: far more than any machine needs for its calls. */
    static final Duration LIMIT = Duration.ofMinutes(1);

    @Test
    void everyTargetAnswersEveryCallWithItsOwnStatus() throws Exception {
        for (Map.Entry<String, Supplier<Target>> e : LoadBench.targets().entrySet()) {
            try (Target t = e.getValue().get()) {
                t.start();
                for (int payload : LoadBench.PAYLOADS) {
                    LoadRun.Result r =
                            LoadRun.run(t, 4, payload, Span.calls(WARMUP_CALLS, LIMIT), Span.calls(CALLS, LIMIT));
                    assertEquals(0, r.errors(), e.getKey() + ": " + r.firstError());
                    assertTrue(
                            r.calls() >= CALLS,
                            e.getKey() + " made " + r.calls() + " of " + CALLS + " calls in " + LIMIT);
                    assertEquals(r.calls(), r.latency().getTotalCount(), "one latency per call");
                }
                Integer left = t.leftOver();
                assertTrue(left == null || left == 0, e.getKey() + " left " + left + " held");
            }
        }
    }

    @Test
    void aWrongStatusIsCountedAndStopsTheCaller() throws Exception {
        Target liar = inProcess("liar", payload -> Target.statusOf(payload) + 1);
        // Counted phases end only once every caller has stopped on its error: each made its one call.
        LoadRun.Result r = LoadRun.run(liar, 3, 64, Span.calls(1, LIMIT), Span.calls(1, LIMIT));
        assertEquals(3, r.errors());
        assertEquals(0, r.calls());
        assertTrue(r.firstError().contains("got status"), r.firstError());
    }

    /** A target with nothing to start or close whose every caller is {@code caller} (which keeps no state). */
    private static Target inProcess(String name, Target.Caller caller) {
        return new Target() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void start() {}

            @Override
            public Caller caller() {
                return caller;
            }

            @Override
            public void close() {}
        };
    }

    /** Keeps the test's allocations from being optimised away. */
    static volatile Object sink;

    /**
     * The bytes allocated are counted on both sides of a call: the caller's own (whose thread has ended when the run
     * adds up) and the server thread's. A caller that allocates a 1,000-byte array per call and a server thread that
     * allocates a 2,000-byte one must show at least 3,000 bytes per call, and not the warm-up's on top.
     */
    @Test
    void bytesAllocatedCountTheCallersAndTheServersThreads() throws Exception {
        java.util.concurrent.ExecutorService server = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            Target allocating = inProcess("allocating", payload -> {
                sink = new byte[1000 - 16];
                int head = FloorTarget.getInt(payload, 0);
                return server.submit(() -> {
                            sink = new byte[2000 - 16];
                            return Target.statusOf(head, payload.length);
                        })
                        .get();
            });
            LoadRun.Result r = LoadRun.run(allocating, 2, 64, Span.calls(2_000, LIMIT), Span.calls(2_000, LIMIT));
            assertEquals(0, r.errors(), r.firstError());
            assertTrue(r.calls() >= 2_000, "calls: " + r.calls());
            // an array header is 16 bytes on a 64-bit JVM with compressed class pointers (12 and 4 of padding or
            // length); the executor's task objects add some tens of bytes per call, the warm-up's 6 MB would add 3 KB
            assertTrue(
                    r.allocatedPerCall() >= 3_000 && r.allocatedPerCall() < 4_000,
                    "bytes allocated per call: " + r.allocatedPerCall());
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void ratiosCompareTheReliableProtocolWithTheOthers() throws Exception {
        List<String> left = new ArrayList<>();
        List<LoadRun.Result> results = LoadBench.run(
                List.of("off", "reliable", "v13"),
                new int[] {2},
                new int[] {64},
                Span.calls(WARMUP_CALLS, LIMIT),
                Span.calls(CALLS, LIMIT),
                left);
        assertEquals(4, results.size());
        for (LoadRun.Result r : results) {
            assertTrue(r.calls() >= CALLS, r.target() + " made " + r.calls() + " of " + CALLS + " calls");
        }
        assertEquals(
                List.of("o2net reliability off (v11): 0", "o2net reliable (v12): 0", "o2net one round trip (v13): 0"),
                left);
        var ratios = LoadBench.ratios(results).rows();
        assertEquals(2, ratios.size());
        assertEquals(
                List.of("v12", "v13"),
                List.of(ratios.get(0).get(0), ratios.get(1).get(0)));
        assertEquals("-", ratios.get(0).get(5), "no gRPC run, no ratio");
        assertTrue(LoadBench.table(results).markdown().contains("| floor (blocking sockets)"));
    }

    @Test
    void framesAreCountedPerProtocol() throws Exception {
        List<LoadBench.Frames> f = LoadBench.frames(List.of("off", "reliable", "v13"), new int[] {2}, 200);
        assertEquals(3, f.size());
        assertTrue(f.get(0).perCall() >= 2, "v11: MSG and STATUS: " + f.get(0));
        assertTrue(f.get(1).perCall() >= 4, "v12: MSG, STATUS, MH_REMOVE, MH_REMOVED: " + f.get(1));
        assertTrue(f.get(2).perCall() >= 2 && f.get(2).perCall() < 4, "v13: one round trip: " + f.get(2));
        assertTrue(LoadBench.framesTable(f).markdown().contains("o2net one round trip (v13)"));
    }

    @Test
    void recoveryReturnsEveryCallOnceWithReliabilityAndFailsThemWithout() throws Exception {
        for (RecoveryBench.Loss loss : RecoveryBench.Loss.values()) {
            for (ProtocolVersion v : new ProtocolVersion[] {ProtocolVersion.V12, ProtocolVersion.V13}) {
                RecoveryBench.Result on = RecoveryBench.run(v, loss, 20, 100);
                assertEquals(20, on.ok(), v + " " + loss + ": " + on);
                assertEquals(20, on.handlerRuns(), v + " " + loss + ": " + on);
                assertEquals(20, on.resends(), v + " " + loss + ": " + on);
                assertEquals(loss == RecoveryBench.Loss.REPLIES ? 20 : 0, on.duplicates(), v + " " + loss + ": " + on);
                assertEquals(0, on.leftOver(), v + " " + loss + ": " + on);
            }
            RecoveryBench.Result off = RecoveryBench.run(ProtocolVersion.V11, loss, 20, 100);
            assertEquals(20, off.failed(), loss + ": " + off);
            assertTrue(
                    off.firstFailure().contains("EHOSTDOWN")
                            || off.firstFailure().contains("-112"),
                    off.firstFailure());
            assertEquals(loss == RecoveryBench.Loss.REPLIES ? 20 : 0, off.handlerRuns(), loss + ": " + off);
        }
    }

    @Test
    void perfOutputIsParsed() {
        String csv = "12345,,raw_syscalls:sys_enter,2000000,100.00,,\n<not supported>,,syscalls:sys_enter_futex,0,"
                + "100.00,,\n";
        assertEquals(12345, SyscallCounter.parse(csv, "raw_syscalls:sys_enter"));
        assertEquals(-1, SyscallCounter.parse(csv, "syscalls:sys_enter_futex"));
        assertEquals(-1, SyscallCounter.parse(csv, "syscalls:sys_enter_read"));
    }
}
