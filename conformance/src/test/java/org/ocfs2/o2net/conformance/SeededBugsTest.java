// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * Detection power: each seeded bug ({@code src/test/resources/seeded-bugs/<BUG>.diff}, a small edit to one spec
 * action of the core) applied alone to the core's source and compiled into a class loader of its own
 * ({@link SeededCore}), the core tier's traces (edge cover, then simulation) replayed on it until the first trace
 * fails. Every bug must be caught by some trace; the first detection in each file (trace, step and action, time from
 * the start of the file's replay) is printed as a Markdown table. A diff that no longer applies fails the test naming
 * the bug. Each bug's first detection is also drawn as a message sequence chart ({@link DivergenceChart}) for the main
 * job's report ({@code target/coverage/seeded-bugs/}). Core tier only: the logs direction is not measured here. The
 * product's core carries no switchable bug.
 */
@DisabledIfSystemProperty(named = "conformance.trace", matches = ".+")
class SeededBugsTest {
    /** The bugs of AckO2net's mechanism (acknowledgement, window): replayed on AckO2net's traces, on v13 cores. */
    static final String ACK_PREFIX = "ACK_";

    /** The first detection of a bug in one trace file, or none. */
    private record Detection(
            String trace,
            int step,
            String label,
            int tracesReplayed,
            double seconds,
            String problem,
            String textChart,
            String svgChart) {
        String cell() {
            if (trace == null) {
                return String.format("not caught (%d traces) | - | %.2f s", tracesReplayed, seconds);
            }
            return "`" + trace + "` | " + step + " (`" + label + "`) | "
                    + String.format("%.2f s (%d trace%s)", seconds, tracesReplayed, tracesReplayed == 1 ? "" : "s");
        }
    }

    /** Calls static method {@code name} of {@link BuggedReplay} as loaded by {@code loader}. */
    private static Object call(ClassLoader loader, String name, Object... args) {
        try {
            Class<?> replay = Class.forName(BuggedReplay.class.getName(), true, loader);
            for (Method m : replay.getMethods()) {
                if (m.getName().equals(name) && m.getParameterCount() == args.length) {
                    return m.invoke(null, args);
                }
            }
            throw new NoSuchMethodError(name);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Detection firstDetection(ClassLoader loader, Path file, int window) {
        long start = System.nanoTime();
        Object[] d = (Object[]) call(loader, "firstDetection", file.toString(), window);
        return new Detection(
                (String) d[0],
                (Integer) d[1],
                (String) d[2],
                (Integer) d[3],
                (System.nanoTime() - start) / 1e9,
                (String) d[4],
                (String) d[5],
                (String) d[6]);
    }

    @Test
    void everySeededBugIsCaught() {
        Generated g = Generated.get();
        Generated.Ack ack = Generated.ack();
        // Sanity: the unpatched source, built and loaded the same way, replays the first traces of every file.
        ClassLoader clean = SeededCore.loaderFor("unpatched", SeededCore.coreSource());
        assertEquals("seeded-core", call(clean, "coreLoader"), "the driver must run the core compiled for the test");
        call(clean, "replay", g.cover.toString(), 0, 0);
        call(clean, "replay", g.sim.toString(), 0, 0);
        call(clean, "replay", ack.cover().toString(), 0, Generated.ACK_COVER_WINDOW);
        call(clean, "replay", ack.sim().toString(), 0, Generated.ACK_SIM_WINDOW);

        List<String> bugs = SeededCore.bugs();
        StringBuilder table = new StringBuilder()
                .append("| bug | caught by (direction/tier) | edge cover: trace | step (action) | time |"
                        + " simulation: trace | step (action) | time |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        List<String> missed = new ArrayList<>();
        List<String> stale = new ArrayList<>();
        ArrayNode charted = JSON.createArrayNode();
        for (String bug : bugs) {
            ClassLoader loader;
            try {
                loader = SeededCore.loaderFor(bug, SeededCore.patched(bug));
            } catch (AssertionError e) {
                stale.add(e.getMessage());
                continue;
            }
            // ACK_* bugs break AckO2net's mechanism (v13): replayed on its traces; the others on ReliableO2net's
            boolean v13 = bug.startsWith(ACK_PREFIX);
            Detection cover = v13
                    ? firstDetection(loader, ack.cover(), Generated.ACK_COVER_WINDOW)
                    : firstDetection(loader, g.cover, 0);
            Detection sim = v13
                    ? firstDetection(loader, ack.sim(), Generated.ACK_SIM_WINDOW)
                    : firstDetection(loader, g.sim, 0);
            String by = cover.trace() != null && sim.trace() != null
                    ? "TLC traces -> impl / core (cover, sim)"
                    : cover.trace() != null
                            ? "TLC traces -> impl / core (cover only)"
                            : sim.trace() != null ? "TLC traces -> impl / core (sim only)" : "**none**";
            table.append("| `")
                    .append(bug)
                    .append("` | ")
                    .append(v13 ? by.replace("TLC traces", "AckO2net traces") : by)
                    .append(" | ")
                    .append(cover.cell())
                    .append(" | ")
                    .append(sim.cell())
                    .append(" |\n");
            if (cover.trace() == null && sim.trace() == null) {
                missed.add(bug);
            }
            charted.add(summary(bug, v13, cover, sim));
        }
        writeSummary(charted);
        for (var b : charted) {
            if ((b.path("cover").hasNonNull("trace") || b.path("sim").hasNonNull("trace")) && !b.has("chart")) {
                fail("seeded bug " + b.path("bug").asText() + " was caught but its divergence has no chart: " + b);
            }
        }
        System.out.printf(
                "%nDetection power: seeded bugs (core tier; time from the start of each file's replay)%n%n%s", table);
        if (!stale.isEmpty()) {
            fail(String.join("\n", stale));
        }
        if (!missed.isEmpty()) {
            fail("seeded bugs not caught by any core-tier trace: " + missed + "\n" + table);
        }
        assertTrue(bugs.size() >= 12, "twelve seeded bugs expected, found " + bugs);
        assertTrue(
                bugs.stream().filter(b -> b.startsWith(ACK_PREFIX)).count() >= 5,
                "five seeded bugs of the v13 mechanism expected, found " + bugs);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the report finds each bug's first detection and its chart: beside the suites' {@link CoverageSummary}s. */
    static final Path CHARTS = CoverageSummary.DIR.resolve("seeded-bugs");

    /**
     * One bug's line of {@code seeded-bugs/bugs.json}; its chart (of the edge cover's detection, else the simulation's)
     * in {@code <BUG>.svg} and {@code <BUG>.txt} beside it.
     */
    private static ObjectNode summary(String bug, boolean v13, Detection cover, Detection sim) {
        ObjectNode o = JSON.createObjectNode();
        o.put("bug", bug);
        o.put("description", SeededCore.description(bug));
        o.put("traces", v13 ? "AckO2net (v13 cores)" : "ReliableO2net (v12 cores)");
        for (Detection d : new Detection[] {cover, sim}) {
            ObjectNode n = o.putObject(d == cover ? "cover" : "sim");
            n.put("trace", d.trace());
            n.put("step", d.step());
            n.put("label", d.label());
            n.put("problem", d.problem());
            n.put("tracesReplayed", d.tracesReplayed());
        }
        Detection shown = cover.svgChart() != null ? cover : sim;
        if (shown.svgChart() != null) {
            try {
                Files.createDirectories(CHARTS);
                Files.writeString(CHARTS.resolve(bug + ".svg"), shown.svgChart());
                Files.writeString(CHARTS.resolve(bug + ".txt"), shown.textChart());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            o.put("chart", bug + ".svg");
            o.put("chartOf", shown == cover ? "cover" : "sim");
        }
        return o;
    }

    private static void writeSummary(ArrayNode bugs) {
        try {
            Files.createDirectories(CHARTS);
            JSON.writerWithDefaultPrettyPrinter()
                    .writeValue(CHARTS.resolve("bugs.json").toFile(), bugs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A diff whose context is gone from the core fails naming the bug and saying what to do. */
    @Test
    void aDiffThatNoLongerAppliesFailsNamingItsBug() {
        String bug = "NO_RESEND";
        String core = SeededCore.coreSource();
        String removed = "fx.write(h.removeRequest());";
        assertTrue(core.contains(removed), "the core no longer has the line this test edits: pick another");
        String changed = core.replace(removed, "fx.write(h.removeRequest()); // changed");
        AssertionError e =
                assertThrows(AssertionError.class, () -> SeededCore.patched(bug, SeededCore.diff(bug), changed));
        assertTrue(e.getMessage().startsWith("seeded bug " + bug + ": its diff no longer applies"), e.getMessage());
        assertTrue(e.getMessage().contains("README.md"), e.getMessage());
        // And the real core still takes it.
        assertTrue(SeededCore.patched(bug).length() < core.length());
    }

    /** The diffs are what the README describes: each names its bug and says what it changes. */
    @Test
    void everySeededBugDiffDescribesItself() {
        for (String bug : SeededCore.bugs()) {
            List<String> diff = SeededCore.diff(bug);
            assertTrue(
                    diff.get(0).startsWith("# Seeded bug " + bug + " "),
                    bug + ".diff must start with '# Seeded bug " + bug + " ...'");
            assertTrue(!SeededCore.description(bug).isBlank(), bug + ".diff must say what the bug changes");
        }
    }
}
