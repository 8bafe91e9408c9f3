// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The traces of this build, generated once per test JVM into {@code conformance.out} (target/traces): the edge cover
 * and {@value #SIM_TRACES} simulated behaviours of {@value #SIM_DEPTH} states with seed {@code conformance.seed}
 * (default 1).
 */
final class Generated {
    static final Path TLA = Path.of(System.getProperty("conformance.tla", "../spec/tla"));
    static final Path OUT = Path.of(System.getProperty("conformance.out", "target/traces"));
    static final int SIM_TRACES = 300;
    static final int SIM_DEPTH = 60;
    static final long SEED = Long.getLong("conformance.seed", 1);

    private static Generated instance;

    final Path cover;
    final JsonNode coverSummary;
    final Path sim;
    final double simSeconds;

    private Generated() throws IOException, InterruptedException {
        Files.createDirectories(OUT);
        coverSummary = Generate.edgeCover(TLA, OUT);
        cover = OUT.resolve("cover.jsonl");
        long start = System.nanoTime();
        sim = Generate.simulation(TLA, OUT, SIM_TRACES, SIM_DEPTH, SEED);
        simSeconds = (System.nanoTime() - start) / 1e9;
    }

    static synchronized Generated get() {
        if (instance == null) {
            try {
                instance = new Generated();
            } catch (IOException e) {
                throw new IllegalStateException("cannot generate the traces", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while generating the traces", e);
            }
        }
        return instance;
    }
}
