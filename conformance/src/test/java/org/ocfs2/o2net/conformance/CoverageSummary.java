// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a suite replayed, as a small JSON file for the main job's HTML report ({@code org.ocfs2.o2net.spec.HtmlReport}
 * reads {@code target/coverage/*.json}): one file per suite and trace set, written by the suite's report at the end.
 * The same figures the suite prints; the model's figures (states and edges of its whole state graph) only for an edge
 * cover.
 */
final class CoverageSummary {
    /** Next to the traces and the kept failures: {@code target/coverage}. */
    static final Path DIR = Generated.OUT.toAbsolutePath().getParent().resolve("coverage");

    private CoverageSummary() {}

    /**
     * Writes {@code <suite>-<cover|sim>.json}.
     *
     * @param suite the test class's simple name
     * @param tier {@code core} or {@code netty}
     * @param traces {@code edge cover} or {@code simulation}
     * @param coverage what the replays went through
     * @param failures traces that did not conform
     * @param seconds the replays' time
     * @param model the generator's summary of the edge cover (module, config, states, edges, paths), or null
     */
    static void write(
            String suite, String tier, String traces, Coverage coverage, int failures, double seconds, JsonNode model) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode o = json.createObjectNode();
        o.put("suite", suite);
        o.put("tier", tier);
        o.put("traces", traces);
        if (model != null) {
            o.put("module", model.path("module").asText());
        }
        o.put("replayedTraces", coverage.traces());
        o.put("steps", coverage.steps());
        o.put("states", coverage.states());
        o.put("edges", coverage.edges());
        if (model != null && traces.equals("edge cover")) {
            o.put("config", model.path("config").asText());
            o.put("modelStates", model.path("states").asLong());
            o.put("modelEdges", model.path("edges").asLong());
            o.put("modelPaths", model.path("paths").asLong());
        }
        ObjectNode actions = o.putObject("actions");
        for (Map.Entry<String, Long> a : coverage.actions().entrySet()) {
            actions.put(a.getKey(), a.getValue());
        }
        o.put("failures", failures);
        o.put("seconds", Math.round(seconds * 10) / 10.0);
        try {
            Files.createDirectories(DIR);
            String name = suite + "-" + (traces.equals("edge cover") ? "cover" : "sim") + ".json";
            json.writerWithDefaultPrettyPrinter().writeValue(DIR.resolve(name).toFile(), o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
