// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ocfs2.o2net.node.ListenPorts;
import org.ocfs2.o2net.node.O2netNode;

/**
 * Three {@code o2net node} processes, each its own JVM, on 127.0.0.1..3 sharing one heartbeat region file: they see
 * each other through the disk heartbeat, connect, and call each other's test handlers through {@code o2net call}.
 * Then node 3 gets SIGTERM with calls in progress both ways: its own call fails with a clear error, the call to it
 * fails once the others' heartbeat sees it down (v12; in v11 at once, as the connection drops), the others log it
 * down, and it exits 0. Once in each protocol.
 */
class MultiProcessTest {
    private static final int NODES = 3;
    private static final long START_S = 60;
    private static final long EVENT_S = 30;

    @TempDir
    Path dir;

    private final List<NodeProcess> processes = new ArrayList<>();

    @AfterEach
    void killAll() throws InterruptedException {
        for (NodeProcess p : processes) {
            p.close();
        }
    }

    private Path socket(int n) {
        return dir.resolve("n" + n + ".sock");
    }

    private Cli call(int from, int to, int type, String payload) {
        return Cli.run(
                "call",
                "--admin-socket",
                socket(from).toString(),
                "--to",
                "n" + to,
                "--type",
                String.valueOf(type),
                "--key",
                "0x74657374",
                "--payload-text",
                payload);
    }

    private JsonNode status(int n) throws IOException {
        Cli c = Cli.run("status", "--admin-socket", socket(n).toString(), "--json");
        assertEquals(ExitCodes.OK, c.exitCode, c.toString());
        return AdminServer.JSON.readTree(c.out);
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> l = new ArrayList<>();
        array.forEach(v -> l.add(v.asInt()));
        return l;
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(strings = {"v12", "v11"})
    void threeNodeProcessesCallEachOtherAndOneStopsOnSigterm(String protocol) throws Exception {
        // ports below the ephemeral range (where no outbound connection takes them), released just before the
        // node processes bind them again
        int[] ports = new int[NODES + 2];
        for (int n = 1; n <= NODES + 1; n++) {
            try (ServerSocketChannel ch = ListenPorts.belowEphemeralRange("127.0.0." + n)) {
                ports[n] = O2netNode.port(ch);
            }
        }
        // node 4 runs no node: the probe speaks as it
        StringBuilder conf = new StringBuilder("cluster:\n\tnode_count = " + (NODES + 1) + "\n\tname = demo\n");
        for (int n = 1; n <= NODES + 1; n++) {
            conf.append("\nnode:\n\tip_port = ")
                    .append(ports[n])
                    .append("\n\tip_address = 127.0.0.")
                    .append(n)
                    .append("\n\tnumber = ")
                    .append(n)
                    .append("\n\tname = n")
                    .append(n)
                    .append("\n\tcluster = demo\n");
        }
        Path clusterConf = Files.writeString(dir.resolve("cluster.conf"), conf);
        Path sysconfig = Files.writeString(dir.resolve("o2cb"), "O2CB_BOOTCLUSTER=demo\nO2CB_HEARTBEAT_THRESHOLD=7\n");
        Path region = dir.resolve("region");
        Files.write(region, new byte[(1 + 255) * 512]); // start_block 1, 255 slots of 512 bytes, zeroed

        for (int n = 1; n <= NODES; n++) {
            processes.add(NodeProcess.start(
                    "node " + n,
                    dir,
                    "node",
                    "--config",
                    clusterConf.toString(),
                    "--sysconfig",
                    sysconfig.toString(),
                    "--node-number",
                    String.valueOf(n),
                    "--region",
                    region.toString(),
                    "--hb-interval-ms",
                    "200",
                    "--admin-socket",
                    socket(n).toString(),
                    "--handlers",
                    "echo,counter,slow",
                    "--protocol",
                    protocol));
        }
        for (int n = 1; n <= NODES; n++) {
            processes.get(n - 1).awaitLine("o2net: node " + n + " (n" + n + ") running", START_S);
        }
        // o2net connects once heartbeat sees the peer: the higher-numbered node logs "Connected to", the lower one
        // "Accepted connection from"
        for (int n = 1; n <= NODES; n++) {
            for (int m = 1; m <= NODES; m++) {
                if (m != n) {
                    String notice = (n > m ? "o2net: Connected to node n" : "o2net: Accepted connection from node n")
                            + m + " (num " + m + ")";
                    processes.get(n - 1).awaitLine(notice, START_S);
                }
            }
        }

        for (int from = 1; from <= NODES; from++) {
            for (int to = 1; to <= NODES; to++) {
                if (from != to) {
                    Cli c = call(from, to, 1, String.valueOf(100 * from + to));
                    assertEquals(ExitCodes.OK, c.exitCode, c.toString());
                    assertTrue(c.out.startsWith("node " + to + ": status " + (100 * from + to) + " "), c.toString());
                }
            }
        }
        assertTrue(call(2, 1, 2, "").out.startsWith("node 1: status 1 "));
        assertTrue(call(3, 1, 2, "").out.startsWith("node 1: status 2 "));
        // o2net call as its own process too
        try (NodeProcess caller = NodeProcess.start(
                "call",
                dir,
                "call",
                "--admin-socket",
                socket(2).toString(),
                "--to",
                "3",
                "--type",
                "1",
                "--key",
                "0x74657374",
                "--payload-text",
                "77")) {
            caller.awaitLine("node 3: status 77 (sys_status NONE)", START_S);
            assertEquals(ExitCodes.OK, caller.awaitExit(START_S));
        }
        // o2net probe as node 4, heartbeating on the region meanwhile so that node 1 accepts it
        Cli probe = Cli.run(
                "probe",
                "127.0.0.1:" + ports[1],
                "--node",
                "1",
                "--config",
                clusterConf.toString(),
                "--sysconfig",
                sysconfig.toString(),
                "--local-node",
                "n4",
                "--protocol",
                protocol,
                "--region",
                region.toString(),
                "--hb-interval-ms",
                "200",
                "--keepalives",
                "2",
                "--call",
                "1:0x74657374:3432");
        assertEquals(ExitCodes.OK, probe.exitCode, probe.toString());
        assertTrue(probe.out.contains("handshake: every checked field matches"), probe.toString());
        assertTrue(probe.out.contains("sys_status 0 NONE, status 42"), probe.toString());
        processes.get(0).awaitLine("o2net: Accepted connection from node n4 (num 4)", EVENT_S);
        processes.get(0).awaitLine("o2net: heartbeat: node 4 is down", EVENT_S);

        JsonNode s1 = status(1);
        assertEquals(List.of(2, 3), ints(s1.path("connectedNodes")));
        assertEquals(NODES, s1.path("heartbeat").path("liveNodes").size());
        assertEquals(protocol, s1.path("node").path("protocol").asText());
        assertEquals(
                s1.path("node").path("incarnation").asText(),
                s1.path("heartbeat").path("liveNodes").get(0).path("generation").asText(),
                "the node's incarnation is its heartbeat generation");

        // calls in progress both ways when node 3 gets SIGTERM
        CompletableFuture<Cli> fromNode3 = CompletableFuture.supplyAsync(() -> call(3, 1, 3, "600000"));
        CompletableFuture<Cli> toNode3 = CompletableFuture.supplyAsync(() -> call(1, 3, 3, "600000"));
        Cli.await(
                "node 3's slow call in its send tracking", () -> sendTrackingSize(3) == 1 && sendTrackingSize(1) == 1);
        NodeProcess node3 = processes.get(2);
        node3.terminate();
        assertEquals(ExitCodes.OK, node3.awaitExit(EVENT_S), node3.output());
        node3.awaitLine("o2net: node 3 stopping on SIGTERM", EVENT_S);
        node3.awaitLine("o2net: node 3 stopped", EVENT_S);

        Cli own = fromNode3.get(EVENT_S, TimeUnit.SECONDS);
        assertEquals(ExitCodes.FAILED, own.exitCode, own.toString());
        assertTrue(
                own.out.contains("error -112 EHOSTDOWN") && own.out.contains("node 3 is shutting down"),
                own.toString());
        Cli toDead = toNode3.get(EVENT_S, TimeUnit.SECONDS);
        assertEquals(ExitCodes.FAILED, toDead.exitCode, toDead.toString());
        assertTrue(toDead.out.contains("error -112 EHOSTDOWN"), toDead.toString());

        for (int n = 1; n <= 2; n++) {
            NodeProcess p = processes.get(n - 1);
            p.awaitLine("o2net: No longer connected to node n3 (num 3)", EVENT_S);
            p.awaitLine("o2net: heartbeat: node 3 is down", EVENT_S);
            int self = n;
            Cli.await("node " + n + " to see node 3 down", () -> {
                try {
                    JsonNode s = status(self);
                    return ints(s.path("connectedNodes")).equals(List.of(3 - self))
                            && s.path("heartbeat").path("liveNodes").size() == 2;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        JsonNode s2 = status(2);
        for (JsonNode peer : s2.path("peers")) {
            if (peer.path("node").asInt() == 3) {
                assertEquals("down", peer.path("state").asText(), peer.toString());
            }
        }

        for (int n = 1; n <= 2; n++) {
            processes.get(n - 1).terminate();
        }
        for (int n = 1; n <= 2; n++) {
            assertEquals(
                    ExitCodes.OK,
                    processes.get(n - 1).awaitExit(EVENT_S),
                    processes.get(n - 1).output());
        }
    }

    private int sendTrackingSize(int n) {
        Cli c = Cli.run("send-tracking", "--admin-socket", socket(n).toString(), "--json");
        try {
            return c.exitCode == 0
                    ? AdminServer.JSON.readTree(c.out).path("calls").size()
                    : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
