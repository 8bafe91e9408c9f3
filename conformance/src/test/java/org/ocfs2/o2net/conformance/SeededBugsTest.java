// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.ocfs2.o2net.core.ProtocolBug;

/**
 * Detection power: each deliberate protocol bug ({@link ProtocolBug}) enabled alone in both cores, the core tier's
 * traces (edge cover, then simulation) replayed on them ({@link CoreDriver#CoreDriver(Set)}) until the first trace
 * fails. Every bug must be caught by both trace files; the first detection in each (trace, step and action, time
 * from the start of the file's replay) is printed as a Markdown table. Core tier only: the logs direction is not
 * measured here.
 */
@DisabledIfSystemProperty(named = "conformance.trace", matches = ".+")
class SeededBugsTest {

    /** The first detection of a bug in one trace file, or none. */
    private record Detection(String trace, int step, String label, int tracesReplayed, double seconds) {
        String cell() {
            if (trace == null) {
                return String.format("not caught (%d traces) | - | %.2f s", tracesReplayed, seconds);
            }
            return "`" + trace + "` | " + step + " (`" + label + "`) | "
                    + String.format("%.2f s (%d trace%s)", seconds, tracesReplayed, tracesReplayed == 1 ? "" : "s");
        }
    }

    private static Detection firstDetection(Path file, ProtocolBug bug) {
        long start = System.nanoTime();
        int replayed = 0;
        try (BufferedReader in = Files.newBufferedReader(file)) {
            int index = 0;
            for (String line = in.readLine(); line != null; line = in.readLine(), index++) {
                Trace t = Trace.parse(line, file, index);
                replayed++;
                try {
                    Replayer.replay(t, new CoreDriver(EnumSet.of(bug)));
                } catch (ConformanceFailure f) {
                    return new Detection(f.trace(), f.step(), f.label(), replayed, (System.nanoTime() - start) / 1e9);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Detection(null, -1, null, replayed, (System.nanoTime() - start) / 1e9);
    }

    @Test
    void everySeededBugIsCaught() {
        Generated g = Generated.get();
        // Sanity: without bugs the first traces replay (the bug-set constructor alone changes nothing).
        Replayer.replay(Trace.read(g.cover, 0), new CoreDriver(Set.of()));
        Replayer.replay(Trace.read(g.sim, 0), new CoreDriver(Set.of()));

        StringBuilder table = new StringBuilder()
                .append("| bug | caught by (direction/tier) | edge cover: trace | step (action) | time |"
                        + " simulation: trace | step (action) | time |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        List<String> missed = new ArrayList<>();
        for (ProtocolBug bug : ProtocolBug.values()) {
            Detection cover = firstDetection(g.cover, bug);
            Detection sim = firstDetection(g.sim, bug);
            String by = cover.trace() != null && sim.trace() != null
                    ? "TLC traces -> impl / core (cover, sim)"
                    : cover.trace() != null
                            ? "TLC traces -> impl / core (cover only)"
                            : sim.trace() != null ? "TLC traces -> impl / core (sim only)" : "**none**";
            table.append("| `")
                    .append(bug)
                    .append("` | ")
                    .append(by)
                    .append(" | ")
                    .append(cover.cell())
                    .append(" | ")
                    .append(sim.cell())
                    .append(" |\n");
            if (cover.trace() == null && sim.trace() == null) {
                missed.add(bug.name());
            }
        }
        System.out.printf(
                "%nDetection power: seeded bugs (core tier; time from the start of each file's replay)%n%n%s", table);
        if (!missed.isEmpty()) {
            fail("seeded bugs not caught by any core-tier trace: " + missed + "\n" + table);
        }
        assertTrue(ProtocolBug.values().length >= 6);
    }
}
