// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.config;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the o2cb cluster layout file, {@code /etc/ocfs2/cluster.conf}.
 * <p>
 * The file is a list of stanzas. A stanza header ({@code cluster:}, {@code node:}, {@code heartbeat:}) starts in the
 * first column and ends with a colon; its parameters follow on indented (normally tab-indented) lines of the form
 * {@code key = value}. Blank lines and lines starting with {@code #} are ignored.
 * <pre>
 * cluster:
 *         node_count = 2
 *         name = ocfs2
 *
 * node:
 *         ip_port = 7777
 *         ip_address = 10.0.0.1
 *         number = 0
 *         name = node0
 *         cluster = ocfs2
 * </pre>
 * {@code cluster} stanzas take {@code name} (required) and {@code node_count} (checked against the node stanzas when
 * present); {@code node} stanzas take {@code number}, {@code name}, {@code ip_address}, {@code ip_port} and
 * {@code cluster}, all required. Other stanzas (such as {@code heartbeat}) and other keys are ignored. Errors are
 * {@link ConfigParseException}s naming the line.
 * <p>
 * The result is a {@link ClusterConfig.Builder} holding the cluster name and its nodes; the caller sets the local
 * node, the timeouts (for example from {@link O2cbSysconfig}) and the protocol, then builds.
 */
public final class ClusterConfParser {
    /** Where o2cb keeps the file. */
    public static final Path DEFAULT_PATH = Paths.get("/etc/ocfs2/cluster.conf");

    private static final Logger logger = LoggerFactory.getLogger(ClusterConfParser.class);

    private ClusterConfParser() {}

    /**
     * Parses {@code file} and returns a builder for the cluster named {@code clusterName}.
     *
     * @param clusterName the cluster to use (o2cb's {@code O2CB_BOOTCLUSTER}), or {@code null} if the file defines
     *                    exactly one
     */
    public static ClusterConfig.Builder parse(Path file, String clusterName) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, file.toString(), clusterName);
        }
    }

    /**
     * Parses the text from {@code reader}; {@code source} names it in error messages.
     *
     * @param clusterName the cluster to use, or {@code null} if the text defines exactly one
     */
    public static ClusterConfig.Builder parse(Reader reader, String source, String clusterName) throws IOException {
        requireNonNull(source, "source");
        List<Stanza> stanzas = readStanzas(reader, source);

        Map<String, Stanza> clusters = new LinkedHashMap<>();
        List<Stanza> nodeStanzas = new ArrayList<>();
        for (Stanza s : stanzas) {
            if (s.type.equals("cluster")) {
                String name = s.require("name");
                Stanza previous = clusters.put(name, s);
                if (previous != null) {
                    throw s.error(
                            "name", "cluster " + name + " is defined twice (first at line " + previous.line + ")");
                }
            } else if (s.type.equals("node")) {
                nodeStanzas.add(s);
            } else {
                logger.debug("{}:{}: ignoring '{}' stanza", source, s.line, s.type);
            }
        }
        if (clusters.isEmpty()) {
            throw new ConfigParseException(source, 0, "no cluster stanza");
        }

        Map<String, List<Node>> nodesByCluster = new HashMap<>();
        Map<String, Map<String, Integer>> seenByCluster = new HashMap<>();
        for (Stanza s : nodeStanzas) {
            String cluster = s.require("cluster");
            if (!clusters.containsKey(cluster)) {
                throw s.error("cluster", "node refers to cluster " + cluster + ", which has no cluster stanza");
            }
            Node node = toNode(s);
            Map<String, Integer> seen = seenByCluster.computeIfAbsent(cluster, k -> new HashMap<>());
            checkUnique(s, seen, "number", "number " + node.number());
            checkUnique(s, seen, "name", "name " + node.name());
            checkUnique(s, seen, "ip_port", "address " + node.endpoint());
            nodesByCluster.computeIfAbsent(cluster, k -> new ArrayList<>()).add(node);
        }

        for (Stanza c : clusters.values()) {
            Param count = c.params.get("node_count");
            if (count != null) {
                String name = c.params.get("name").value;
                int expected = parseInt(c, count, "node_count");
                int actual = nodesByCluster.getOrDefault(name, List.of()).size();
                if (expected != actual) {
                    throw new ConfigParseException(
                            source,
                            count.line,
                            "cluster " + name + " has node_count " + expected + " but " + actual + " node stanza"
                                    + (actual == 1 ? "" : "s"));
                }
            }
        }

        String chosen = clusterName;
        if (chosen == null) {
            if (clusters.size() != 1) {
                throw new ConfigParseException(
                        source,
                        0,
                        clusters.size() + " clusters are defined " + clusters.keySet() + "; name the one to use");
            }
            chosen = clusters.keySet().iterator().next();
        } else if (!clusters.containsKey(chosen)) {
            throw new ConfigParseException(
                    source, 0, "no cluster named " + chosen + " (defined: " + clusters.keySet() + ")");
        }
        Stanza c = clusters.get(chosen);
        try {
            ClusterConfig.checkClusterName(chosen);
        } catch (IllegalArgumentException e) {
            throw c.error("name", e.getMessage());
        }
        return ClusterConfig.newBuilder().name(chosen).addNodes(nodesByCluster.getOrDefault(chosen, List.of()));
    }

    private static Node toNode(Stanza s) throws ConfigParseException {
        int number = parseInt(s, s.param("number"), "number");
        int port = parseInt(s, s.param("ip_port"), "ip_port");
        String name = s.require("name");
        String address = s.require("ip_address");
        try {
            Node.checkNumber(number);
        } catch (IllegalArgumentException e) {
            throw s.error("number", e.getMessage());
        }
        try {
            Node.checkPort(port);
        } catch (IllegalArgumentException e) {
            throw s.error("ip_port", e.getMessage());
        }
        try {
            Node.checkName(name);
        } catch (IllegalArgumentException e) {
            throw s.error("name", e.getMessage());
        }
        try {
            return Node.of(number, name, Node.parseIpv4(address), port);
        } catch (IllegalArgumentException e) {
            throw s.error("ip_address", e.getMessage());
        }
    }

    /** Records the line of {@code key} under {@code what}; fails if another node stanza already used the value. */
    private static void checkUnique(Stanza s, Map<String, Integer> seen, String key, String what)
            throws ConfigParseException {
        Integer previous = seen.putIfAbsent(what, s.params.get(key).line);
        if (previous != null) {
            throw s.error(key, "duplicate node " + what + " (first at line " + previous + ")");
        }
    }

    private static int parseInt(Stanza s, Param p, String key) throws ConfigParseException {
        try {
            return Integer.parseInt(p.value);
        } catch (NumberFormatException e) {
            throw new ConfigParseException(s.source, p.line, key + " '" + p.value + "' is not a number");
        }
    }

    private static List<Stanza> readStanzas(Reader reader, String source) throws IOException {
        BufferedReader in = reader instanceof BufferedReader ? (BufferedReader) reader : new BufferedReader(reader);
        List<Stanza> stanzas = new ArrayList<>();
        Stanza current = null;
        String text;
        int lineNo = 0;
        while ((text = in.readLine()) != null) {
            lineNo++;
            String trimmed = text.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            boolean indented = Character.isWhitespace(text.charAt(0));
            if (!indented) {
                if (!trimmed.endsWith(":")
                        || trimmed.length() == 1
                        || !trimmed.substring(0, trimmed.length() - 1).chars().allMatch(ClusterConfParser::isWord)) {
                    throw new ConfigParseException(
                            source,
                            lineNo,
                            "expected a stanza header such as 'node:' in the " + "first column, got '" + trimmed
                                    + "' (parameters must be indented)");
                }
                current = new Stanza(source, trimmed.substring(0, trimmed.length() - 1), lineNo);
                stanzas.add(current);
                continue;
            }
            if (current == null) {
                throw new ConfigParseException(
                        source, lineNo, "parameter '" + trimmed + "' before any stanza " + "header");
            }
            int eq = trimmed.indexOf('=');
            String key = eq < 0 ? "" : trimmed.substring(0, eq).strip();
            if (eq < 0 || key.isEmpty() || !key.chars().allMatch(ClusterConfParser::isWord)) {
                throw new ConfigParseException(source, lineNo, "expected 'key = value', got '" + trimmed + "'");
            }
            String value = trimmed.substring(eq + 1).strip();
            Param previous = current.params.putIfAbsent(key, new Param(value, lineNo));
            if (previous != null) {
                throw new ConfigParseException(
                        source,
                        lineNo,
                        "duplicate key '" + key + "' in " + current.type + " stanza (first at line " + previous.line
                                + ")");
            }
        }
        return stanzas;
    }

    private static boolean isWord(int c) {
        return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static final class Param {
        final String value;
        final int line;

        Param(String value, int line) {
            this.value = value;
            this.line = line;
        }
    }

    private static final class Stanza {
        final String source;
        final String type;
        final int line;
        final Map<String, Param> params = new HashMap<>();

        Stanza(String source, String type, int line) {
            this.source = source;
            this.type = type;
            this.line = line;
        }

        Param param(String key) throws ConfigParseException {
            Param p = params.get(key);
            if (p == null) {
                throw new ConfigParseException(source, line, type + " stanza has no '" + key + "'");
            }
            if (p.value.isEmpty()) {
                throw new ConfigParseException(source, p.line, "'" + key + "' has an empty value");
            }
            return p;
        }

        String require(String key) throws ConfigParseException {
            return param(key).value;
        }

        /** An error on the line of {@code key}, or on the header line if the key is absent. */
        ConfigParseException error(String key, String message) {
            Param p = params.get(key);
            return new ConfigParseException(source, p != null ? p.line : line, message);
        }
    }
}
