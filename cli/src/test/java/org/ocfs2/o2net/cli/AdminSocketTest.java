// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ocfs2.o2net.config.ClusterConfig;
import org.ocfs2.o2net.node.LocalHeartbeat;
import org.ocfs2.o2net.node.NodeLiveness;
import org.ocfs2.o2net.node.O2netNode;

/**
 * {@code o2net status}, {@code send-tracking} and {@code call} through real admin sockets (in a temporary directory)
 * of two nodes running in this JVM, as {@code o2net node} runs them, with {@link LocalHeartbeat} for the heartbeat.
 */
class AdminSocketTest {
    @TempDir
    Path dir;

    private final LocalHeartbeat hb = LocalHeartbeat.immediate();
    private final RunningNode[] nodes = new RunningNode[3];
    private final Path[] sockets = new Path[3];

    @BeforeEach
    void startTwoNodes() {
        ServerSocketChannel[] listeners = new ServerSocketChannel[3];
        for (int n = 1; n <= 2; n++) {
            listeners[n] = O2netNode.listen("127.0.0." + n, 0);
        }
        NodeLiveness[] views = new NodeLiveness[3];
        for (int n = 1; n <= 2; n++) {
            views[n] = hb.join(n);
        }
        for (int n = 1; n <= 2; n++) {
            ClusterConfig.Builder b = ClusterConfig.newBuilder().name("demo").localNode(n);
            for (int m = 1; m <= 2; m++) {
                b.addNode(m, "n" + m, "127.0.0." + m, O2netNode.port(listeners[m]));
            }
            sockets[n] = dir.resolve("n" + n + ".sock");
            nodes[n] = RunningNode.start(
                    b.build(),
                    views[n],
                    null,
                    null,
                    HandlerProvider.select(List.of("echo", "counter", "slow")),
                    sockets[n],
                    listeners[n]);
        }
        Cli.await(
                "nodes 1 and 2 connected",
                () -> nodes[2].node().connectedNodes().contains(1)
                        && nodes[1].node().connectedNodes().contains(2));
    }

    @AfterEach
    void stop() {
        for (RunningNode n : nodes) {
            if (n != null) {
                n.close();
            }
        }
        hb.close();
    }

    private Cli call(int from, String to, String type, String... payload) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "call", "--admin-socket", sockets[from].toString(), "--to", to, "--type", type, "--key", "0x74657374"));
        args.addAll(List.of(payload));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void callPrintsTheHandlersStatus() {
        Cli echo = call(1, "n2", "1", "--payload-text", "42");
        assertEquals(ExitCodes.OK, echo.exitCode, echo.toString());
        assertTrue(echo.out.startsWith("node 2: status 42 (sys_status NONE)"), echo.toString());

        Cli byNumber = call(2, "1", "1", "--payload-hex", "2d37"); // "-7"
        assertEquals(ExitCodes.OK, byNumber.exitCode, byNumber.toString());
        assertTrue(byNumber.out.startsWith("node 1: status -7"), byNumber.toString());

        for (int i = 1; i <= 3; i++) {
            Cli counter = call(1, "n2", "2");
            assertTrue(counter.out.startsWith("node 2: status " + i + " "), counter.toString());
        }
    }

    @Test
    void failedCallPrintsErrnoAndSysStatus() {
        Cli c = call(1, "n2", "99");
        assertEquals(ExitCodes.FAILED, c.exitCode, c.toString());
        assertTrue(c.out.contains("node 2: error -92 ENOPROTOOPT (sys_status NO_HNDLR)"), c.toString());

        Cli json = Cli.run(
                "call", "--admin-socket", sockets[1].toString(), "--to", "n2", "--type", "99", "--key", "1", "--json");
        assertEquals(ExitCodes.FAILED, json.exitCode, json.toString());
        assertTrue(json.out.contains("\"errno\":\"ENOPROTOOPT\""), json.toString());

        Cli self = call(1, "n1", "1", "--payload-text", "1");
        assertEquals(ExitCodes.FAILED, self.exitCode, self.toString());
        assertTrue(self.out.contains("ELOOP"), self.toString());

        Cli unknown = call(1, "n7", "1");
        assertEquals(ExitCodes.USAGE, unknown.exitCode, unknown.toString());
        assertTrue(unknown.err.contains("--to n7: no node of cluster demo has that name"), unknown.toString());
    }

    @Test
    void statusShowsPeersHeartbeatAndStatistics() throws Exception {
        assertEquals(ExitCodes.OK, call(1, "n2", "1", "--payload-text", "5").exitCode);

        Cli json = Cli.run("status", "--admin-socket", sockets[1].toString(), "--json");
        assertEquals(ExitCodes.OK, json.exitCode, json.toString());
        JsonNode s = AdminServer.JSON.readTree(json.out);
        assertEquals(1, s.path("node").path("number").asInt());
        assertEquals("v12", s.path("node").path("protocol").asText());
        assertEquals(30000, s.path("node").path("idleTimeoutMs").asInt());
        assertEquals(2, s.path("connectedNodes").get(0).asInt());
        JsonNode peer = s.path("peers").get(0);
        assertEquals(2, peer.path("node").asInt());
        assertEquals("connected", peer.path("state").asText());
        assertEquals("acceptor", peer.path("role").asText());
        assertEquals(
                "0x" + Long.toHexString(nodes[2].node().incarnation()),
                peer.path("peerIncarnation").asText());
        assertEquals(1, peer.path("stats").path("calls").asLong());
        assertEquals(2, s.path("heartbeat").path("liveNodes").size());

        Cli table = Cli.run("status", "--admin-socket", sockets[2].toString());
        assertEquals(ExitCodes.OK, table.exitCode, table.toString());
        assertTrue(table.out.startsWith("node 2 (n2) at 127.0.0.2:"), table.toString());
        assertTrue(table.out.contains("connected nodes: 1"), table.toString());
        assertTrue(
                table.out
                        .lines()
                        .anyMatch(l -> l.startsWith("1 ") && l.contains("connector") && l.contains("connected")),
                table.toString());
        assertTrue(table.out.contains("HANDLED"), table.toString());
    }

    @Test
    void sendTrackingShowsACallInProgressAndShutdownFailsIt() throws Exception {
        CompletableFuture<Cli> slow =
                CompletableFuture.supplyAsync(() -> call(1, "n2", "3", "--payload-text", "600000"));
        Cli.await(
                "the slow call on node 1's send tracking",
                () -> nodes[1].node().sendTracking().size() == 1);

        Cli json = Cli.run("send-tracking", "--admin-socket", sockets[1].toString(), "--json");
        assertEquals(ExitCodes.OK, json.exitCode, json.toString());
        JsonNode call = AdminServer.JSON.readTree(json.out).path("calls").get(0);
        assertEquals(2, call.path("node").asInt());
        assertEquals(3, call.path("msgType").asInt());
        assertEquals("0x74657374", call.path("key").asText());
        assertEquals("IN_FLIGHT", call.path("state").asText());
        assertEquals(1, call.path("msgSeq").asLong());

        Cli table = Cli.run("send-tracking", "--admin-socket", sockets[1].toString());
        assertTrue(table.out.startsWith("node 1: 1 call(s) in progress"), table.toString());
        assertTrue(table.out.contains("IN_FLIGHT"), table.toString());

        Cli status = Cli.run("status", "--admin-socket", sockets[1].toString());
        assertTrue(status.out.contains("calls in progress: 1"), status.toString());

        // node 1 stops as on SIGTERM: the call in progress fails with a clear error, nothing hangs
        nodes[1].close();
        Cli failed = slow.get(30, TimeUnit.SECONDS);
        assertEquals(ExitCodes.FAILED, failed.exitCode, failed.toString());
        assertTrue(failed.out.contains("error -112 EHOSTDOWN"), failed.toString());
        assertTrue(failed.out.contains("node 1 is shutting down"), failed.toString());
        assertFalse(Files.exists(sockets[1]), "the admin socket file is removed");
    }

    @Test
    void badRequestsAreAnsweredWithAnError() {
        JsonNode a = AdminClient.request(sockets[1], "reboot", null);
        assertFalse(a.path("ok").asBoolean());
        assertTrue(a.path("error").asText().contains("unknown request 'reboot'"), a.toString());

        JsonNode b = AdminClient.request(
                sockets[1], "call", AdminServer.JSON.createObjectNode().put("to", 2));
        assertFalse(b.path("ok").asBoolean());
        assertTrue(b.path("error").asText().contains("'type' is missing"), b.toString());
    }

    @Test
    void aSecondNodeCannotTakeALiveSocket() {
        CliException e = org.junit.jupiter.api.Assertions.assertThrows(
                CliException.class, () -> AdminServer.start(sockets[1], (v, a) -> AdminServer.JSON.createObjectNode()));
        assertTrue(e.getMessage().contains("another node answers on this socket"), e.getMessage());
    }
}
