// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ocfs2.o2net.cli.testhandlers.EchoHandlers;
import org.ocfs2.o2net.cli.testhandlers.TestHandlers;
import org.ocfs2.o2net.config.ClusterConfig;
import org.ocfs2.o2net.node.LocalHeartbeat;
import org.ocfs2.o2net.node.O2netNode;

/**
 * {@code o2net probe} against a real {@link O2netNode} in this JVM over loopback: node 1 listens on 127.0.0.1 at a
 * port the OS chose; the probe speaks as node 2 (127.0.0.2), which the node's heartbeat sees alive, so the node's
 * accept checks pass. One test per outcome: a match (v11, v12, with a call), and each field that can disagree.
 */
class ProbeTest {
    @TempDir
    Path dir;

    private final LocalHeartbeat hb = LocalHeartbeat.immediate();
    private final List<AutoCloseable> closeAtEnd = new ArrayList<>();
    private int port;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeAtEnd.size() - 1; i >= 0; i--) {
            closeAtEnd.get(i).close();
        }
        hb.close();
    }

    /** Starts node 1 with the kernel's default timeouts and the echo handler; returns its endpoint. */
    private String startNode(boolean reliable) {
        ServerSocketChannel listener = O2netNode.listen("127.0.0.1", 0);
        port = O2netNode.port(listener);
        ServerSocketChannel probeSide = O2netNode.listen("127.0.0.2", 0); // holds node 2's configured port
        closeAtEnd.add(probeSide);
        ClusterConfig config = ClusterConfig.newBuilder()
                .name("demo")
                .reliable(reliable)
                .addNode(1, "n1", "127.0.0.1", port)
                .addNode(2, "n2", "127.0.0.2", O2netNode.port(probeSide))
                .localNode(1)
                .build();
        O2netNode node =
                O2netNode.builder(config, hb.join(1)).serverChannel(listener).build();
        hb.join(2); // the probe's node heartbeats, as node 1 sees it
        new EchoHandlers().register(node);
        node.start();
        closeAtEnd.add(node);
        return "127.0.0.1:" + port;
    }

    private static Cli probe(String target, String... more) {
        List<String> args = new ArrayList<>(List.of("probe", target, "--node", "1", "--bind", "127.0.0.2"));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void v11MatchPrintsTheHandshakeAndTimesKeepalives() {
        String target = startNode(false);
        Cli c = probe(target, "--keepalives", "4");
        assertEquals(ExitCodes.OK, c.exitCode, c.toString());
        assertTrue(c.out.contains("handshake: every checked field matches"), c.toString());
        // the kernel's handshake with default timeouts, byte for byte (kernel-lab.md)
        assertTrue(
                c.out.contains("theirs: 000000000000000b 0000000000000001 0000ea60 00007530 000007d0 000007d0"),
                c.toString());
        assertTrue(c.out.contains("o2net_idle_timeout_ms"), c.toString());
        for (int i = 1; i <= 4; i++) {
            assertTrue(c.out.contains("keepalive " + i + ": "), c.toString());
        }
        assertTrue(c.out.contains("keepalive round trips (4): min "), c.toString());
    }

    @Test
    void v12MatchMakesACallAndRemovesItsMessageHolder() {
        String target = startNode(true);
        // echo: payload "42" -> status 42
        Cli c = probe(
                target, "--protocol", "v12", "--keepalives", "1", "--call", TestHandlers.ECHO + ":0x74657374:3432");
        assertEquals(ExitCodes.OK, c.exitCode, c.toString());
        assertTrue(c.out.contains("theirs: 000000000000000c"), c.toString());
        assertTrue(c.out.contains("sys_status 0 NONE, status 42"), c.toString());
        assertTrue(c.out.contains("msg_seq 1"), c.toString());
        assertTrue(c.out.contains("message holder removed"), c.toString());
    }

    @Test
    void callOfAnUnregisteredTypeShowsNoHandler() {
        String target = startNode(false);
        Cli c = probe(target, "--keepalives", "0", "--call", "99:0x74657374");
        assertEquals(ExitCodes.OK, c.exitCode, c.toString());
        assertTrue(c.out.contains("sys_status 1 NO_HNDLR (ENOPROTOOPT -92 for the caller)"), c.toString());
    }

    @Test
    void versionMismatchIsNamed() {
        String target = startNode(true);
        Cli c = probe(target, "--protocol", "v11");
        assertEquals(ExitCodes.MISMATCH, c.exitCode, c.toString());
        assertTrue(
                c.out.contains("node 1 at " + target + " advertised net protocol version 12 but 11 is required. "
                        + "Disconnecting."),
                c.toString());
        assertTrue(c.out.contains("protocol_version: ours 11, theirs 12"), c.toString());
    }

    @Test
    void idleTimeoutMismatchIsNamed() {
        String target = startNode(false);
        Cli c = probe(target, "--idle-ms", "29999");
        assertEquals(ExitCodes.MISMATCH, c.exitCode, c.toString());
        // the kernel's notice, as the kernel lab saw it (there from the kernel's side)
        assertTrue(
                c.out.contains(
                        "uses a network idle timeout of 30000 ms, but we use 29999 ms locally. " + "Disconnecting."),
                c.toString());
        assertTrue(c.out.contains("o2net_idle_timeout_ms: ours 29999, theirs 30000"), c.toString());
    }

    @Test
    void keepaliveMismatchIsNamed() {
        String target = startNode(false);
        Cli c = probe(target, "--keepalive-ms", "1000");
        assertEquals(ExitCodes.MISMATCH, c.exitCode, c.toString());
        assertTrue(c.out.contains("uses a keepalive delay of 2000 ms, but we use 1000 ms locally"), c.toString());
        assertTrue(c.out.contains("o2net_keepalive_delay_ms: ours 1000, theirs 2000"), c.toString());
    }

    @Test
    void heartbeatTimeoutMismatchIsNamed() {
        String target = startNode(false);
        Cli c = probe(target, "--hb-timeout-ms", "12000");
        assertEquals(ExitCodes.MISMATCH, c.exitCode, c.toString());
        assertTrue(c.out.contains("uses a heartbeat timeout of 60000 ms, but we use 12000 ms locally"), c.toString());
        assertTrue(c.out.contains("o2hb_heartbeat_timeout_ms: ours 12000, theirs 60000"), c.toString());
    }

    @Test
    void everyDisagreeingFieldIsListedAndTheKernelsFirstCheckNamed() {
        String target = startNode(false);
        Cli c = probe(target, "--idle-ms", "40000", "--keepalive-ms", "3000", "--reconnect-ms", "5000");
        assertEquals(ExitCodes.MISMATCH, c.exitCode, c.toString());
        assertTrue(
                c.out.contains("MISMATCH: o2net: node 1 at " + target + " uses a network idle timeout"), c.toString());
        assertTrue(c.out.contains("o2net_keepalive_delay_ms: ours 3000, theirs 2000"), c.toString());
        // the reconnect delay is sent but never checked, as in the kernel
        assertTrue(!c.out.contains("o2net_reconnect_delay_ms: ours"), c.toString());
        Matcher m = Pattern.compile("o2net_reconnect_delay_ms +28 +5000 +2000 +\\(not checked\\)")
                .matcher(c.out);
        assertTrue(m.find(), c.toString());
    }

    @Test
    void settingsComeFromClusterConf() throws IOException {
        String target = startNode(false);
        Path conf = dir.resolve("cluster.conf");
        Files.writeString(
                conf,
                "cluster:\n\tname = demo\n\n"
                        + "node:\n\tip_port = " + port
                        + "\n\tip_address = 127.0.0.1\n\tnumber = 1\n\tname = n1\n\tcluster = demo\n\n"
                        + "node:\n\tip_port = 7777\n\tip_address = 127.0.0.2\n\tnumber = 2\n\tname = n2\n\tcluster = demo\n");
        Path sys = dir.resolve("o2cb");
        Files.writeString(sys, "O2CB_IDLE_TIMEOUT_MS=20000\n");
        Cli c = Cli.run(
                "probe",
                target,
                "--node",
                "1",
                "--config",
                conf.toString(),
                "--local-node",
                "n2",
                "--sysconfig",
                sys.toString());
        assertEquals(ExitCodes.MISMATCH, c.exitCode, c.toString());
        assertTrue(c.out.contains("from 127.0.0.2:"), c.toString());
        assertTrue(c.out.contains("o2net_idle_timeout_ms: ours 20000, theirs 30000"), c.toString());
    }

    @Test
    void refusedConnectionIsAProtocolFailureWithAHint() {
        String target = startNode(false);
        // from 127.0.0.3, which is no configured node: the node refuses without a handshake
        Cli c = Cli.run("probe", target, "--node", "1", "--bind", "127.0.0.3");
        assertEquals(ExitCodes.PROTOCOL, c.exitCode, c.toString());
        assertTrue(c.out.contains("closed the connection before sending its whole handshake"), c.toString());
    }

    /** A fake peer on 127.0.0.1 that reads our handshake, then writes {@code reply} and waits for our close. */
    private String fakePeer(byte[] reply) throws IOException {
        java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"));
        closeAtEnd.add(server);
        Thread t = new Thread(() -> {
            try (java.net.Socket s = server.accept()) {
                s.getInputStream().readNBytes(32);
                s.getOutputStream().write(reply);
                s.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException e) {
                // the probe closed
            }
        });
        t.setDaemon(true);
        t.start();
        return "127.0.0.1:" + server.getLocalPort();
    }

    private static byte[] kernelHandshake(long version) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(32);
        b.putLong(version).putLong(1).putInt(60000).putInt(30000).putInt(2000).putInt(2000);
        return b.array();
    }

    @Test
    void bytesThatAreNotO2netAreAProtocolError() throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(32 + 24);
        b.put(kernelHandshake(11)).putShort((short) 0x1234); // then a header with an unknown magic
        String target = fakePeer(b.array());
        Cli c = Cli.run("probe", target, "--node", "1");
        assertEquals(ExitCodes.PROTOCOL, c.exitCode, c.toString());
        assertTrue(c.out.contains("handshake: every checked field matches"), c.toString());
        assertTrue(c.out.contains("protocol error from node 1 at " + target), c.toString());
        assertTrue(c.out.contains("0x1234"), c.toString());
    }

    @Test
    void anOlderProtocolVersionIsNamed() throws IOException {
        String target = fakePeer(kernelHandshake(10));
        Cli c = Cli.run("probe", target, "--node", "1");
        assertEquals(ExitCodes.MISMATCH, c.exitCode, c.toString());
        assertTrue(c.out.contains("advertised net protocol version 10 but 11 is required"), c.toString());
        assertTrue(c.out.contains("theirs: 000000000000000a 0000000000000001 0000ea60"), c.toString());
    }

    @Test
    void silenceIsAProtocolFailureAfterTheTimeout() throws IOException {
        String target = fakePeer(kernelHandshake(11)); // then nothing: no keepalive response
        Cli c = Cli.run("probe", target, "--node", "1", "--timeout-ms", "300");
        assertEquals(ExitCodes.PROTOCOL, c.exitCode, c.toString());
        assertTrue(c.out.contains("no keepalive response 1 from node 1 at " + target + " within 300 ms"), c.toString());
    }

    @Test
    void nothingListeningIsAConnectFailure() throws IOException {
        int closedPort;
        try (ServerSocketChannel ch = O2netNode.listen("127.0.0.1", 0)) {
            closedPort = O2netNode.port(ch);
        }
        Cli c = Cli.run("probe", "127.0.0.1:" + closedPort, "--node", "1");
        assertEquals(ExitCodes.CONNECT, c.exitCode, c.toString());
        assertTrue(c.out.contains("cannot connect to node 1 at 127.0.0.1:" + closedPort), c.toString());
    }
}
