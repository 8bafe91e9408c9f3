// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The manifest {@code models.json}: every model TLC checks, with its expected verdict and state counts.
 *
 * <pre>
 * { "models": [
 *   { "name": "MCReliable", "module": "MCReliableO2net", "config": "MCReliable.cfg",
 *     "set": "ci", "expect": "pass",
 *     "distinctStates": 123, "statesGenerated": 456, "depth": 17,
 *     "tlcArgs": ["-lncheck", "final"], "note": "free text" } ] }
 * </pre>
 *
 * {@code tlcArgs} and {@code note} are optional; the three figures may be null until first measured.
 * Unknown fields are rejected, so that a misspelt figure cannot go unchecked. {@link #record} rewrites
 * the figures of one model in place, keeping every other field and the order of fields.
 */
public final class Manifest {

    /** Arguments the harness sets itself, or that would change what a run means. */
    private static final Set<String> RESERVED_ARGS =
            Set.of("-tool", "-workers", "-metadir", "-config", "-continue", "-simulate", "-dfid", "-recover");

    private static final Set<String> FIELDS = Set.of(
            "name",
            "module",
            "config",
            "set",
            "expect",
            "distinctStates",
            "statesGenerated",
            "depth",
            "tlcArgs",
            "note");

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Path file;
    private final ObjectNode root;
    private final List<ModelSpec> models;

    private Manifest(Path file, ObjectNode root, List<ModelSpec> models) {
        this.file = file;
        this.root = root;
        this.models = models;
    }

    /**
     * Reads and checks a manifest.
     *
     * @throws IllegalArgumentException if it does not follow the schema above
     */
    public static Manifest read(Path file) throws IOException {
        JsonNode tree = JSON.readTree(file.toFile());
        if (!(tree instanceof ObjectNode root) || !(root.get("models") instanceof ArrayNode array)) {
            throw new IllegalArgumentException(file + ": expected an object with a \"models\" array");
        }
        List<ModelSpec> models = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode entry : array) {
            try {
                ModelSpec model = toModel(entry);
                if (!names.add(model.name())) {
                    throw new IllegalArgumentException("duplicate name");
                }
                models.add(model);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": model " + entry.path("name") + ": " + e.getMessage(), e);
            }
        }
        return new Manifest(file, root, List.copyOf(models));
    }

    /** The manifest's file. */
    public Path file() {
        return file;
    }

    /** All models, in manifest order. */
    public List<ModelSpec> models() {
        return models;
    }

    /**
     * The models of a set and, if {@code names} is not empty, of those names, in manifest order.
     *
     * @param set {@code ci}, {@code deep} or {@code all}
     * @throws IllegalArgumentException for another set or a name the manifest does not have
     */
    public List<ModelSpec> select(String set, List<String> names) {
        if (!Set.of("ci", "deep", "all").contains(set)) {
            throw new IllegalArgumentException("set must be ci, deep or all, not " + set);
        }
        Set<String> unknown = new LinkedHashSet<>(names);
        models.forEach(m -> unknown.remove(m.name()));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("no such model in " + file + ": " + String.join(", ", unknown));
        }
        return models.stream()
                .filter(m -> set.equals("all") || m.set().equals(set))
                .filter(m -> names.isEmpty() || names.contains(m.name()))
                .toList();
    }

    /** Splits a comma-separated list of model names, as given to {@code --models} or {@code -Dtlc.models}. */
    public static List<String> parseNames(String list) {
        return Arrays.stream(list.split(","))
                .map(String::strip)
                .filter(n -> !n.isEmpty())
                .toList();
    }

    /** Sets the figures of the named model to those measured; {@link #write} saves them. */
    public void record(String name, TlcResult result) {
        for (JsonNode entry : root.get("models")) {
            if (entry.path("name").asText().equals(name)) {
                ObjectNode node = (ObjectNode) entry;
                node.put("distinctStates", result.distinctStates());
                node.put("statesGenerated", result.statesGenerated());
                node.put("depth", result.depth());
                return;
            }
        }
        throw new IllegalArgumentException("no such model: " + name);
    }

    /**
     * Records the distinct states of a model, leaving its other figures as they are: what a run of
     * distributed TLC establishes ({@link TlcResult#distributed()}).
     */
    public void recordDistinctStates(String name, long distinctStates) {
        for (JsonNode entry : root.get("models")) {
            if (entry.path("name").asText().equals(name)) {
                ((ObjectNode) entry).put("distinctStates", distinctStates);
                return;
            }
        }
        throw new IllegalArgumentException("no such model: " + name);
    }

    /** Writes the manifest back to its file, two-space indented. */
    public void write() throws IOException {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(
                        Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"));
        Files.writeString(file, JSON.writer(printer).writeValueAsString(root) + "\n");
    }

    private static ModelSpec toModel(JsonNode entry) {
        if (!(entry instanceof ObjectNode)) {
            throw new IllegalArgumentException("expected an object");
        }
        for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("unknown field \"" + field + "\"; the fields are " + FIELDS);
            }
        }
        String name = text(entry, "name", true);
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("name may hold only letters, digits, '_', '.' and '-'");
        }
        String set = text(entry, "set", true);
        if (!set.equals("ci") && !set.equals("deep")) {
            throw new IllegalArgumentException("set must be \"ci\" or \"deep\", not \"" + set + "\"");
        }
        List<String> args = new ArrayList<>();
        JsonNode tlcArgs = entry.path("tlcArgs");
        if (!tlcArgs.isMissingNode()) {
            if (!tlcArgs.isArray()) {
                throw new IllegalArgumentException("tlcArgs must be an array of strings");
            }
            for (JsonNode arg : tlcArgs) {
                if (!arg.isTextual()) {
                    throw new IllegalArgumentException("tlcArgs must be an array of strings");
                }
                if (RESERVED_ARGS.contains(arg.asText())) {
                    throw new IllegalArgumentException("tlcArgs must not contain " + arg.asText());
                }
                args.add(arg.asText());
            }
        }
        Long distinct = number(entry, "distinctStates");
        Long generated = number(entry, "statesGenerated");
        Long depth = number(entry, "depth");
        return new ModelSpec(
                name,
                text(entry, "module", true),
                text(entry, "config", true),
                set,
                Outcome.parse(text(entry, "expect", true)),
                distinct,
                generated,
                depth == null ? null : Math.toIntExact(depth),
                args,
                text(entry, "note", false));
    }

    private static String text(JsonNode entry, String field, boolean required) {
        JsonNode node = entry.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new IllegalArgumentException("missing \"" + field + "\"");
            }
            return null;
        }
        if (!node.isTextual() || (required && node.asText().isBlank())) {
            throw new IllegalArgumentException("\"" + field + "\" must be a non-empty string");
        }
        return node.asText();
    }

    private static Long number(JsonNode entry, String field) {
        JsonNode node = entry.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.canConvertToLong() || !node.isIntegralNumber() || node.asLong() < 0) {
            throw new IllegalArgumentException("\"" + field + "\" must be a non-negative integer or null");
        }
        return node.asLong();
    }
}
