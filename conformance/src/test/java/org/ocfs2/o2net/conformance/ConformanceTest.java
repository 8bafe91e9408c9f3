// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The core tier: every trace TLC generated (the edge cover and the simulation) replayed on two protocol cores
 * ({@link CoreDriver}). With {@code -Dconformance.trace=<file>#<index>} only that trace is replayed, step by step
 * on the console ({@code <file>} in target/traces, or a path).
 */
class ConformanceTest {
    private static CoreReplays cover;
    private static CoreReplays sim;

    private static synchronized CoreReplays cover() {
        if (cover == null) {
            cover = CoreReplays.of(Generated.get().cover, CoreDriver::new);
        }
        return cover;
    }

    private static synchronized CoreReplays sim() {
        if (sim == null) {
            sim = CoreReplays.of(Generated.get().sim, CoreDriver::new);
        }
        return sim;
    }

    @Test
    @DisabledIfSystemProperty(named = "conformance.trace", matches = ".+")
    void edgeCoverTracesConform() {
        cover().assertNoFailure("edge-cover traces");
    }

    @Test
    @DisabledIfSystemProperty(named = "conformance.trace", matches = ".+")
    void simulationTracesConform() {
        sim().assertNoFailure("simulation traces");
        assertEquals(Generated.SIM_TRACES, sim().coverage().traces());
    }

    @Test
    @DisabledIfSystemProperty(named = "conformance.trace", matches = ".+")
    void everyEdgeOfTheModelIsReplayed() {
        cover().assertNoFailure("edge-cover traces");
        assertEquals(
                Generated.get().coverSummary.get("states").intValue(),
                cover().coverage().states(),
                "states");
        assertEquals(
                Generated.get().coverSummary.get("edges").intValue(),
                cover().coverage().edges(),
                "edges");
    }

    @Test
    @DisabledIfSystemProperty(named = "conformance.trace", matches = ".+")
    void everyActionOfTheSpecIsReplayed() {
        TreeSet<String> spec = new TreeSet<>();
        Generated.get().coverSummary.get("actions").forEach(a -> spec.add(a.asText()));
        assertTrue(
                spec.containsAll(List.of("Send", "RunHandler", "RunOrphan", "HbNodeUp", "Done")),
                "actions of the spec: " + spec);
        cover().assertNoFailure("edge-cover traces");
        sim().assertNoFailure("simulation traces");
        assertEquals(spec, cover().coverage().actions().keySet(), "actions of the edge cover (left: the spec's)");
        assertTrue(
                spec.containsAll(sim().coverage().actions().keySet()),
                "the simulation names actions the spec does not have: "
                        + sim().coverage().actions().keySet());
    }

    @Test
    @EnabledIfSystemProperty(named = "conformance.trace", matches = ".+")
    @DisabledIfSystemProperty(named = "conformance.tier", matches = "(?!core$).*") // another tier's replay
    void replayOneTrace() {
        String name = System.getProperty("conformance.trace");
        int hash = name.lastIndexOf('#');
        assertTrue(hash > 0, "conformance.trace must be <file>#<index>, not " + name);
        Path file = Generated.OUT.resolve(name.substring(0, hash));
        if (!file.toFile().exists()) {
            Generated.get();
        }
        Trace t = Trace.read(file, Integer.parseInt(name.substring(hash + 1)));
        Replayer.replay(t, new CoreDriver(), System.out::println);
        System.out.println("trace " + t.name() + " conforms: " + (t.steps().size() - 1) + " steps");
    }

    @AfterAll
    static void report() {
        if (cover == null || sim == null) {
            return;
        }
        var s = Generated.get().coverSummary;
        System.out.printf("%nconformance, core tier%n");
        System.out.printf(
                "  edge cover  %s: %d states, %d edges -> %d paths, %d steps (generated in %.1f s)%n",
                Generate.COVER_CONFIG,
                s.get("states").intValue(),
                s.get("edges").intValue(),
                s.get("paths").intValue(),
                s.get("steps").longValue(),
                s.get("seconds").doubleValue());
        System.out.printf(
                "              replayed %d traces, %d steps, %d/%d edges, %d/%d states in %.1f s%n",
                cover.coverage().traces(),
                cover.coverage().steps(),
                cover.coverage().edges(),
                s.get("edges").intValue(),
                cover.coverage().states(),
                s.get("states").intValue(),
                cover.seconds());
        System.out.printf(
                "  simulation  %s: seed %d, %d traces of up to %d states, %d steps, %d distinct states"
                        + " (generated in %.1f s, replayed in %.1f s)%n",
                Generate.SIM_CONFIG,
                Generated.SEED,
                sim.coverage().traces(),
                Generated.SIM_DEPTH,
                sim.coverage().steps(),
                sim.coverage().states(),
                Generated.get().simSeconds,
                sim.seconds());
        System.out.printf(
                "  actions     edge cover %s%n              simulation %s%n",
                cover.coverage().actions(), sim.coverage().actions());
        System.out.printf(
                "  failures    %d%n%n", cover.failures().size() + sim.failures().size());
        CoverageSummary.write(
                "ConformanceTest",
                "core",
                "edge cover",
                cover.coverage(),
                cover.failures().size(),
                cover.seconds(),
                s);
        CoverageSummary.write(
                "ConformanceTest",
                "core",
                "simulation",
                sim.coverage(),
                sim.failures().size(),
                sim.seconds(),
                s);
    }
}
