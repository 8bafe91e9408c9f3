// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * Real runs, checked by TLC: a 3-node cluster ({@link TraceCluster}) under a seeded random workload with TCP resets,
 * restarts and node deaths records an event log ({@code target/logs/run-<seed>.jsonl}); the log is read back from
 * the file, projected on each of the 6 ordered pairs of nodes, and every projection is checked against the spec in a
 * TLC run of its own ({@link TraceCheck}, two at a time, while the next run goes on). Every third run has heartbeat
 * news 20 ms late, so that a node's connection to a restarted peer can come before heartbeat reports the restart.
 * <p>
 * {@code -Dtrace.runs=N} (default 3), {@code -Dtrace.faults=N} (default 12) and {@code -Dtrace.seed=N} (the first
 * seed, default 1) make the runs more, longer or others.
 */
@DisabledIfSystemProperty(named = "conformance.trace", matches = ".+")
class TraceRunsTest {
    static final int RUNS = Integer.getInteger("trace.runs", 3);
    static final int FAULTS = Integer.getInteger("trace.faults", 12);
    static final int FIRST_SEED = Integer.getInteger("trace.seed", 1);
    /** The events every set of runs must have produced (the rarer ones are reported, not required). */
    static final List<String> REQUIRED = List.of(
            "Send",
            "RecvMsg",
            "RunHandler",
            "RecvStatus",
            "RecvRemove",
            "RecvRemoved",
            "Connect",
            "Reset",
            "Restart",
            "HbNodeDown",
            "HbNodeUp");

    record Checked(TraceCluster.Result run, Path file, List<Future<TraceCheck.Result>> checks) {}

    @Test
    void realRunsValidate() throws InterruptedException, IOException, ExecutionException {
        ExecutorService tlc = Executors.newFixedThreadPool(2);
        List<Checked> runs = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int seed = FIRST_SEED; seed < FIRST_SEED + RUNS; seed++) {
                TraceCluster.Settings settings = TraceCluster.Settings.of(seed, FAULTS);
                if (seed % 3 == 0) {
                    settings = settings.withHeartbeatDelay(Duration.ofMillis(20));
                }
                TraceCluster.Result run = TraceCluster.run(settings);
                assertEquals(List.of(), run.problems(), "the workload saw the implementation fail");
                Path file = TraceNegativeTest.WORK.resolve("run-" + seed + ".jsonl");
                new LogFile(run.info(), run.events()).write(file);
                LogFile log = LogFile.read(file);
                assertEquals(run.events(), log.events());
                List<Future<TraceCheck.Result>> checks = new ArrayList<>();
                for (LogProjection.Projected p : LogProjection.pairs("run-" + seed, log.events())) {
                    String name = "run-" + seed + "-" + p.s() + "-" + p.r();
                    checks.add(tlc.submit(() -> TraceCheck.check(
                            List.of(p), Generated.TLA, TraceNegativeTest.WORK, name, Duration.ofMinutes(5))));
                }
                runs.add(new Checked(run, file, checks));
            }
            report(runs, start, REQUIRED);
        } finally {
            tlc.shutdownNow();
        }
    }

    static void report(List<Checked> runs, long start, List<String> required)
            throws InterruptedException, ExecutionException {
        List<String> rejected = new ArrayList<>();
        SortedMap<String, Integer> kinds = new TreeMap<>();
        int logs = 0;
        long events = 0;
        long tlcMillis = 0;
        long maxMillis = 0;
        StringBuilder lines = new StringBuilder();
        for (Checked c : runs) {
            TraceCluster.Result run = c.run();
            lines.append(String.format(
                    "  seed %d%s: %d faults %s, %d calls (%d returned, failed %s), %d events in" + " %.1f s -> %s%n",
                    run.settings().seed(),
                    run.settings().heartbeatDelay().isZero()
                            ? ""
                            : " (heartbeat " + run.settings().heartbeatDelay().toMillis() + " ms late)",
                    run.faults().values().stream().mapToInt(Integer::intValue).sum(),
                    run.faults(),
                    run.calls(),
                    run.ok(),
                    run.failed(),
                    run.events().size(),
                    run.time().toMillis() / 1e3,
                    c.file()));
            for (Future<TraceCheck.Result> f : c.checks()) {
                TraceCheck.Result r = f.get();
                LogProjection.Projected p = r.logs().get(0);
                logs++;
                events += p.size();
                tlcMillis += r.tlc().time().toMillis();
                maxMillis = Math.max(maxMillis, r.tlc().time().toMillis());
                p.kinds().forEach((k, v) -> kinds.merge(k, v, Integer::sum));
                lines.append(String.format(
                        "    %-12s %5d events  %s in %.1f s (%d states)%n",
                        p.s() + "->" + p.r(),
                        p.size(),
                        r.allAccepted() ? "accepted" : "REJECTED",
                        r.tlc().time().toMillis() / 1e3,
                        r.tlc().distinctStates() == null ? 0 : r.tlc().distinctStates()));
                if (!r.allAccepted()) {
                    rejected.add(r.explain());
                }
            }
        }
        System.out.printf(
                "%ntrace validation, real runs: %d runs, %d logs (projections), %d events, TLC %.1f s in"
                        + " all (longest %.1f s), %.1f s wall%n%s  events %s%n",
                runs.size(),
                logs,
                events,
                tlcMillis / 1e3,
                maxMillis / 1e3,
                (System.nanoTime() - start) / 1e9,
                lines,
                kinds);
        assertTrue(
                rejected.isEmpty(), () -> rejected.size() + " projections rejected:\n" + String.join("\n", rejected));
        assertTrue(
                kinds.keySet().containsAll(required),
                () -> "events the runs should have produced: " + required + ", produced: " + kinds);
    }
}
