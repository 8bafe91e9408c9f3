// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The core tier for the one-round-trip protocol: every trace TLC generated from {@code AckO2net} (the edge cover of
 * {@code ConfAckCover.cfg} and the simulation of {@code ConfAckSim.cfg}) replayed on two v13 protocol cores
 * ({@link CoreDriver#v13}), the state compared after every step, {@code ackSent}, {@code ackRecv} and every frame's
 * ack included.
 */
@DisabledIfSystemProperty(named = "conformance.trace", matches = ".+")
class AckConformanceTest {
    /**
     * The hostile peer's actions: its frames name no caller, so no core call replays them; {@code MCAckHostile}, the
     * core's {@code AckCoreTest} and the attack tests over real sockets cover them. {@code RefuseMsg} is enabled only
     * by them (a correct S never leaves its window).
     */
    static final Set<String> HOSTILE = Set.of("HostileSend", "HostileAck", "RefuseMsg");

    private static CoreReplays cover;
    private static CoreReplays sim;

    private static synchronized CoreReplays cover() {
        if (cover == null) {
            cover = CoreReplays.of(Generated.ack().cover(), () -> CoreDriver.v13(Generated.ACK_COVER_WINDOW));
        }
        return cover;
    }

    private static synchronized CoreReplays sim() {
        if (sim == null) {
            sim = CoreReplays.of(Generated.ack().sim(), () -> CoreDriver.v13(Generated.ACK_SIM_WINDOW));
        }
        return sim;
    }

    @Test
    void edgeCoverTracesConform() {
        cover().assertNoFailure("AckO2net edge-cover traces");
    }

    @Test
    void simulationTracesConform() {
        sim().assertNoFailure("AckO2net simulation traces");
        assertEquals(Generated.SIM_TRACES, sim().coverage().traces());
    }

    @Test
    void everyEdgeOfTheModelIsReplayed() {
        cover().assertNoFailure("AckO2net edge-cover traces");
        var s = Generated.ack().coverSummary();
        assertEquals(s.get("states").intValue(), cover().coverage().states(), "states");
        assertEquals(s.get("edges").intValue(), cover().coverage().edges(), "edges");
    }

    @Test
    void everyActionOfTheSpecButTheHostilePeersIsReplayed() {
        TreeSet<String> spec = new TreeSet<>();
        Generated.ack().coverSummary().get("actions").forEach(a -> spec.add(a.asText()));
        assertTrue(
                spec.containsAll(List.of("Send", "RecvStatus", "SendAck", "RecvAck", "RunOrphan", "Done")),
                "actions of the spec: " + spec);
        assertTrue(spec.containsAll(HOSTILE), "the hostile actions are the spec's: " + spec);
        spec.removeAll(HOSTILE);
        cover().assertNoFailure("AckO2net edge-cover traces");
        sim().assertNoFailure("AckO2net simulation traces");
        assertEquals(spec, cover().coverage().actions().keySet(), "actions of the edge cover (left: the spec's)");
        assertTrue(
                spec.containsAll(sim().coverage().actions().keySet()),
                "the simulation names actions outside the spec's: "
                        + sim().coverage().actions().keySet());
    }

    @AfterAll
    static void report() {
        if (cover == null || sim == null) {
            return;
        }
        var s = Generated.ack().coverSummary();
        System.out.printf("%nconformance, core tier, one round trip (AckO2net, protocol v13)%n");
        System.out.printf(
                "  edge cover  %s: %d states, %d edges -> %d paths, %d steps (generated in %.1f s)%n",
                Generate.ACK_COVER_CONFIG,
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
                Generate.ACK_SIM_CONFIG,
                Generated.SEED,
                sim.coverage().traces(),
                Generated.SIM_DEPTH,
                sim.coverage().steps(),
                sim.coverage().states(),
                Generated.ack().simSeconds(),
                sim.seconds());
        System.out.printf(
                "  actions     edge cover %s%n              simulation %s%n",
                cover.coverage().actions(), sim.coverage().actions());
        System.out.printf(
                "  failures    %d%n%n", cover.failures().size() + sim.failures().size());
        CoverageSummary.write(
                "AckConformanceTest",
                "core",
                "edge cover",
                cover.coverage(),
                cover.failures().size(),
                cover.seconds(),
                s);
        CoverageSummary.write(
                "AckConformanceTest",
                "core",
                "simulation",
                sim.coverage(),
                sim.failures().size(),
                sim.seconds(),
                s);
    }
}
