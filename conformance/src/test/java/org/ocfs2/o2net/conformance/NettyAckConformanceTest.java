// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The Netty tier for the one-round-trip protocol: {@code AckO2net}'s traces replayed on two real v13 nodes over
 * loopback TCP ({@link NettyDriver#v13}), the state compared after every step as in the core tier, acks included.
 * Every simulation trace and a fixed subset of the edge-cover paths ({@link NettyCover}); the delayed-ack timer is
 * held by the driver ({@code O2netNode.Builder.ackTimer}) and fired at each {@code SendAck} step.
 */
@DisabledIfSystemProperty(named = "conformance.trace", matches = ".+")
class NettyAckConformanceTest {
    static {
        NettyReplays.quietLogs();
    }

    private static NettyReplays cover;
    private static NettyReplays sim;
    private static NettyCover.Subset subset;

    private static synchronized NettyReplays sim() {
        if (sim == null) {
            sim = NettyReplays.of(
                    Generated.ack().sim(), i -> true, slot -> NettyDriver.v13(slot, Generated.ACK_SIM_WINDOW));
        }
        return sim;
    }

    private static synchronized NettyReplays cover() {
        if (cover == null) {
            subset = NettyCover.subset(Generated.ack().cover(), System.getProperty("conformance.netty.cover", ""));
            cover = NettyReplays.of(
                    Generated.ack().cover(),
                    subset.indices()::contains,
                    slot -> NettyDriver.v13(slot, Generated.ACK_COVER_WINDOW));
        }
        return cover;
    }

    @Test
    void simulationTracesConformOnNetty() {
        sim().assertNoFailure("AckO2net simulation traces");
        assertEquals(Generated.SIM_TRACES, sim().traces(), "traces replayed");
    }

    @Test
    void edgeCoverPathsConformOnNetty() {
        cover().assertNoFailure("AckO2net edge-cover paths");
        assertEquals(subset.indices().size(), cover().traces(), "paths replayed");
    }

    @Test
    void everyActionOfTheSpecButTheHostilePeersIsTakenOnNetty() {
        TreeSet<String> spec = new TreeSet<>();
        Generated.ack().coverSummary().get("actions").forEach(a -> spec.add(a.asText()));
        spec.removeAll(AckConformanceTest.HOSTILE);
        cover().assertNoFailure("AckO2net edge-cover paths");
        sim().assertNoFailure("AckO2net simulation traces");
        TreeSet<String> taken = new TreeSet<>(cover().coverage().actions().keySet());
        taken.addAll(sim().coverage().actions().keySet());
        assertTrue(taken.contains("SendAck") && taken.contains("RecvAck"), "taken: " + taken);
        assertEquals(spec, taken, "actions replayed on the Netty tier (left: the spec's)");
    }

    @AfterAll
    static void report() {
        if (cover == null || sim == null) {
            return;
        }
        var s = Generated.ack().coverSummary();
        System.out.printf("%nconformance, Netty tier, one round trip (two v13 O2netNodes over loopback TCP)%n");
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
        cover.summarize("NettyAckConformanceTest", "edge cover", s);
        sim.summarize("NettyAckConformanceTest", "simulation", s);
        System.out.println();
    }
}
