// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The Netty tier: TLC's traces replayed on two real nodes over loopback TCP ({@link NettyDriver}), the state
 * compared after every step as in the core tier. Every simulation trace, and a fixed subset of the edge-cover paths
 * ({@link NettyCover}); {@code -Dconformance.netty.cover=all} replays every path (the long mode). With
 * {@code -Dconformance.tier=netty -Dconformance.trace=<file>#<index>} only that trace is replayed, step by step on
 * the console.
 */
class NettyConformanceTest {
    static {
        NettyReplays.quietLogs();
    }

    private static NettyReplays cover;
    private static NettyReplays sim;
    private static NettyCover.Subset subset;

    private static synchronized NettyReplays sim() {
        if (sim == null) {
            sim = NettyReplays.of(Generated.get().sim, i -> true);
        }
        return sim;
    }

    private static synchronized NettyReplays cover() {
        if (cover == null) {
            subset = NettyCover.subset(Generated.get().cover, System.getProperty("conformance.netty.cover", ""));
            cover = NettyReplays.of(Generated.get().cover, subset.indices()::contains);
        }
        return cover;
    }

    @Test
    @DisabledIfSystemProperty(named = "conformance.trace", matches = ".+")
    void simulationTracesConformOnNetty() {
        sim().assertNoFailure("simulation traces");
        assertEquals(Generated.SIM_TRACES, sim().traces(), "traces replayed");
    }

    @Test
    @DisabledIfSystemProperty(named = "conformance.trace", matches = ".+")
    void edgeCoverPathsConformOnNetty() {
        cover().assertNoFailure("edge-cover paths");
        assertEquals(subset.indices().size(), cover().traces(), "paths replayed");
    }

    @Test
    @DisabledIfSystemProperty(named = "conformance.trace", matches = ".+")
    void everyActionOfTheSpecIsTakenOnNetty() {
        TreeSet<String> spec = new TreeSet<>();
        Generated.get().coverSummary.get("actions").forEach(a -> spec.add(a.asText()));
        cover().assertNoFailure("edge-cover paths");
        sim().assertNoFailure("simulation traces");
        TreeSet<String> taken = new TreeSet<>(cover().coverage().actions().keySet());
        taken.addAll(sim().coverage().actions().keySet());
        assertEquals(spec, taken, "actions replayed on the Netty tier (left: the spec's)");
    }

    @Test
    @EnabledIfSystemProperty(named = "conformance.trace", matches = ".+")
    @EnabledIfSystemProperty(named = "conformance.tier", matches = "netty")
    void replayOneTraceOnNetty() {
        String name = System.getProperty("conformance.trace");
        int hash = name.lastIndexOf('#');
        assertTrue(hash > 0, "conformance.trace must be <file>#<index>, not " + name);
        Path file = Generated.OUT.resolve(name.substring(0, hash));
        if (!file.toFile().exists()) {
            Generated.get();
        }
        Trace t = Trace.read(file, Integer.parseInt(name.substring(hash + 1)));
        try (NettyDriver d = new NettyDriver()) {
            Replayer.replay(t, d, System.out::println);
        }
        System.out.println("trace " + t.name() + " conforms on the Netty tier: "
                + (t.steps().size() - 1) + " steps");
    }

    @AfterAll
    static void report() {
        if (cover == null || sim == null) {
            return;
        }
        var s = Generated.get().coverSummary;
        System.out.printf("%nconformance, Netty tier (two O2netNodes over loopback TCP)%n");
        System.out.printf(
                "  edge cover  %s: %d of %d paths, %d steps, %d edges of %d (%d on the part of every path"
                        + " the implementation can take)%n",
                subset.mode(),
                subset.indices().size(),
                s.get("paths").intValue(),
                subset.steps(),
                subset.edges(),
                s.get("edges").intValue(),
                subset.takeable());
        cover.print("edge cover");
        sim.print("simulation");
        cover.summarize("NettyConformanceTest", "edge cover", s);
        sim.summarize("NettyConformanceTest", "simulation", s);
        System.out.println();
    }
}
