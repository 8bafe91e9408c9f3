// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A behaviour of the spec as TLC produced it: a list of {@link Step}s, {@code Init} first.
 * <p>
 * A trace file holds one trace per line (JSON lines), each line a JSON array of steps. A trace is named by its file
 * and its index in it, from 0 ({@code cover.jsonl#17} is the 18th line).
 *
 * @param name  file name and index, {@code <file>#<index>}
 * @param steps the steps, {@code Init} first
 */
public record Trace(String name, List<Step> steps) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public Trace {
        steps = List.copyOf(steps);
        if (steps.isEmpty() || !steps.get(0).action().equals(Step.INIT)) {
            throw new IllegalArgumentException("trace " + name + " does not start with " + Step.INIT);
        }
    }

    /** The trace as one line of JSON. */
    public String toJson() {
        ArrayNode a = JSON.createArrayNode();
        for (Step s : steps) {
            ObjectNode o = a.addObject();
            o.put("action", s.action());
            o.set("params", s.params());
            o.set("state", s.state());
        }
        try {
            return JSON.writeValueAsString(a);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the trace on one line of {@code file}, named {@code <file name>#index}. */
    public static Trace parse(String line, Path file, int index) {
        String name = file.getFileName() + "#" + index;
        try {
            JsonNode a = JSON.readTree(line);
            List<Step> steps = new ArrayList<>(a.size());
            for (JsonNode s : a) {
                steps.add(
                        new Step(s.get("action").asText(), (ObjectNode) s.get("params"), (ObjectNode) s.get("state")));
            }
            return new Trace(name, steps);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("trace " + name + " is not a list of steps: " + e.getMessage(), e);
        }
    }

    /** Writes {@code traces} to {@code file}, one per line. */
    public static void write(Path file, List<Trace> traces) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            for (Trace t : traces) {
                w.write(t.toJson());
                w.newLine();
            }
        }
    }

    /** Reads every trace of {@code file}, one at a time, without keeping them: trace files can be large. */
    public static void forEach(Path file, Consumer<Trace> action) {
        try (BufferedReader r = Files.newBufferedReader(file)) {
            int index = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                action.accept(parse(line, file, index++));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Reads the trace at {@code index} of {@code file}.
     *
     * @throws IllegalArgumentException if the file has fewer traces
     */
    public static Trace read(Path file, int index) {
        try (BufferedReader r = Files.newBufferedReader(file)) {
            int i = 0;
            for (String line = r.readLine(); line != null; line = r.readLine(), i++) {
                if (i == index) {
                    return parse(line, file, index);
                }
            }
            throw new IllegalArgumentException(file + " has " + i + " traces, no #" + index);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
