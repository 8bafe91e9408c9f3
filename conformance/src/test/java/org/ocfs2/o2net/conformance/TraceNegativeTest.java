// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The verdict can fail: a log changed by hand is rejected by TLC, and an empty or truncated log never reaches it. The
 * logs are {@link LogScript#typical()} (accepted, or the test proves nothing) and copies of it with one change each,
 * checked in one TLC run (one initial state per log).
 */
class TraceNegativeTest {
    static final Path WORK =
            Path.of(System.getProperty("conformance.out", "target/traces")).resolveSibling("logs");

    private record Change(String what, UnaryOperator<List<LogEvent>> how) {}

    /** The log with the first event of kind {@code ev} replaced by {@code f} of it. */
    private static UnaryOperator<List<LogEvent>> first(String ev, UnaryOperator<LogEvent> f) {
        return log -> {
            List<LogEvent> out = new ArrayList<>(log);
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).ev().equals(ev)) {
                    out.set(i, f.apply(out.get(i)));
                    return out;
                }
            }
            throw new IllegalArgumentException("no " + ev + " in the log");
        };
    }

    /** The log without the first event of kind {@code ev}. */
    private static UnaryOperator<List<LogEvent>> without(String ev) {
        return log -> {
            List<LogEvent> out = new ArrayList<>(log);
            out.remove(out.stream().filter(e -> e.ev().equals(ev)).findFirst().orElseThrow());
            return out;
        };
    }

    @Test
    void changedLogsAreRejected() throws InterruptedException {
        List<LogEvent> base = LogScript.typical();
        List<Change> changes = List.of(
                new Change("a RecvMsg turned into RecvDup", first("RecvMsg", e -> e.withEv("RecvDup"))),
                new Change("a RecvDup turned into RecvMsg", first("RecvDup", e -> e.withEv("RecvMsg"))),
                new Change("a status altered (another call's)", first("RecvStatus", e -> e.withSt("2"))),
                new Change("a handler's status altered", first("RunHandler", e -> e.withSt("5"))),
                new Change("a RunHandler left out", without("RunHandler")),
                new Change("a Reset left out", without("Reset")),
                new Change("a Restart left out", without("Restart")),
                new Change("a RunOrphan turned into RunHandler", first("RunOrphan", e -> e.withEv("RunHandler"))),
                new Change(
                        "a Send's msg_seq altered",
                        first(
                                "Send",
                                e -> new LogEvent(
                                        e.i(),
                                        e.node(),
                                        e.peer(),
                                        e.inc(),
                                        e.ev(),
                                        e.seq() + 1,
                                        e.num(),
                                        e.caller(),
                                        e.call(),
                                        e.st(),
                                        e.pinc(),
                                        e.forgot(),
                                        e.nanos()))));
        List<LogProjection.Projected> logs = new ArrayList<>();
        logs.add(LogProjection.project("typical", base, LogScript.S, LogScript.R));
        for (Change c : changes) {
            logs.add(LogProjection.project(c.what(), c.how().apply(base), LogScript.S, LogScript.R));
        }
        TraceCheck.Result r = TraceCheck.check(logs, Generated.TLA, WORK, "negative", Duration.ofMinutes(3));
        assertEquals(null, r.problem(), () -> r.explain());
        assertTrue(r.accepted()[0], () -> "the unchanged log must be accepted: " + r.explain());
        for (int i = 1; i < logs.size(); i++) {
            int t = i;
            assertFalse(
                    r.accepted()[t], () -> "accepted although " + logs.get(t).name());
            assertTrue(r.matched()[t] < logs.get(t).size());
        }
        System.out.printf(
                "%ntrace validation, negative: the typical log (%d events) accepted, %d changed copies "
                        + "rejected (%.1f s):%n",
                base.size(), changes.size(), r.tlc().time().toMillis() / 1e3);
        for (int i = 1; i < logs.size(); i++) {
            System.out.printf(
                    "  %-40s matched %d of %d events%n",
                    logs.get(i).name(), r.matched()[i], logs.get(i).size());
        }
    }

    /** The index of the first event of kind {@code ev} by {@code node} after the first {@code Restart}. */
    private static int afterRestart(List<LogEvent> log, String ev, int node) {
        int restart = log.indexOf(
                log.stream().filter(e -> e.ev().equals("Restart")).findFirst().orElseThrow());
        for (int i = restart + 1; i < log.size(); i++) {
            if (log.get(i).ev().equals(ev) && log.get(i).node() == node) {
                return i;
            }
        }
        throw new IllegalArgumentException("no " + ev + " of node " + node + " after the Restart");
    }

    /**
     * A frame written before its writer's Restart may be read after it ({@link LogScript#crashWithFrameInFlight()},
     * accepted), but only on the connection it was written on and only while the reader's core holds that
     * connection: two copies that read it elsewhere are rejected.
     */
    @Test
    void aFrameOfACrashedNodeIsReadOnlyOnItsOwnConnection() throws InterruptedException {
        List<LogEvent> base = LogScript.crashWithFrameInFlight();
        // The incarnation S has after its restart: that of its last event.
        long next = base.stream()
                .filter(e -> e.node() == LogScript.S)
                .reduce((a, b) -> b)
                .orElseThrow()
                .inc();
        List<LogEvent> nextConnection = new ArrayList<>(base);
        int connect = afterRestart(base, "Connect", LogScript.R);
        nextConnection.set(connect, base.get(connect).withPinc(next));
        List<LogEvent> afterReset = new ArrayList<>(base);
        int reset = afterRestart(base, "Reset", LogScript.R);
        int recv = afterRestart(base, "RecvMsg", LogScript.R);
        afterReset.add(recv, afterReset.remove(reset));
        List<LogProjection.Projected> logs = List.of(
                LogProjection.project("crash with a frame in flight", base, LogScript.S, LogScript.R),
                LogProjection.project(
                        "the frame read on S's next incarnation's connection",
                        nextConnection,
                        LogScript.S,
                        LogScript.R),
                LogProjection.project("the frame read after the reader's reset", afterReset, LogScript.S, LogScript.R));
        TraceCheck.Result r = TraceCheck.check(logs, Generated.TLA, WORK, "negative-crash", Duration.ofMinutes(3));
        assertEquals(null, r.problem(), () -> r.explain());
        assertTrue(r.accepted()[0], () -> "the unchanged log must be accepted: " + r.explain());
        for (int i = 1; i < logs.size(); i++) {
            int t = i;
            assertFalse(
                    r.accepted()[t], () -> "accepted although " + logs.get(t).name());
            assertTrue(r.matched()[t] < logs.get(t).size());
        }
        System.out.printf(
                "%ntrace validation, negative: a frame read after its writer's restart accepted (%d events), %d"
                        + " copies reading it elsewhere rejected (%.1f s):%n",
                base.size(), logs.size() - 1, r.tlc().time().toMillis() / 1e3);
        for (int i = 1; i < logs.size(); i++) {
            System.out.printf(
                    "  %-52s matched %d of %d events%n",
                    logs.get(i).name(), r.matched()[i], logs.get(i).size());
        }
    }

    @Test
    void anEmptyLogIsNeverChecked() {
        LogProjection.Projected empty = LogProjection.project("empty", List.of(), LogScript.S, LogScript.R);
        assertThrows(
                IllegalArgumentException.class,
                () -> TraceCheck.check(List.of(empty), Generated.TLA, WORK, "empty", Duration.ofMinutes(1)));
        assertThrows(
                IllegalArgumentException.class,
                () -> TraceCheck.check(List.of(), Generated.TLA, WORK, "none", Duration.ofMinutes(1)));
    }
}
