// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.ocfs2.o2net.wire.ProtocolVersion;

/**
 * The v13 trace spec can reject: a log recorded from a behaviour of {@code AckO2net} (the first simulation trace whose
 * replay on v13 cores has a MSG carrying a non-zero ack, an ACK frame sent and received) is accepted by
 * {@code TraceAckO2net}, and copies of it with one change each are rejected: the ack a MSG carried altered, the ack of
 * an ACK frame altered where it was sent or where it was received, a {@code RecvAck} left out, a {@code SendAck} left
 * out. All in one TLC run (a batch), each copy named after its change.
 */
@DisabledIfSystemProperty(named = "conformance.trace", matches = ".+")
class TraceAckNegativeTest {
    private static int first(List<LogEvent> log, String ev, boolean ackNonZero) {
        for (int k = 0; k < log.size(); k++) {
            if (log.get(k).ev().equals(ev) && (!ackNonZero || log.get(k).ack() != 0)) {
                return k;
            }
        }
        return -1;
    }

    private static List<LogEvent> changed(List<LogEvent> log, int k, UnaryOperator<LogEvent> change) {
        List<LogEvent> copy = new ArrayList<>(log);
        LogEvent e = change.apply(copy.get(k));
        if (e == null) {
            copy.remove(k);
        } else {
            copy.set(k, e);
        }
        return copy;
    }

    @Test
    void changedV13LogsAreRejected() throws IOException, InterruptedException {
        int window = Generated.ACK_SIM_WINDOW;
        LogProjection.Spec spec = LogProjection.Spec.v13(window);
        List<LogEvent> log = null;
        String name = null;
        try (BufferedReader in = Files.newBufferedReader(Generated.ack().sim())) {
            int index = 0;
            for (String line = in.readLine(); line != null && log == null; line = in.readLine(), index++) {
                Trace t = Trace.parse(line, Generated.ack().sim(), index);
                List<LogEvent> l = LogReplay.record(t, ProtocolVersion.V13, window);
                if (first(l, "RecvMsg", true) >= 0 && first(l, "RecvAck", true) >= 0) {
                    log = l;
                    name = t.name();
                }
            }
        }
        assertTrue(log != null, "no simulation trace with a MSG carrying an ack and an ACK frame");
        Map<String, List<LogEvent>> cases = new LinkedHashMap<>();
        cases.put("as recorded", log);
        int msg = first(log, "RecvMsg", true);
        int recvAck = first(log, "RecvAck", true);
        int sendAck = first(log, "SendAck", true);
        cases.put("RecvMsg ack + 1", changed(log, msg, e -> e.withAck(e.ack() + 1)));
        cases.put("RecvMsg ack - 1", changed(log, msg, e -> e.withAck(e.ack() - 1)));
        cases.put("RecvAck ack + 1", changed(log, recvAck, e -> e.withAck(e.ack() + 1)));
        cases.put("SendAck ack - 1", changed(log, sendAck, e -> e.withAck(e.ack() - 1)));
        cases.put("RecvAck left out", changed(log, recvAck, e -> null));
        cases.put("SendAck left out", changed(log, sendAck, e -> null));
        List<LogProjection.Projected> logs = new ArrayList<>();
        for (Map.Entry<String, List<LogEvent>> c : cases.entrySet()) {
            logs.add(LogReplay.project(name + ": " + c.getKey(), c.getValue(), spec));
        }
        TraceCheck.Result r =
                TraceCheck.check(logs, Generated.TLA, TraceNegativeTest.WORK, "ack-negative", Duration.ofMinutes(5));
        assertEquals(null, r.problem(), r::explain);
        assertTrue(r.accepted()[0], () -> "the log as recorded: " + r.explain());
        StringBuilder report = new StringBuilder();
        List<String> names = new ArrayList<>(cases.keySet());
        for (int i = 1; i < logs.size(); i++) {
            int j = i;
            assertFalse(
                    r.accepted()[i],
                    () -> names.get(j) + " accepted: " + logs.get(j).records());
            report.append(String.format(
                    "  %-18s rejected at event %d of %d: %s%n",
                    names.get(i),
                    r.matched()[i] + 1,
                    logs.get(i).size(),
                    r.matched()[i] < logs.get(i).size() ? logs.get(i).records().get(r.matched()[i]) : "(end)"));
        }
        System.out.printf(
                "%ntrace validation, v13 negative (%s, %d events): accepted as recorded; %d changed copies"
                        + " rejected (TLC %.1f s)%n%s",
                name, logs.get(0).size(), logs.size() - 1, r.tlc().time().toMillis() / 1e3, report);
    }
}
