// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.ocfs2.o2net.wire.ProtocolVersion;

/**
 * The core tier's round trip for protocol v13: {@code AckO2net}'s traces (the same as {@link AckConformanceTest}'s)
 * replayed on two v13 cores ({@link CoreDriver}, v13, the model's window) with a {@link LogRecorder} taking their
 * events; every recorded log, projected on S calling R, must be accepted by TLC against {@code TraceAckO2net}. Every
 * simulation trace and every {@value #COVER_STRIDE}th edge-cover trace, each set in one TLC run.
 */
@DisabledIfSystemProperty(named = "conformance.trace", matches = ".+")
class TraceAckRoundTripTest {
    static final int COVER_STRIDE = 5;

    private record Batch(List<LogProjection.Projected> logs, SortedMap<String, Integer> kinds, double replaySeconds) {
        static Batch of(Path file, int stride, int window) throws IOException {
            LogProjection.Spec spec = LogProjection.Spec.v13(window);
            List<LogProjection.Projected> logs = new ArrayList<>();
            SortedMap<String, Integer> kinds = new TreeMap<>();
            long start = System.nanoTime();
            try (BufferedReader in = Files.newBufferedReader(file)) {
                int index = 0;
                for (String line = in.readLine(); line != null; line = in.readLine(), index++) {
                    if (index % stride != 0) {
                        continue;
                    }
                    Trace t = Trace.parse(line, file, index);
                    LogProjection.Projected p =
                            LogReplay.project(t.name(), LogReplay.record(t, ProtocolVersion.V13, window), spec);
                    assertTrue(p.size() > 0, () -> t.name() + " recorded no event");
                    logs.add(p);
                    p.kinds().forEach((k, v) -> kinds.merge(k, v, Integer::sum));
                }
            }
            return new Batch(logs, kinds, (System.nanoTime() - start) / 1e9);
        }
    }

    private static void check(Batch b, String name) throws InterruptedException {
        TraceCheck.Result r =
                TraceCheck.check(b.logs(), Generated.TLA, TraceNegativeTest.WORK, name, Duration.ofMinutes(5));
        assertTrue(r.allAccepted(), r::explain);
        System.out.printf(
                "%ntrace validation, v13 core tier round trip (%s): %d logs, %d events recorded and projected in"
                        + " %.1f s, all accepted by TLC in %.1f s (%d distinct states)%n  events %s%n",
                name,
                b.logs().size(),
                r.events(),
                b.replaySeconds(),
                r.tlc().time().toMillis() / 1e3,
                r.tlc().distinctStates(),
                b.kinds());
    }

    @Test
    void simulationTracesRoundTrip() throws InterruptedException, IOException {
        Batch b = Batch.of(Generated.ack().sim(), 1, Generated.ACK_SIM_WINDOW);
        assertEquals(Generated.SIM_TRACES, b.logs().size());
        check(b, "ack-roundtrip-sim");
    }

    @Test
    void edgeCoverTracesRoundTrip() throws InterruptedException, IOException {
        Batch b = Batch.of(Generated.ack().cover(), COVER_STRIDE, Generated.ACK_COVER_WINDOW);
        assertTrue(
                b.kinds()
                        .keySet()
                        .containsAll(List.of(
                                "Send",
                                "RecvMsg",
                                "RecvDup",
                                "RunHandler",
                                "RunOrphan",
                                "RecvStatus",
                                "RecvStaleStatus",
                                "SendAck",
                                "RecvAck",
                                "Connect",
                                "Reset",
                                "Restart",
                                "HbNodeDown",
                                "HbNodeUp")),
                () -> "every event kind: " + b.kinds());
        check(b, "ack-roundtrip-cover");
    }
}
