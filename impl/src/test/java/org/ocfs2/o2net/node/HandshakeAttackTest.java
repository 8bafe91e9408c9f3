// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ocfs2.o2net.node.TestCluster.KEY;
import static org.ocfs2.o2net.node.TestCluster.MSG;
import static org.ocfs2.o2net.node.TestCluster.payload;
import static org.ocfs2.o2net.node.TestCluster.statusOf;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ocfs2.o2net.netty.Await;

/**
 * The half-handshake lockout (issue 13): a process that connects from a configured node's address, sends 10 of the
 * handshake's bytes and stalls, and connects again whenever it is closed, must not keep the real node out. Before the
 * fix an accepted connection counted as the node's connection from the first byte on ({@code o2net_accept_one} does
 * the same), so the real node's connects were refused "already has an open connection" until the idle timer.
 */
class HandshakeAttackTest {
    private TestCluster cluster;
    private final AtomicBoolean stop = new AtomicBoolean();
    private Thread attacker;

    @AfterEach
    void tearDown() throws InterruptedException {
        stop.set(true);
        if (attacker != null) {
            attacker.interrupt();
            attacker.join(Await.TIMEOUT_MS);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Connects from {@code from} to {@code to} again and again; each time sends 10 bytes and waits to be closed. */
    private Thread slowloris(String from, InetSocketAddress to, AtomicInteger connections) {
        Thread t = new Thread(
                () -> {
                    while (!stop.get()) {
                        try (Socket s = new Socket()) {
                            s.bind(new InetSocketAddress(from, 0));
                            s.connect(to);
                            connections.incrementAndGet();
                            s.getOutputStream().write(new byte[] {0, 0, 0, 0, 0, 0, 0, 12, 0, 0});
                            InputStream in = s.getInputStream();
                            while (in.read() >= 0) {
                                // whatever the node sends (its own handshake): the attacker never answers
                            }
                        } catch (IOException e) {
                            // refused or reset: connect again
                        }
                        try {
                            Thread.sleep(2); // the attacker's own pace
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "slowloris");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void aStalledHalfHandshakeFromTheNodesAddressNeverKeepsTheRealNodeOut() throws Exception {
        cluster = TestCluster.builder(2).start().awaitConnected();
        O2netNode n1 = cluster.node(1);
        O2netNode n2 = cluster.node(2);
        AtomicInteger connections = new AtomicInteger();
        attacker = slowloris(
                "127.0.0.2",
                new InetSocketAddress("127.0.0.1", n1.config().localNode().port()),
                connections);
        Await.until("the attacker has connected a few times", () -> connections.get() >= 3);
        for (int round = 0; round < 5; round++) {
            // the real connection drops; the attacker is connecting all the while
            n1.resetConnection(2);
            for (int i = 0; i < 4; i++) {
                String p = "r" + round + "-" + i;
                // bounded: before the fix the call waited for a connection the attacker kept from node 2
                assertEquals(
                        statusOf(payload(p)),
                        n2.sendAsync(MSG, KEY, payload(p), 1).get(Await.TIMEOUT_MS, TimeUnit.MILLISECONDS),
                        p);
            }
        }
        PeerStats s = n1.stats(2);
        assertTrue(
                s.handshakesReplaced() + s.handshakeTimeouts() >= 1,
                "an unfinished connection gave way or timed out: " + s);
        assertEquals(20, cluster.runs.size());
    }

    @Test
    void theHandshakeDeadlineIsTheReconnectDelayAtLeastOneSecond() {
        cluster = TestCluster.builder(2).start().awaitConnected();
        AtomicInteger connections = new AtomicInteger();
        O2netNode n1 = cluster.node(1);
        cluster.node(2).close(); // the real node 2 goes; heartbeat still sees it (LocalHeartbeat), so n1 accepts
        attacker = slowloris(
                "127.0.0.2",
                new InetSocketAddress("127.0.0.1", n1.config().localNode().port()),
                connections);
        Await.until(
                "node 1 closed a stalled connection at its handshake deadline",
                () -> n1.stats(2).handshakeTimeouts() >= 1,
                () -> n1.stats(2).toString());
        assertTrue(connections.get() >= 1);
    }
}
