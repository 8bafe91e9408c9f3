// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log file format and the projection, without TLC. */
class LogFileTest {
    @TempDir
    Path dir;

    private Path write(List<LogEvent> events) throws IOException {
        Path f = dir.resolve("log.jsonl");
        new LogFile(Map.of("run", "test"), events).write(f);
        return f;
    }

    @Test
    void aLogReadsBackAsWritten() throws IOException {
        List<LogEvent> events = LogScript.typical();
        LogFile back = LogFile.read(write(events));
        assertEquals(events, back.events());
        assertEquals("test", back.info().get("run"));
    }

    @Test
    void aTruncatedLogIsRefused() throws IOException {
        Path f = write(LogScript.typical());
        List<String> lines = Files.readAllLines(f);
        Files.write(f, lines.subList(0, lines.size() - 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogFile.read(f));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        Files.write(f, lines.subList(0, lines.size() - 4));
        assertThrows(IllegalArgumentException.class, () -> LogFile.read(f));
        String text = String.join("\n", lines);
        Files.writeString(f, text.substring(0, text.length() / 2)); // cut in the middle of a line
        assertThrows(IllegalArgumentException.class, () -> LogFile.read(f));
        Files.write(f, List.of(lines.get(0), lines.get(1), lines.get(2), "{\"end\":3}"));
        e = assertThrows(IllegalArgumentException.class, () -> LogFile.read(f));
        assertTrue(e.getMessage().contains("2"), e.getMessage());
    }

    @Test
    void anEmptyLogIsRefused() throws IOException {
        Path f = write(List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogFile.read(f));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        Files.writeString(f, "");
        assertThrows(IllegalArgumentException.class, () -> LogFile.read(f));
    }

    @Test
    void eventsOutOfOrderAreRefused() throws IOException {
        List<LogEvent> events = LogScript.typical();
        Path f = write(List.of(events.get(1), events.get(0)));
        assertThrows(IllegalArgumentException.class, () -> LogFile.read(f));
    }

    @Test
    void theProjectionKeepsEachSidesEventsAndNumbersCallsAndIncarnations() {
        List<LogEvent> log = LogScript.typical();
        LogProjection.Projected p = LogProjection.project("typical", log, LogScript.S, LogScript.R);
        assertEquals(log.size(), p.size(), "every event of the script is about S calling R");
        assertEquals(List.of("c0", "c1"), List.copyOf(p.callers()));
        assertEquals(3, p.callsPerCaller());
        assertEquals(
                "[e |-> \"Send\", n |-> \"S\", inc |-> 1, c |-> \"c0\", x |-> <<\"c0\", 1>>, s |-> 1]",
                p.records().stream()
                        .filter(r -> r.contains("\"Send\""))
                        .findFirst()
                        .orElseThrow());
        assertTrue(
                p.records()
                        .contains("[e |-> \"RunOrphan\", n |-> \"R\", inc |-> 1, s |-> 3, x |-> <<\"c0\", 2>>,"
                                + " st |-> <<\"c0\", 2>>]"),
                String.join("\n", p.records()));
        assertTrue(
                p.records().stream().anyMatch(r -> r.startsWith("[e |-> \"Connect\", n |-> \"R\", inc |-> 2")),
                "R's second incarnation is 2");
        LogProjection.Projected other = LogProjection.project("typical", log, LogScript.R, LogScript.S);
        assertEquals(List.of(), List.copyOf(other.callers()));
        assertTrue(
                other.records().stream().noneMatch(r -> r.contains("Send") || r.contains("RecvMsg")),
                "R calls nobody: its projection has the shared events only");
        assertEquals(2, LogProjection.pairs("typical", log).size());
    }

    @Test
    void aStatusThatNamesNoCallMatchesNothing() {
        List<LogEvent> log = LogScript.typical();
        LogEvent status = log.stream()
                .filter(e -> e.ev().equals("RecvStatus"))
                .findFirst()
                .orElseThrow();
        List<LogEvent> changed =
                log.stream().map(e -> e == status ? e.withSt("999") : e).toList();
        LogProjection.Projected p = LogProjection.project("changed", changed, LogScript.S, LogScript.R);
        assertTrue(p.records().stream().anyMatch(r -> r.contains("st |-> <<\"?999\", 0>>")));
    }
}
