// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ocfs2.o2net.node.TestCluster.KEY;
import static org.ocfs2.o2net.node.TestCluster.MSG;
import static org.ocfs2.o2net.node.TestCluster.payload;
import static org.ocfs2.o2net.node.TestCluster.statusOf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ocfs2.o2net.config.ClusterConfig;
import org.ocfs2.o2net.wire.FrameEncoder;
import org.ocfs2.o2net.wire.Handshake;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.ProtocolVersion;

/**
 * Peers that attack from outside over real sockets (issue 13 item 3), each while a legitimate peer keeps calling: an
 * impostor that passes the v13 handshake as a configured node and floods fresh {@code msg_seq} without ever
 * acknowledging (the receiver never holds more than its window of Message Holders for it), and a flood of connections
 * that never say anything from a configured node's address (they give way to each other; the node stays responsive).
 */
class ImpostorAttackTest {
    private static final int WINDOW = 16;
    private TestCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The handshake a process speaking as node 3 sends to node 1: node 1's settings, node 3's incarnation. */
    private byte[] node3Handshake(ProtocolVersion v) {
        ClusterConfig c = cluster.node(1).config();
        long inc = cluster.hb.incarnation(3);
        Handshake h = v == ProtocolVersion.V13
                ? Handshake.v13(
                        c.heartbeatTimeoutMs(),
                        c.idleTimeoutMs(),
                        c.keepaliveDelayMs(),
                        c.reconnectDelayMs(),
                        inc,
                        WINDOW)
                : Handshake.v12(
                        c.heartbeatTimeoutMs(), c.idleTimeoutMs(), c.keepaliveDelayMs(), c.reconnectDelayMs(), inc);
        ByteBuf b = Unpooled.buffer();
        h.writeTo(b);
        return bytes(b);
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    @Test
    void anImpostorFloodingFreshMsgSeqNeverGetsMoreThanTheWindowOfMessageHolders() throws Exception {
        // node 3 heartbeats (it is in the cluster) but no O2netNode runs for it: the impostor speaks as node 3
        cluster = TestCluster.builder(3)
                .absent(3)
                .config(b -> b.protocol(ProtocolVersion.V13).window(WINDOW))
                .start()
                .awaitConnected();
        O2netNode n1 = cluster.node(1);
        ClusterConfig c = n1.config();
        byte[] handshake = node3Handshake(ProtocolVersion.V13);
        long seq = 1;
        int connections = 0;
        int maxMh = 0;
        while (seq <= 2_000 && connections < 200) {
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress("127.0.0.3", 0));
                s.connect(new InetSocketAddress("127.0.0.1", c.localNode().port()));
                connections++;
                OutputStream out = s.getOutputStream();
                out.write(handshake);
                for (int i = 0; i < 64; i++, seq++) {
                    ByteBuf f = Unpooled.buffer();
                    FrameEncoder.encode(
                            O2netMsg.request(MSG, KEY, (int) seq, seq, payload("imp" + seq)), ProtocolVersion.V13, f);
                    out.write(bytes(f)); // ack 0, ever: nothing is ever acknowledged
                }
                out.flush();
                s.getInputStream().readAllBytes(); // until node 1 closes the connection (the refusal)
            } catch (IOException e) {
                // reset by node 1's refusal: connect again, as the same incarnation
            }
            maxMh = Math.max(maxMh, n1.stats(3).mhCount());
            // the legitimate peer meanwhile
            assertEquals(
                    statusOf(payload("legit" + connections)),
                    cluster.node(2).send(MSG, KEY, payload("legit" + connections), 1));
        }
        PeerStats s = n1.stats(3);
        assertTrue(maxMh <= WINDOW, "node 1 held " + maxMh + " Message Holders for the impostor: " + s);
        assertTrue(s.mhCount() <= WINDOW, s::toString);
        assertTrue(s.refused() >= 10, "the flood was refused as outside the window: " + s);
        assertTrue(seq > 1_000, "the impostor sent " + (seq - 1) + " msg_seq");
    }

    @Test
    void aFloodOfSilentConnectionsFromANodesAddressLeavesOneAtATimeAndTheNodeResponsive() throws Exception {
        cluster = TestCluster.builder(3).absent(3).start().awaitConnected();
        O2netNode n1 = cluster.node(1);
        InetSocketAddress target =
                new InetSocketAddress("127.0.0.1", n1.config().localNode().port());
        Socket[] open = new Socket[2000];
        try {
            for (int i = 0; i < open.length; i++) {
                open[i] = new Socket();
                open[i].bind(new InetSocketAddress("127.0.0.3", 0));
                open[i].connect(target);
                if (i % 200 == 0) {
                    assertEquals(
                            statusOf(payload("during" + i)), cluster.node(2).send(MSG, KEY, payload("during" + i), 1));
                }
            }
            // each silent connection was closed by the next one (node 1 keeps at most one for node 3) or, the last
            // and any that waited long enough, by the handshake deadline
            org.ocfs2.o2net.netty.Await.until(
                    "every silent connection was closed by a newer one or its deadline",
                    () -> n1.stats(3).handshakesReplaced() + n1.stats(3).handshakeTimeouts() == open.length,
                    () -> n1.stats(3).toString());
            int closedByNode = 0;
            for (Socket s : open) {
                s.setSoTimeout(5000);
                try {
                    if (s.getInputStream().read(new byte[64]) >= 0
                            && s.getInputStream().read() < 0) {
                        closedByNode++;
                    }
                } catch (IOException e) {
                    closedByNode++; // reset
                }
            }
            assertTrue(closedByNode >= open.length - 1, closedByNode + " of " + open.length + " closed by node 1");
        } finally {
            for (Socket s : open) {
                if (s != null) {
                    s.close();
                }
            }
        }
        assertEquals(statusOf(payload("after")), cluster.node(2).send(MSG, KEY, payload("after"), 1));
    }

    @Test
    void aPeerThatNeverReadsGetsItsReadingPausedAndCannotGrowWhatTheNodeHolds() throws Exception {
        cluster = TestCluster.builder(3).absent(3).start().awaitConnected(); // v12: no window, only backpressure
        O2netNode n1 = cluster.node(1);
        ClusterConfig c = n1.config();
        byte[] handshake = node3Handshake(ProtocolVersion.V12);
        java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.bind(new InetSocketAddress("127.0.0.3", 0));
        s.connect(new InetSocketAddress("127.0.0.1", c.localNode().port()));
        Thread flood = new Thread(
                () -> {
                    try {
                        OutputStream out = s.getOutputStream();
                        out.write(handshake);
                        byte[] batch = new byte[0];
                        for (long seq = 1; seq <= 1_000_000; seq += 256) {
                            ByteBuf f = Unpooled.buffer();
                            for (long k = seq; k < seq + 256; k++) {
                                FrameEncoder.encode(
                                        O2netMsg.request(MSG, KEY, (int) k, k, new byte[0]), ProtocolVersion.V12, f);
                            }
                            batch = bytes(f);
                            out.write(batch); // blocks once node 1 stops reading
                            sent.addAndGet(256);
                        }
                    } catch (IOException e) {
                        // closed by the test
                    }
                },
                "never-reads");
        flood.setDaemon(true);
        flood.start();
        try {
            org.ocfs2.o2net.netty.Await.until(
                    "node 1 paused reading from the peer that never reads",
                    () -> n1.stats(3).readPauses() >= 1,
                    () -> n1.stats(3) + ", sent " + sent.get());
            // while the attacker is stuck, what node 1 holds for it stops growing and another peer goes on
            long before = n1.stats(3).mhCount();
            for (int i = 0; i < 20; i++) {
                assertEquals(statusOf(payload("legit" + i)), cluster.node(2).send(MSG, KEY, payload("legit" + i), 1));
            }
            long after = n1.stats(3).mhCount();
            assertTrue(after < 1_000_000 && sent.get() < 1_000_000, "the attacker was stopped: sent " + sent.get());
            assertTrue(after - before <= 2 * HandlerRunner.HIGH_WATER, before + " -> " + after + " Message Holders");
        } finally {
            s.close();
            flood.join(org.ocfs2.o2net.netty.Await.TIMEOUT_MS);
        }
    }

    @Test
    void malformedAndOversizedFramesEachCloseOnlyTheirConnection() throws Exception {
        cluster = TestCluster.builder(3).absent(3).start().awaitConnected();
        O2netNode n1 = cluster.node(1);
        ClusterConfig c = n1.config();
        byte[] handshake = node3Handshake(ProtocolVersion.V12);
        byte[][] bad = {
            {(byte) 0xfa, 0x55, (byte) 0xff, (byte) 0xff, 0, 1, 0, 8}, // MSG with data_len 65535
            {(byte) 0xfa, 0x55, 0x0f, (byte) 0xe9, 0, 1, 0, 8}, // MSG with data_len 4073
            {0x12, 0x34, 0, 0, 0, 0, 0, 0}, // an unknown magic
            {(byte) 0xfa, 0x57, 0, 4, 0, 0, 0, 0}, // a keepalive with a payload
            {(byte) 0xfa, 0x55, 0, 0, 0, 1, 0, 3}, // a bad ext_len
        };
        for (int round = 0; round < 50; round++) {
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress("127.0.0.3", 0));
                s.connect(new InetSocketAddress("127.0.0.1", c.localNode().port()));
                s.setSoTimeout((int) org.ocfs2.o2net.netty.Await.TIMEOUT_MS);
                OutputStream out = s.getOutputStream();
                out.write(handshake);
                byte[] header = new byte[24];
                System.arraycopy(bad[round % bad.length], 0, header, 0, 8);
                out.write(header);
                out.write(new byte[64]);
                out.flush();
                s.getInputStream().readAllBytes(); // node 1's handshake, then EOF: it closed the connection
            } catch (IOException e) {
                // reset by node 1: closed as well
            }
            assertEquals(
                    statusOf(payload("legit" + round)), cluster.node(2).send(MSG, KEY, payload("legit" + round), 1));
        }
        // most connections pass their handshake before their bad frame closes them (a reconnect that comes before
        // node 1 has seen the last close is refused as a second connection instead); node 1 may see the last close
        // after the client did
        org.ocfs2.o2net.netty.Await.until(
                "node 1 saw every connection from node 3 close",
                () -> n1.stats(3).connects() >= 1
                        && n1.stats(3).connects() == n1.stats(3).disconnects(),
                () -> n1.stats(3).toString());
        PeerStats s3 = n1.stats(3);
        assertEquals(0, s3.mhCount(), s3::toString);
        assertEquals(0, s3.handlerRuns(), "no malformed frame ran a handler: " + s3);
    }

    /**
     * The protocol-level fuzzer (issue 13 item 4): over real sockets, as a v13 peer with a configured node's identity,
     * random sequences of well-formed frames that the protocol does not expect (statuses for unknown msg_seq, acks that
     * jump or go back, MSG outside the window or again and again, keepalive storms, frames of the other versions), a
     * new connection whenever node 1 closes one. Node 1 must only ever refuse with its typed errors (no "unexpected
     * error"), stay within its window of Message Holders, and keep answering a legitimate peer.
     */
    @Test
    void wellFormedButWrongFrameSequencesNeverHurtTheNode() throws Exception {
        cluster = TestCluster.builder(3)
                .absent(3)
                .config(b -> b.protocol(ProtocolVersion.V13).window(WINDOW))
                .start()
                .awaitConnected();
        O2netNode n1 = cluster.node(1);
        ClusterConfig c = n1.config();
        byte[] handshake = node3Handshake(ProtocolVersion.V13);
        java.util.SplittableRandom random = new java.util.SplittableRandom(13);
        int frames = 0;
        try (org.ocfs2.o2net.netty.LogCapture log = new org.ocfs2.o2net.netty.LogCapture()) {
            for (int conn = 0; conn < 100; conn++) {
                try (Socket s = new Socket()) {
                    s.bind(new InetSocketAddress("127.0.0.3", 0));
                    s.connect(new InetSocketAddress("127.0.0.1", c.localNode().port()));
                    OutputStream out = s.getOutputStream();
                    out.write(handshake);
                    ByteBuf f = Unpooled.buffer();
                    for (int k = 0; k < 40; k++, frames++) {
                        long seq = 1 + random.nextInt(3 * WINDOW);
                        long ack = random.nextInt(3 * WINDOW);
                        O2netMsg m = switch (random.nextInt(6)) {
                            case 0 ->
                                O2netMsg.request(MSG, KEY, random.nextInt(), seq, payload("w" + seq))
                                        .withAck(ack);
                            case 1 ->
                                O2netMsg.request(MSG, KEY, 1, seq, new byte[0])
                                        .statusReply(org.ocfs2.o2net.wire.SysStatus.NONE, random.nextInt())
                                        .withAck(ack);
                            case 2 -> O2netMsg.ackFrame(ack);
                            case 3 -> O2netMsg.keepReq();
                            case 4 -> O2netMsg.keepResp();
                            default -> O2netMsg.request(random.nextInt(0x10000), random.nextInt(), 0, seq, new byte[0]);
                        };
                        FrameEncoder.encode(m, ProtocolVersion.V13, f);
                    }
                    out.write(bytes(f));
                    out.flush();
                    s.shutdownOutput();
                    s.setSoTimeout((int) org.ocfs2.o2net.netty.Await.TIMEOUT_MS);
                    s.getInputStream().readAllBytes();
                } catch (IOException e) {
                    // node 1 refused something and reset: connect again
                }
                assertTrue(n1.stats(3).mhCount() <= WINDOW, n1.stats(3)::toString);
                if (conn % 10 == 0) {
                    assertEquals(
                            statusOf(payload("legit" + conn)),
                            cluster.node(2).send(MSG, KEY, payload("legit" + conn), 1));
                }
            }
            assertTrue(!log.contains("unexpected error"), log::text);
            assertTrue(!log.contains("Exception in"), log::text);
        }
        assertEquals(4000, frames);
        assertEquals(statusOf(payload("after")), cluster.node(2).send(MSG, KEY, payload("after"), 1));
    }
}
