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
        int[] replayed = {0};
        for (Path file : new Path[] {cover, sim}) {
            Trace.forEach(file, t -> {
                try {
                    Replayer.replay(t, new CoreDriver());
                    replayed[0]++;
                } catch (ConformanceFailure f) {
                    fail(f.getMessage());
                }
            });
        }
        assertEquals(true, replayed[0] > Generated.SIM_TRACES, "replayed only " + replayed[0] + " traces");
    }
}
