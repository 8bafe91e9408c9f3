// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ocfs2.o2net.wire.Handshake;
import org.ocfs2.o2net.wire.ProtocolVersion;

class ClusterConfigTest {
    private static ClusterConfig.Builder threeNodes() {
        return ClusterConfig.newBuilder()
                .name("ocfs2")
                .addNode(2, "c", "127.0.0.1", 7779)
                .addNode(0, "a", "127.0.0.1", 7777)
                .addNode(1, "b", "127.0.0.1", 7778)
                .localNode(1);
    }

    private static void assertRejected(ClusterConfig.Builder b, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void defaultsAreTheKernels() {
        ClusterConfig c = threeNodes().build();
        assertEquals(30000, c.idleTimeoutMs());
        assertEquals(2000, c.keepaliveDelayMs());
        assertEquals(2000, c.reconnectDelayMs());
        assertEquals(31, c.heartbeatDeadThreshold());
        assertEquals(60000, c.heartbeatTimeoutMs());
        assertTrue(c.reliable());
        assertFalse(c.shortTimeoutsAllowed());
    }

    @Test
    void nodesAreOrderedAndLookedUp() {
        ClusterConfig c = threeNodes().build();
        assertEquals("ocfs2", c.name());
        assertEquals(List.of(0, 1, 2), c.nodes().stream().map(Node::number).toList());
        assertEquals(1, c.localNodeNumber());
        assertEquals("b", c.localNode().name());
        assertEquals(List.of(0, 2), c.peers().stream().map(Node::number).toList());
        assertEquals("c", c.node(2).name());
        assertNull(c.node(3));
        assertNull(c.node(-1));
        assertNull(c.node(255));
        assertThrows(UnsupportedOperationException.class, () -> c.nodes().clear());
    }

    @Test
    void node254IsAcceptedAsLocal() {
        ClusterConfig c = ClusterConfig.newBuilder()
                .name("x")
                .addNode(254, "last", "10.1.1.1", 7777)
                .localNode(254)
                .build();
        assertEquals(254, c.localNode().number());
        assertTrue(c.peers().isEmpty());
    }

    @Test
    void localNodeByName() {
        assertEquals(2, threeNodes().localNodeName("c").build().localNodeNumber());
        assertEquals(0, threeNodes().localNodeName("c").localNode(0).build().localNodeNumber());
        assertRejected(threeNodes().localNodeName("zz"), "local node name zz");
    }

    @Test
    void localNodeMustBeSetAndKnown() {
        assertRejected(ClusterConfig.newBuilder().name("x").addNode(0, "a", "10.0.0.1", 1), "local node not set");
        assertRejected(threeNodes().localNode(7), "local node number 7");
        assertRejected(threeNodes().localNode(255), "local node number 255");
    }

    @Test
    void duplicatesAreRejected() {
        assertRejected(
                threeNodes().addNode(1, "d", "10.0.0.9", 7777),
                "duplicate node number 1",
                "node b (num 1)",
                "node d (num 1)");
        assertRejected(threeNodes().addNode(3, "a", "10.0.0.9", 7777), "duplicate node name a");
        assertRejected(threeNodes().addNode(3, "d", "127.0.0.1", 7778), "duplicate node address 127.0.0.1:7778");
        // same address, different port: fine (several nodes on one test host)
        assertEquals(
                4,
                threeNodes().addNode(3, "d", "127.0.0.1", 7780).build().nodes().size());
    }

    @Test
    void clusterNameFollowsO2cbRules() {
        assertRejected(threeNodes().name("my-cluster"), "cluster name 'my-cluster'", "[0-9A-Za-z]");
        assertRejected(threeNodes().name("a234567890123456x"), "a234567890123456x");
        assertRejected(threeNodes().name(""), "cluster name ''");
        assertEquals(
                "a234567890123456",
                threeNodes().name("a234567890123456").build().name());
        assertRejected(ClusterConfig.newBuilder().addNode(0, "a", "10.0.0.1", 1).localNode(0), "cluster name not set");
        assertRejected(ClusterConfig.newBuilder().name("x").localNode(0), "no nodes");
    }

    @Test
    void idleMustExceedKeepalive() {
        assertRejected(
                threeNodes().idleTimeoutMs(5000).keepaliveDelayMs(5000),
                "idleTimeoutMs (5000) must be greater than keepaliveDelayMs (5000)");
        assertRejected(threeNodes().idleTimeoutMs(5000).keepaliveDelayMs(6000), "(5000)", "(6000)");
        // the kernel rule holds with short timeouts allowed too
        assertRejected(threeNodes().allowShortTimeouts().idleTimeoutMs(10).keepaliveDelayMs(10), "(10)");
        assertEquals(
                5001,
                threeNodes().idleTimeoutMs(5001).keepaliveDelayMs(5000).build().idleTimeoutMs());
    }

    @Test
    void zeroAndNegativeTimeoutsAreAlwaysRejected() {
        assertRejected(threeNodes().allowShortTimeouts().idleTimeoutMs(0), "idleTimeoutMs must be > 0, got 0");
        assertRejected(threeNodes().allowShortTimeouts().keepaliveDelayMs(0), "keepaliveDelayMs must be > 0, got 0");
        assertRejected(threeNodes().allowShortTimeouts().reconnectDelayMs(0), "reconnectDelayMs must be > 0, got 0");
        assertRejected(threeNodes().allowShortTimeouts().reconnectDelayMs(-5), "got -5");
        assertRejected(threeNodes().allowShortTimeouts().heartbeatDeadThreshold(1), "heartbeatDeadThreshold 1");
        assertRejected(
                threeNodes().heartbeatDeadThreshold(ClusterConfig.MAX_HEARTBEAT_DEAD_THRESHOLD + 1),
                "out of range 2..1073742");
    }

    @Test
    void o2cbMinimumsApplyByDefault() {
        assertRejected(
                threeNodes().idleTimeoutMs(4999),
                "idleTimeoutMs 4999 is below the o2cb minimum of 5000",
                "allowShortTimeouts()");
        assertRejected(threeNodes().keepaliveDelayMs(999), "keepaliveDelayMs 999", "1000");
        assertRejected(threeNodes().reconnectDelayMs(1999), "reconnectDelayMs 1999", "2000");
        assertRejected(threeNodes().heartbeatDeadThreshold(6), "heartbeatDeadThreshold 6", "7");
        ClusterConfig atMinimum = threeNodes()
                .idleTimeoutMs(5000)
                .keepaliveDelayMs(1000)
                .reconnectDelayMs(2000)
                .heartbeatDeadThreshold(7)
                .build();
        assertEquals(12000, atMinimum.heartbeatTimeoutMs());
    }

    @Test
    void shortTimeoutsForTests() {
        ClusterConfig c = threeNodes()
                .allowShortTimeouts()
                .idleTimeoutMs(50)
                .keepaliveDelayMs(10)
                .reconnectDelayMs(20)
                .heartbeatDeadThreshold(2)
                .build();
        assertEquals(50, c.idleTimeoutMs());
        assertEquals(10, c.keepaliveDelayMs());
        assertEquals(20, c.reconnectDelayMs());
        assertEquals(2000, c.heartbeatTimeoutMs());
        assertTrue(c.shortTimeoutsAllowed());
    }

    @Test
    void largestThresholdFitsAnInt() {
        ClusterConfig c = threeNodes()
                .heartbeatDeadThreshold(ClusterConfig.MAX_HEARTBEAT_DEAD_THRESHOLD)
                .build();
        assertTrue(c.heartbeatTimeoutMs() > 0);
    }

    @Test
    void toBuilderKeepsEverything() {
        ClusterConfig c = threeNodes()
                .allowShortTimeouts()
                .idleTimeoutMs(300)
                .keepaliveDelayMs(100)
                .reconnectDelayMs(50)
                .heartbeatDeadThreshold(3)
                .reliable(false)
                .build();
        ClusterConfig copy = c.toBuilder().build();
        assertEquals(c.toString(), copy.toString());
        assertEquals(c.nodes(), copy.nodes());
        assertTrue(copy.shortTimeoutsAllowed());
        assertEquals(2, c.toBuilder().localNode(2).build().localNodeNumber());
    }

    @Test
    void handshakeFollowsTheConfig() {
        ClusterConfig reliable = threeNodes()
                .idleTimeoutMs(10000)
                .keepaliveDelayMs(1500)
                .reconnectDelayMs(3000)
                .heartbeatDeadThreshold(11)
                .build();
        Handshake hs = Handshake.of(reliable, 42);
        assertEquals(ProtocolVersion.V12, hs.version());
        assertEquals(20000, hs.heartbeatTimeoutMs());
        assertEquals(10000, hs.idleTimeoutMs());
        assertEquals(1500, hs.keepaliveDelayMs());
        assertEquals(3000, hs.reconnectDelayMs());
        assertEquals(42, hs.incarnation());
        assertEquals(1, hs.connectorId());

        Handshake v11 = Handshake.of(reliable.toBuilder().reliable(false).build(), 42);
        assertEquals(ProtocolVersion.V11, v11.version());
        assertEquals(0, v11.incarnation());
        assertThrows(IllegalArgumentException.class, () -> Handshake.of(reliable, 0));
    }

    @Test
    void builderNodesView() {
        ClusterConfig.Builder b = threeNodes();
        assertEquals(3, b.nodes().size());
        assertSame(b, b.addNodes(List.of(Node.of(9, "z", "10.9.9.9", 1))));
        assertEquals(4, b.nodes().size());
    }
}
