// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.config;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterConfParserTest {
    /** As o2cb(8) writes it: tab-indented, global heartbeat, stanzas separated by blank lines. */
    static final String THREE_NODES = String.join(
            "\n",
            "cluster:", // 1
            "\theartbeat_mode = global", // 2
            "\tnode_count = 3", // 3
            "\tname = webcluster", // 4
            "", // 5
            "node:", // 6
            "\tnumber = 7", // 7
            "\tcluster = webcluster", // 8
            "\tip_port = 7777", // 9
            "\tip_address = 192.168.0.107", // 10
            "\tname = node7", // 11
            "", // 12
            "node:", // 13
            "\tnumber = 6", // 14
            "\tcluster = webcluster", // 15
            "\tip_port = 7777", // 16
            "\tip_address = 192.168.0.106", // 17
            "\tname = node6", // 18
            "", // 19
            "node:", // 20
            "\tnumber = 10", // 21
            "\tcluster = webcluster", // 22
            "\tip_port = 7777", // 23
            "\tip_address = 192.168.0.110", // 24
            "\tname = node10", // 25
            "", // 26
            "heartbeat:", // 27
            "\tcluster = webcluster", // 28
            "\tregion = 77D95EF51C0149D2823674FCC162CF8B", // 29
            "");

    private static ClusterConfig.Builder parse(String text, String cluster) throws IOException {
        return ClusterConfParser.parse(new StringReader(text), "cluster.conf", cluster);
    }

    /** Replaces line {@code lineNo} (1-based) of {@link #THREE_NODES}. */
    private static String withLine(int lineNo, String replacement) {
        List<String> lines = new ArrayList<>(List.of(THREE_NODES.split("\n", -1)));
        lines.set(lineNo - 1, replacement);
        return String.join("\n", lines);
    }

    private static ConfigParseException assertError(String text, int line, String... fragments) {
        ConfigParseException e = assertThrows(ConfigParseException.class, () -> parse(text, null));
        assertEquals(line, e.line(), e.getMessage());
        assertEquals("cluster.conf", e.source());
        assertTrue(
                e.getMessage().startsWith(line > 0 ? "cluster.conf:" + line + ": " : "cluster.conf: "), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' lacks '" + f + "'");
        }
        return e;
    }

    @Test
    void parsesARealisticThreeNodeFile() throws IOException {
        ClusterConfig c = parse(THREE_NODES, null).localNodeName("node6").build();
        assertEquals("webcluster", c.name());
        assertEquals(List.of(6, 7, 10), c.nodes().stream().map(Node::number).toList());
        assertEquals(
                List.of("node6", "node7", "node10"),
                c.nodes().stream().map(Node::name).toList());
        assertEquals("192.168.0.110:7777", c.node(10).endpoint());
        assertEquals(6, c.localNodeNumber());
        assertEquals(30000, c.idleTimeoutMs());
    }

    @Test
    void parsesFromAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cluster.conf");
        Files.writeString(file, THREE_NODES.replace("\n", "\r\n"), UTF_8);
        ClusterConfig c =
                ClusterConfParser.parse(file, "webcluster").localNode(7).build();
        assertEquals(3, c.nodes().size());
        ConfigParseException e = assertThrows(ConfigParseException.class, () -> ClusterConfParser.parse(file, "other"));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertThrows(NoSuchFileException.class, () -> ClusterConfParser.parse(dir.resolve("none"), null));
    }

    @Test
    void toleratesCommentsSpacesUnknownStanzasAndKeys() throws IOException {
        String text = "# cluster layout\n"
                + "cluster:\n"
                + "    name = c1\n"
                + "    node_count = 1\n"
                + "    future_key = whatever\n"
                + "\n"
                + "   # indented comment\n"
                + "node:\n"
                + "\tname=solo\n"
                + "\tcluster=c1\n"
                + "\tnumber=0\n"
                + "\tip_address=10.0.0.1\t\n"
                + "\tip_port=7777\n"
                + "\tweight = 3\n"
                + "\n"
                + "quorum:\n"
                + "\tanything = goes\n";
        ClusterConfig c = parse(text, "c1").localNode(0).build();
        assertEquals(List.of(Node.of(0, "solo", "10.0.0.1", 7777)), c.nodes());
    }

    @Test
    void choosesAmongSeveralClusters() throws IOException {
        String text = "cluster:\n\tname = a\n\tnode_count = 1\n\n"
                + "cluster:\n\tname = b\n\tnode_count = 1\n\n"
                + "node:\n\tcluster = a\n\tnumber = 0\n\tname = n0\n\tip_address = 10.0.0.1\n\tip_port = 1\n\n"
                + "node:\n\tcluster = b\n\tnumber = 0\n\tname = n0\n\tip_address = 10.0.0.1\n\tip_port = 1\n";
        assertEquals("b", parse(text, "b").localNode(0).build().name());
        assertError(text, 0, "2 clusters are defined [a, b]; name the one to use");
        ConfigParseException e = assertThrows(ConfigParseException.class, () -> parse(text, "c"));
        assertTrue(e.getMessage().contains("no cluster named c"), e.getMessage());
    }

    @Test
    void clusterWithoutNodesGivesAnEmptyBuilder() throws IOException {
        ClusterConfig.Builder b = parse("cluster:\n\tname = lonely\n", null);
        assertTrue(b.nodes().isEmpty());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> b.localNode(0).build());
        assertTrue(e.getMessage().contains("no nodes"), e.getMessage());
    }

    @Test
    void parameterMustBeIndented() {
        assertError(withLine(9, "ip_port = 7777"), 9, "expected a stanza header", "'ip_port = 7777'");
    }

    @Test
    void headerMustEndWithColon() {
        assertError(withLine(13, "node"), 13, "'node'");
        assertError(withLine(13, "node: extra"), 13, "'node: extra'");
        assertError(withLine(13, ":"), 13, "':'");
    }

    @Test
    void parameterNeedsKeyAndEquals() {
        assertError(withLine(10, "\tip_address 192.168.0.107"), 10, "expected 'key = value'");
        assertError(withLine(10, "\t= 192.168.0.107"), 10, "expected 'key = value'");
        assertError(withLine(10, "\tip address = 192.168.0.107"), 10, "expected 'key = value'");
    }

    @Test
    void parameterBeforeAnyStanza() {
        assertError("\tname = x\ncluster:\n\tname = x\n", 1, "before any stanza header");
    }

    @Test
    void duplicateKeyInAStanza() {
        assertError(withLine(12, "\tnumber = 8"), 12, "duplicate key 'number' in node stanza (first at line 7)");
    }

    @Test
    void badNodeValuesNameTheirLine() {
        assertError(withLine(14, "\tnumber = 255"), 14, "node number 255 is out of range 0..254");
        assertError(withLine(14, "\tnumber = six"), 14, "number 'six' is not a number");
        assertError(withLine(16, "\tip_port = 70000"), 16, "port 70000 is out of range");
        assertError(withLine(16, "\tip_port = 0"), 16, "port 0");
        assertError(withLine(17, "\tip_address = 192.168.0"), 17, "'192.168.0' is not a dotted-quad");
        assertError(withLine(17, "\tip_address = node6.example.com"), 17, "node6.example.com");
        assertError(withLine(18, "\tname = node 6"), 18, "'node 6'");
        assertError(withLine(18, "\tname ="), 18, "'name' has an empty value");
    }

    @Test
    void missingNodeKeyNamesTheStanzaHeader() {
        assertError(withLine(16, ""), 13, "node stanza has no 'ip_port'");
        assertError(withLine(15, ""), 13, "node stanza has no 'cluster'");
        assertError(withLine(4, ""), 1, "cluster stanza has no 'name'");
    }

    @Test
    void duplicateNodesNameBothLines() {
        assertError(withLine(21, "\tnumber = 7"), 21, "duplicate node number 7 (first at line 7)");
        assertError(withLine(25, "\tname = node7"), 25, "duplicate node name node7 (first at line 11)");
        assertError(
                withLine(24, "\tip_address = 192.168.0.106"),
                23,
                "duplicate node address 192.168.0.106:7777 (first at line 16)");
    }

    @Test
    void nodeCountMustMatch() {
        assertError(withLine(3, "\tnode_count = 4"), 3, "cluster webcluster has node_count 4 but 3 node stanzas");
        assertError(withLine(3, "\tnode_count = many"), 3, "node_count 'many' is not a number");
    }

    @Test
    void nodeOfAnUnknownCluster() {
        assertError(withLine(22, "\tcluster = dbcluster"), 22, "cluster dbcluster, which has no cluster stanza");
    }

    @Test
    void clusterDefinedTwice() {
        String text = "cluster:\n\tname = a\n\ncluster:\n\tname = a\n";
        assertError(text, 5, "cluster a is defined twice (first at line 1)");
    }

    @Test
    void noClusterStanza() {
        assertError("# empty\n", 0, "no cluster stanza");
        assertError("heartbeat:\n\tregion = x\n", 0, "no cluster stanza");
    }

    @Test
    void badClusterNameIsReportedOnItsLine() {
        assertError(
                withLine(4, "\tname = web-cluster").replace("webcluster", "web-cluster"),
                4,
                "cluster name 'web-cluster'");
    }
}
