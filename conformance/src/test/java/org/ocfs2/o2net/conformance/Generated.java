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

    /** AckO2net's windows in its two conformance cfgs (ConfAckCover.cfg, ConfAckSim.cfg). */
    static final int ACK_COVER_WINDOW = 1;

    static final int ACK_SIM_WINDOW = 2;

    private static Generated instance;
    private static Ack ack;

    /** The traces of the one-round-trip protocol (AckO2net, v13), generated once per test JVM. */
    record Ack(Path cover, JsonNode coverSummary, Path sim, double simSeconds) {}

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

    static synchronized Ack ack() {
        if (ack == null) {
            try {
                Files.createDirectories(OUT);
                JsonNode summary =
                        Generate.edgeCover(TLA, OUT, "ack-cover", Generate.ACK_COVER_MODULE, Generate.ACK_COVER_CONFIG);
                long start = System.nanoTime();
                Path sim = Generate.simulation(
                        TLA,
                        OUT,
                        "ack-sim",
                        Generate.ACK_SIM_MODULE,
                        Generate.ACK_SIM_CONFIG,
                        SIM_TRACES,
                        SIM_DEPTH,
                        SEED);
                ack = new Ack(OUT.resolve("ack-cover.jsonl"), summary, sim, (System.nanoTime() - start) / 1e9);
            } catch (IOException e) {
                throw new IllegalStateException("cannot generate the AckO2net traces", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while generating the AckO2net traces", e);
            }
        }
        return ack;
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
