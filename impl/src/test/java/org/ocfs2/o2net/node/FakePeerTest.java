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
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ocfs2.o2net.netty.Await;
import org.ocfs2.o2net.netty.LogCapture;
import org.ocfs2.o2net.wire.FrameEncoder;
import org.ocfs2.o2net.wire.Handshake;
import org.ocfs2.o2net.wire.Magic;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.ProtocolVersion;

/**
 * Node 2 played on a raw socket, to send what a correct node never sends: the connection to it is closed with a
 * precise ERROR, and nothing else is disturbed. Also: closing nodes leaves no thread behind.
 */
@Timeout(60)
class FakePeerTest {
    private TestCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Connects to node 1 as node 2, handshakes, sends {@code after}, and returns once node 1 has closed. */
    private void fakeNode2(byte[] after) throws IOException {
        Handshake hs = Handshake.of(cluster.config(2), cluster.hb.incarnation(2));
        ByteBuf b = Unpooled.buffer();
        hs.writeTo(b);
        b.writeBytes(after);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Await.TIMEOUT_MS);
        while (true) {
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
                s.connect(cluster.config(1).localNode().socketAddress(), (int) Await.TIMEOUT_MS);
                s.setSoTimeout((int) Await.TIMEOUT_MS);
                InputStream in = s.getInputStream();
                byte[] theirs = in.readNBytes(Handshake.V12_LENGTH);
                if (theirs.length < Handshake.V12_LENGTH) {
                    // refused: node 1 has not yet noticed that the previous fake connection closed
                    assertTrue(System.nanoTime() < deadline, "node 1 keeps refusing the fake node 2");
                    TestCluster.sleep(10);
                    continue;
                }
                s.getOutputStream().write(out);
                try {
                    assertEquals(-1, in.read(), "node 1 closes the connection");
                } catch (SocketException reset) {
                    // closed with an RST: also closed
                }
                return;
            }
        }
    }

    @Test
    void aPeerThatSendsGarbageOrBreaksTheProtocolIsDisconnectedAndOthersCarryOn() throws Exception {
        cluster = TestCluster.builder(3).absent(2).start().awaitConnected();
        try (LogCapture log = new LogCapture()) {
            byte[] garbage = new byte[24];
            garbage[0] = (byte) 0xde;
            garbage[1] = (byte) 0xad;
            fakeNode2(garbage);
            Await.until(
                    "the framing error is logged",
                    () -> log.contains("ERROR PeerHandler - o2net: Closing "
                                    + "connection to node n2 (num 2) at 127.0.0.2:")
                            && log.contains(": framing error: unknown magic 0xdead in protocol v12"),
                    log::text);

            ByteBuf b = Unpooled.buffer();
            FrameEncoder.encode(
                    O2netMsg.builder(Magic.MH_REMOVED)
                            .msgType(MSG)
                            .key(KEY)
                            .msgSeq(9)
                            .build(),
                    ProtocolVersion.V12,
                    b);
            byte[] removed = new byte[b.readableBytes()];
            b.readBytes(removed);
            b.release();
            fakeNode2(removed);
            Await.until(
                    "the protocol error is logged",
                    () -> log.contains(
                            ": protocol error: MH_REMOVED for msg_seq 9 " + "from node 2, which is not held"),
                    log::text);
        }
        assertEquals(statusOf(payload("other")), cluster.node(3).send(MSG, KEY, payload("other"), 1));
        assertEquals(List.of(3), cluster.node(1).connectedNodes());
        assertEquals(2, cluster.node(1).stats(2).connects(), "both fake connections passed the handshake");
    }

    private static boolean o2netThreadsLeft() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive()
                        && (t.getName().startsWith("o2net-") || t.getName().equals("local-heartbeat")));
    }

    @Test
    void closingTheNodesLeavesNoThreadBehind() {
        cluster = TestCluster.builder(3)
                .heartbeat(LocalHeartbeat.delayed(Duration.ofMillis(1)))
                .start()
                .awaitConnected();
        for (int n = 1; n <= 3; n++) {
            cluster.node(n).send(MSG, KEY, payload("t" + n), n % 3 + 1);
        }
        assertTrue(o2netThreadsLeft());
        cluster.close();
        cluster = null;
        Await.until("every o2net thread ended", () -> !o2netThreadsLeft());
    }
}
