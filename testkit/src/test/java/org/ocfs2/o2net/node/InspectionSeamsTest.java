// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ocfs2.o2net.config.ClusterConfig;
import org.ocfs2.o2net.core.PeerCore;
import org.ocfs2.o2net.netty.Await;
import org.ocfs2.o2net.netty.FaultHandler;
import org.ocfs2.o2net.netty.FaultInjector;
import org.ocfs2.o2net.netty.FaultInjector.Direction;
import org.ocfs2.o2net.wire.Magic;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.SysStatus;

/**
 * The seams a step-by-step replay needs (the conformance suite's Netty tier): {@code inspect}, releasing one held
 * frame at a time, and connecting only when asked ({@code autoConnect(false)} and {@code connect}).
 */
@Timeout(60)
class InspectionSeamsTest {
    private static final int MSG = 7;
    private static final int KEY = 0x1234;
    /** Holds every protocol frame where it is written; keepalives pass. */
    private static final FaultInjector HOLD_ALL = (node, peer, direction, frame) ->
            direction == Direction.OUTBOUND && frame.magic() != Magic.KEEP_REQ && frame.magic() != Magic.KEEP_RESP
                    ? FaultInjector.Verdict.HOLD
                    : FaultInjector.Verdict.PASS;

    private final LocalHeartbeat hb = LocalHeartbeat.immediate();
    private final CountDownLatch handlers = new CountDownLatch(1);
    private O2netNode n1;
    private O2netNode n2;

    @AfterEach
    void tearDown() {
        handlers.countDown();
        for (O2netNode n : new O2netNode[] {n2, n1}) {
            if (n != null) {
                n.close();
            }
        }
        hb.close();
    }

    private void start() {
        ServerSocketChannel l1 = O2netNode.listen("127.0.0.1", 0);
        ServerSocketChannel l2 = O2netNode.listen("127.0.0.2", 0);
        int p1 = O2netNode.port(l1);
        int p2 = O2netNode.port(l2);
        NodeLiveness v1 = hb.join(1);
        NodeLiveness v2 = hb.join(2);
        n1 = node(1, v1, p1, p2, l1);
        n1.registerHandler(
                MSG,
                KEY,
                4072,
                r -> {
                    handlers.await();
                    return 42;
                },
                HandlerRegistration.Dispatch.EXECUTOR);
        n1.start();
        n2 = node(2, v2, p1, p2, l2);
        n2.start();
    }

    private static O2netNode node(int n, NodeLiveness liveness, int p1, int p2, ServerSocketChannel listener) {
        ClusterConfig c = ClusterConfig.newBuilder()
                .name("seams")
                .keepaliveDelayMs(60_000)
                .idleTimeoutMs(120_000)
                .reconnectDelayMs(100)
                .allowShortTimeouts()
                .addNode(1, "n1", "127.0.0.1", p1)
                .addNode(2, "n2", "127.0.0.2", p2)
                .localNode(n)
                .build();
        return O2netNode.builder(c, liveness)
                .serverChannel(listener)
                .faultInjector(HOLD_ALL)
                .autoConnect(false)
                .build();
    }

    @Test
    void withoutAutoConnectOnlyConnectConnectsAndInspectShowsTheCallWaiting() {
        start();
        byte[] payload = "a".getBytes(StandardCharsets.US_ASCII);
        CompletableFuture<Integer> call = n2.sendAsync(MSG, KEY, payload, 1);
        Await.until(
                "the core holds the call",
                () -> NodeControl.inspect(n2, 1).core().held().size() == 1);
        PeerInspection i = NodeControl.inspect(n2, 1);
        assertEquals("UNSENT", i.core().held().get(1L).phase(), "v12: the core holds the call at once (Send)");
        assertArrayEquals(payload, i.core().held().get(1L).msg().payload());
        assertEquals(List.of(), i.waitingForConnection(), "v12 calls never wait outside the core: " + i);
        assertFalse(i.connection(), "no attempt on start, nor for a call waiting: " + i);
        assertEquals(0, n2.stats(1).connectAttempts());
        assertEquals(2, i.core().nextSeq());
        assertFalse(NodeControl.connect(n1, 2), "the lower-numbered node never connects");

        assertTrue(NodeControl.connect(n2, 1));
        Await.until(
                "both handshakes passed",
                () -> NodeControl.inspect(n1, 2).core().connected()
                        && NodeControl.inspect(n2, 1).core().connected());
        Await.until(
                "the call is in the core",
                () -> NodeControl.inspect(n2, 1).core().held().size() == 1);
        i = NodeControl.inspect(n2, 1);
        assertEquals(List.of(), i.waitingForConnection());
        assertEquals("MSG", i.core().held().get(1L).phase());
        assertEquals(1, i.heldOutbound().size(), "the MSG is held where it is written: " + i);
        assertEquals(Magic.MSG, i.heldOutbound().get(0).magic());
        assertEquals(List.of(), NodeControl.inspect(n1, 2).core().messageHolders());

        assertEquals(1, NodeControl.releaseFrames(n2, 1, Direction.OUTBOUND, 5), "one frame held, one released");
        Await.until(
                "node 1 has the Message Holder",
                () -> NodeControl.inspect(n1, 2).core().messageHolders().size() == 1);
        PeerCore.Snapshot.Holder h =
                NodeControl.inspect(n1, 2).core().messageHolders().get(0);
        assertEquals(1, h.msg().msgSeq());
        assertFalse(h.done(), "the handler still runs");
        handlers.countDown();
        Await.until(
                "the status is held on node 1",
                () -> NodeControl.inspect(n1, 2).heldOutbound().size() == 1);
        assertTrue(NodeControl.inspect(n1, 2).core().messageHolders().get(0).done());
        assertFalse(call.isDone());

        assertTrue(NodeControl.resetConnection(n2, 1));
        Await.until(
                "both ends saw the reset",
                () -> !NodeControl.inspect(n1, 2).core().connected()
                        && !NodeControl.inspect(n2, 1).core().connected());
        assertEquals(
                List.of(), NodeControl.inspect(n1, 2).heldOutbound(), "the held status was lost with the connection");
        assertFalse(NodeControl.inspect(n2, 1).connection());
    }

    @Test
    void releaseLetsTheOldestFramesOfOneDirectionGo() {
        FaultHandler fh = new FaultHandler(HOLD_ALL, 1, 2);
        EmbeddedChannel ch = new EmbeddedChannel(fh);
        try {
            O2netMsg a = O2netMsg.request(MSG, KEY, 0, 1, new byte[] {1});
            O2netMsg b = O2netMsg.request(MSG, KEY, 1, 2, new byte[] {2});
            O2netMsg status = a.statusReply(SysStatus.NONE, 5);
            ch.writeAndFlush(a);
            ch.writeAndFlush(b);
            ch.writeAndFlush(status);
            assertEquals(List.of(a, b, status), fh.heldFrames(Direction.OUTBOUND));
            assertEquals(List.of(), fh.heldFrames(Direction.INBOUND));
            assertEquals(1, fh.release(Direction.OUTBOUND, 1));
            assertEquals(a, ch.readOutbound());
            assertNull(ch.readOutbound(), "only the oldest");
            assertEquals(0, fh.release(Direction.INBOUND, 1), "nothing held inbound");
            assertEquals(2, fh.release(Direction.OUTBOUND, 5));
            assertEquals(b, ch.readOutbound());
            assertEquals(status, ch.readOutbound());
        } finally {
            ch.finishAndReleaseAll();
        }
    }
}
