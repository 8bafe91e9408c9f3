// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An event log on disk, JSON lines (schema: {@code spec/tla/TraceReliableO2net.md}):
 * <pre>
 * {"log":"o2net-reliable","version":1, ...}      header: what was run (free-form fields besides these two)
 * {"i":1,"node":2,"peer":1,...}                   one line per event ({@link LogEvent}), in order
 * ...
 * {"end":1234}                                    trailer: the number of events
 * </pre>
 * The trailer makes a cut file detectable: reading fails on a missing header, a missing or wrong trailer, anything
 * after it, a log without events, and events out of order. A log that cannot be read is never validated.
 *
 * @param info   the header's fields besides {@code log} and {@code version}
 * @param events the events, in order
 */
public record LogFile(Map<String, String> info, List<LogEvent> events) {
    /** The header's {@code log} value. */
    public static final String KIND = "o2net-reliable";
    /** The schema version. */
    public static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    public LogFile {
        info = Map.copyOf(info);
        events = List.copyOf(events);
    }

    /** Writes the log to {@code file}. */
    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            ObjectNode h = JSON.createObjectNode();
            h.put("log", KIND);
            h.put("version", VERSION);
            info.forEach(h::put);
            w.write(json(h));
            w.newLine();
            for (LogEvent e : events) {
                w.write(json(e.toJson()));
                w.newLine();
            }
            w.write(json(JSON.createObjectNode().put("end", events.size())));
            w.newLine();
        }
    }

    /**
     * Reads a log written by {@link #write}.
     *
     * @throws IllegalArgumentException if the file is empty, truncated, has no events, or is not such a log; the
     *                                  message says which
     */
    public static LogFile read(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        }
        String name = file.getFileName().toString();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(name + ": empty file, not an event log");
        }
        JsonNode header = parse(name, lines.get(0), 1);
        if (!KIND.equals(header.path("log").asText()) || header.path("version").asInt() != VERSION) {
            throw new IllegalArgumentException(name + ": line 1 is not the header of an " + KIND + " log, version "
                    + VERSION + ": " + lines.get(0));
        }
        Map<String, String> info = new LinkedHashMap<>();
        header.fields().forEachRemaining(f -> {
            if (!f.getKey().equals("log") && !f.getKey().equals("version")) {
                info.put(f.getKey(), f.getValue().asText());
            }
        });
        List<LogEvent> events = new ArrayList<>();
        Long end = null;
        for (int n = 1; n < lines.size(); n++) {
            JsonNode o = parse(name, lines.get(n), n + 1);
            if (end != null) {
                throw new IllegalArgumentException(name + ": line " + (n + 1) + " after the end line");
            }
            if (o.has("end")) {
                end = o.get("end").asLong();
                continue;
            }
            LogEvent e;
            try {
                e = LogEvent.fromJson(o);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(name + ": line " + (n + 1) + ": " + ex.getMessage(), ex);
            }
            if (!events.isEmpty() && e.i() <= events.get(events.size() - 1).i()) {
                throw new IllegalArgumentException(
                        name + ": line " + (n + 1) + ": event " + e.i() + " out of order (after "
                                + events.get(events.size() - 1).i() + ")");
            }
            events.add(e);
        }
        if (end == null) {
            throw new IllegalArgumentException(name + ": truncated: no end line after " + events.size() + " events");
        }
        if (end != events.size()) {
            throw new IllegalArgumentException(name + ": truncated or padded: the end line says " + end
                    + " events, the file has " + events.size());
        }
        if (events.isEmpty()) {
            throw new IllegalArgumentException(name + ": empty log: no events");
        }
        return new LogFile(info, events);
    }

    private static JsonNode parse(String name, String line, int n) {
        try {
            JsonNode o = JSON.readTree(line);
            if (o == null || !o.isObject()) {
                throw new IllegalArgumentException(name + ": line " + n + " is not a JSON object");
            }
            return o;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    name + ": line " + n + " is not JSON (truncated?): " + e.getOriginalMessage(), e);
        }
    }

    private static String json(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
