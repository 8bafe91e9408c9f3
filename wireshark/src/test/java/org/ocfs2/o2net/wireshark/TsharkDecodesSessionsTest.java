// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wireshark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ocfs2.o2net.bench.load.O2netTarget;
import org.ocfs2.o2net.node.PeerStats;
import org.ocfs2.o2net.wire.ProtocolVersion;

/**
 * Wireshark reads every protocol version: a real session between two nodes on loopback, captured by tshark on
 * {@code lo}, decoded with {@code wireshark/o2net.lua}: every frame decodes as its kind, none malformed, and the counts
 * match what the nodes say they wrote (the bench's two-node target counts every frame written).
 */
class TsharkDecodesSessionsTest {
    private static final Path MODULE = Path.of(System.getProperty("user.dir"));
    private static final Path LUA = MODULE.resolve("o2net.lua");
    private static String tshark;

    @TempDir
    Path dir;

    @BeforeAll
    static void setup() throws Exception {
        Process p = new ProcessBuilder(MODULE.resolve("bin/wireshark-setup").toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            fail("bin/wireshark-setup failed:\n" + out);
        }
        for (String line : out.split("\n")) {
            if (line.startsWith("TSHARK=")) {
                tshark = line.substring(7).trim();
            }
        }
        assertTrue(tshark != null, "bin/wireshark-setup printed no TSHARK=: " + out);
    }

    /** Runs {@code cmd}; its standard output (tshark's notes on stderr, such as running as root, are not data). */
    private static String run(List<String> cmd) throws IOException, InterruptedException {
        return run(cmd, true);
    }

    private static String run(List<String> cmd, boolean mustSucceed) throws IOException, InterruptedException {
        Path err = Files.createTempFile("tshark", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = p.waitFor();
            if (mustSucceed) {
                assertEquals(0, code, String.join(" ", cmd) + "\n" + out + Files.readString(err));
            }
            return out;
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private Path pcap(ProtocolVersion v) {
        return dir.resolve("o2net-" + v + ".pcapng");
    }

    private Path current;

    private List<String> decode(int[] ports) {
        return new ArrayList<>(List.of(
                tshark,
                "-r",
                current.toString(),
                "-X",
                "lua_script:" + LUA,
                "-d",
                "tcp.port==" + ports[0] + ",o2net",
                "-d",
                "tcp.port==" + ports[1] + ",o2net"));
    }

    private Map<String, Integer> kinds(int[] ports, boolean complete) throws IOException, InterruptedException {
        List<String> cmd = decode(ports);
        cmd.addAll(List.of("-T", "fields", "-e", "o2net.kind"));
        Map<String, Integer> count = new TreeMap<>();
        // while the capture is still being written its last packet may be cut short: tshark then exits 2
        for (String line : run(cmd, complete).split("\n")) {
            for (String k : line.trim().split(",")) {
                if (!k.isBlank()) {
                    count.merge(k.trim(), 1, Integer::sum);
                }
            }
        }
        return count;
    }

    private static long nonHandshake(Map<String, Integer> count) {
        return count.entrySet().stream()
                .filter(e -> !e.getKey().equals("HANDSHAKE"))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    private long decodedFrames(int[] ports) throws IOException, InterruptedException {
        return Files.size(current) == 0 ? 0 : nonHandshake(kinds(ports, false));
    }

    /**
     * "Capturing on" is printed before the filter sees every packet: connects to a probe socket on 127.0.0.2 until the
     * capture file holds one of its packets, so that the nodes' handshakes are captured too.
     */
    private void awaitCaptureLive(Path pcap, long deadline) throws IOException, InterruptedException {
        try (java.net.ServerSocket probe =
                new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.2"))) {
            int port = probe.getLocalPort();
            List<String> seen = List.of(
                    tshark, "-r", pcap.toString(), "-Y", "tcp.port == " + port, "-T", "fields", "-e", "frame.number");
            while (!Files.exists(pcap)
                    || Files.size(pcap) == 0
                    || run(seen, false).isBlank()) {
                if (System.nanoTime() > deadline) {
                    fail("the capture never saw the probe connection to 127.0.0.2:" + port);
                }
                try (java.net.Socket s = new java.net.Socket("127.0.0.2", port)) {
                    probe.accept().close();
                }
                Thread.sleep(50);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void everyFrameOfASessionDecodesAndNoneIsMalformed(ProtocolVersion v) throws Exception {
        Path pcap = pcap(v);
        current = pcap;
        Path log = dir.resolve("tshark.log");
        int calls = 200;
        long frames = 0;
        long acks = 0;
        int[] ports = new int[2];
        // capture everything node 2 (127.0.0.2, used by nothing else in this build) sends and receives, handshakes
        // included; the ports are known once the nodes listen
        // -B: a 64 MiB kernel buffer, so that a busy machine does not make the capture drop packets
        Process capture = new ProcessBuilder(
                        tshark, "-i", "lo", "-B", "64", "-f", "tcp and host 127.0.0.2", "-w", pcap.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(log).contains("Capturing on")) {
                if (!capture.isAlive() || System.nanoTime() > deadline) {
                    fail("tshark did not start capturing: " + Files.readString(log));
                }
                Thread.sleep(20);
            }
            awaitCaptureLive(pcap, deadline);
            try (O2netTarget t = O2netTarget.counting(v)) { // frames counted by a pass-through fault injector
                t.start(); // listening on ports from the OS, connected
                ports[0] = t.server().config().localNode().port();
                ports[1] = t.client().config().localNode().port();
                var caller = t.caller();
                for (int i = 0; i < calls; i++) {
                    byte[] payload = new byte[64];
                    java.nio.ByteBuffer.wrap(payload).putInt(i);
                    caller.call(payload);
                }
                t.leftOver(); // v13: the last ACK is out
                frames = t.framesWritten();
                PeerStats c = t.client().stats(1);
                PeerStats s = t.server().stats(2);
                acks = c.acksSent() + s.acksSent();
            }
            // wait (a count, bounded) until the capture file holds every frame the nodes wrote
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (decodedFrames(ports) < frames) {
                if (System.nanoTime() > deadline) {
                    fail("the capture has " + decodedFrames(ports) + " of " + frames + " frames");
                }
                Thread.sleep(100);
            }
        } finally {
            // tshark runs dumpcap as its child: stop both, or a failed run leaves a capture going
            capture.descendants().forEach(ProcessHandle::destroy);
            capture.destroy();
            capture.waitFor(30, TimeUnit.SECONDS);
        }
        Map<String, Integer> count = kinds(ports, true);
        List<String> decode = decode(ports);
        List<String> bad = new ArrayList<>(decode);
        bad.addAll(List.of("-Y", "_ws.malformed || _ws.expert.severity >= \"error\" || o2net.kind == \"UNKNOWN\""));
        String badOut = run(bad);
        assertTrue(badOut.isBlank(), "malformed or unknown frames:\n" + badOut);

        assertEquals(calls, count.getOrDefault("MSG", 0), count.toString());
        assertEquals(calls, count.getOrDefault("STATUS", 0), count.toString());
        assertEquals(v == ProtocolVersion.V12 ? calls : 0, count.getOrDefault("MH_REMOVE", 0), count.toString());
        assertEquals(v == ProtocolVersion.V12 ? calls : 0, count.getOrDefault("MH_REMOVED", 0), count.toString());
        assertEquals(acks, (long) count.getOrDefault("ACK", 0), count.toString());
        assertEquals(frames, nonHandshake(count), "every frame the nodes wrote was decoded: " + count);
        assertEquals(2, count.getOrDefault("HANDSHAKE", 0), "both handshakes: " + count);
        if (v.reliable()) {
            List<String> seqs = new ArrayList<>(decode);
            seqs.addAll(List.of("-Y", "o2net.kind == \"MSG\"", "-T", "fields", "-e", "o2net.msg.msg_seq"));
            String out = run(seqs);
            assertTrue(out.contains("\n200") || out.contains("200"), "msg_seq fields decoded: " + out.length());
        }
    }
}
