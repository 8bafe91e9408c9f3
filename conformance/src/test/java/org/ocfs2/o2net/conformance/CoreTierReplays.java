// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The core tier as mutation testing's test (the {@code mutation} profile, PIT): every edge-cover and simulation trace
 * replayed on the protocol core, stopping at the first that does not conform. Unlike {@link ConformanceTest} it keeps
 * no result between runs, since PIT runs it once per mutant in one JVM; and with {@code -Dconformance.reuseTraces=true}
 * it replays the trace files already in {@code conformance.out} instead of running TLC again in each PIT worker (the
 * traces come from the spec, which no mutant of the core changes). Not a surefire test (no {@code Test} suffix):
 * {@link ConformanceTest} replays the same traces in the ordinary build.
 */
class CoreTierReplays {

    @Test
    void everyCoreTierTraceConforms() {
        Path cover = Generated.OUT.resolve("cover.jsonl");
        Path sim = Generated.OUT.resolve("sim.jsonl");
        if (!Boolean.getBoolean("conformance.reuseTraces") || !Files.exists(cover) || !Files.exists(sim)) {
            cover = Generated.get().cover;
            sim = Generated.get().sim;
        }
        int replayed = replay(cover, CoreDriver::new) + replay(sim, CoreDriver::new);
        assertEquals(true, replayed > Generated.SIM_TRACES, "replayed only " + replayed + " traces");
    }

    /** The one-round-trip protocol's (AckO2net, v13) edge cover and simulation, as {@link AckConformanceTest}. */
    @Test
    void everyAckTierTraceConforms() {
        Path cover = Generated.OUT.resolve("ack-cover.jsonl");
        Path sim = Generated.OUT.resolve("ack-sim.jsonl");
        if (!Boolean.getBoolean("conformance.reuseTraces") || !Files.exists(cover) || !Files.exists(sim)) {
            cover = Generated.ack().cover();
            sim = Generated.ack().sim();
        }
        int replayed = replay(cover, () -> CoreDriver.v13(Generated.ACK_COVER_WINDOW))
                + replay(sim, () -> CoreDriver.v13(Generated.ACK_SIM_WINDOW));
        assertEquals(true, replayed > Generated.SIM_TRACES, "replayed only " + replayed + " traces");
    }

    /** Replays every trace of {@code file} on a fresh driver each; fails at the first that does not conform. */
    private static int replay(Path file, java.util.function.Supplier<CoreDriver> driver) {
        int[] replayed = {0};
        Trace.forEach(file, t -> {
            try {
                Replayer.replay(t, driver.get());
                replayed[0]++;
            } catch (ConformanceFailure f) {
                fail(f.getMessage());
            }
        });
        return replayed[0];
    }
}
