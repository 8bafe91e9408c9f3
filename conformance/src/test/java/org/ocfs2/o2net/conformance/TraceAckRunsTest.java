// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * Real runs of protocol v13, checked by TLC against {@code TraceAckO2net}: as {@link TraceRunsTest}, a 3-node
 * cluster ({@link TraceCluster}, {@link TraceCluster.Settings#withV13}, window {@value #WINDOW}) under a seeded
 * random workload with TCP resets, restarts and node deaths records an event log
 * ({@code target/logs/ack-run-<seed>.jsonl}, header {@code "protocol":"13"}); the log is read back, projected on each
 * of the 6 ordered pairs ({@link LogProjection.Spec#of}: the header chooses the trace spec) and every projection is
 * checked in a TLC run of its own, two at a time. The second run has heartbeat news 20 ms late.
 * <p>
 * {@code -Dtrace.ack.runs=N} (default 2), {@code -Dtrace.faults=N} (default 12) and {@code -Dtrace.seed=N} make the
 * runs more, longer or others.
 */
@DisabledIfSystemProperty(named = "conformance.trace", matches = ".+")
class TraceAckRunsTest {
    static final int RUNS = Integer.getInteger("trace.ack.runs", 2);
    /** A small window, so that callers wait for it. */
    static final int WINDOW = 4;
    /** The events every set of v13 runs must have produced. */
    static final List<String> REQUIRED = List.of(
            "Send",
            "RecvMsg",
            "RunHandler",
            "RecvStatus",
            "SendAck",
            "RecvAck",
            "AckOnStatus",
            "Connect",
            "Reset",
            "Restart",
            "HbNodeDown",
            "HbNodeUp");

    @Test
    void realV13RunsValidate() throws InterruptedException, IOException, ExecutionException {
        ExecutorService tlc = Executors.newFixedThreadPool(2);
        List<TraceRunsTest.Checked> runs = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int seed = TraceRunsTest.FIRST_SEED; seed < TraceRunsTest.FIRST_SEED + RUNS; seed++) {
                TraceCluster.Settings settings =
                        TraceCluster.Settings.of(seed, TraceRunsTest.FAULTS).withV13(WINDOW);
                if (seed % 2 == 0) {
                    settings = settings.withHeartbeatDelay(Duration.ofMillis(20));
                }
                TraceCluster.Result run = TraceCluster.run(settings);
                assertEquals(List.of(), run.problems(), "the workload saw the implementation fail");
                Path file = TraceNegativeTest.WORK.resolve("ack-run-" + seed + ".jsonl");
                new LogFile(run.info(), run.events()).write(file);
                LogFile log = LogFile.read(file);
                assertEquals(run.events(), log.events());
                LogProjection.Spec spec = LogProjection.Spec.of(log.info());
                assertEquals(LogProjection.Spec.v13(WINDOW), spec);
                List<Future<TraceCheck.Result>> checks = new ArrayList<>();
                for (LogProjection.Projected p : LogProjection.pairs("ack-run-" + seed, log.events(), spec)) {
                    String name = "ack-run-" + seed + "-" + p.s() + "-" + p.r();
                    checks.add(tlc.submit(() -> TraceCheck.check(
                            List.of(p), Generated.TLA, TraceNegativeTest.WORK, name, Duration.ofMinutes(5))));
                }
                runs.add(new TraceRunsTest.Checked(run, file, checks));
            }
            TraceRunsTest.report(runs, start, REQUIRED);
        } finally {
            tlc.shutdownNow();
        }
    }
}
