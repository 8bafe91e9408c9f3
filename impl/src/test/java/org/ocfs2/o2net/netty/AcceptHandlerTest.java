// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ocfs2.o2net.config.ClusterConfig;
import org.ocfs2.o2net.config.Node;

/** The accept-side refusals of {@link AcceptHandler}, on an {@link EmbeddedChannel} playing the listening socket. */
class AcceptHandlerTest {
    private final Set<Integer> dead = new HashSet<>();
    private final Set<Integer> busy = new HashSet<>();
    private final List<String> adopted = new ArrayList<>();
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    private final AcceptHandler.Target target = new AcceptHandler.Target() {
        @Override
        public void execute(int node, Runnable task) {
            task.run();
        }

        @Override
        public boolean alive(int node) {
            return !dead.contains(node);
        }

        @Override
        public boolean busy(int node) {
            return busy.contains(node);
        }

        @Override
        public void adopt(Node node, Channel child) {
            adopted.add(node.name());
        }
    };

    /** An accepted, not yet registered connection from {@code ip:port}. */
    private static final class Child extends EmbeddedChannel {
        private final InetSocketAddress from;

        Child(String ip, int port) {
            super(null, false, false);
            this.from = new InetSocketAddress(ip, port);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return from;
        }
    }

    @AfterEach
    void tearDown() {
        for (EmbeddedChannel c : channels) {
            if (c.isRegistered()) {
                c.finishAndReleaseAll();
            } else {
                c.unsafe().closeForcibly();
            }
        }
    }

    /** Offers a connection from {@code ip:port} to node {@code local}; returns it and the log. */
    private String accept(ClusterConfig config, Child child) {
        EmbeddedChannel server = new EmbeddedChannel(new AcceptHandler(config, target));
        channels.add(server);
        try (LogCapture log = new LogCapture()) {
            server.writeInbound(child);
            return log.text();
        }
    }

    @Test
    void refusesAnUnknownAddress() {
        Child c = new Child("10.9.9.9", 4000);
        String log = accept(Wire.config(1), c);
        assertFalse(c.isOpen());
        assertTrue(
                log.contains("WARN AcceptHandler - o2net: Attempt to connect from unknown node at 10.9.9.9:4000"), log);
        assertEquals(List.of(), adopted);
    }

    @Test
    void refusesTheWrongDirection() {
        Child c = new Child("127.0.0.1", 4000);
        String log = accept(Wire.config(2), c);
        assertFalse(c.isOpen());
        assertTrue(
                log.contains("o2net: Unexpected connect attempt seen at node 'b' (2, 127.0.0.2:7777) from node 'a' "
                        + "(1, 127.0.0.1:4000)"),
                log);
        assertEquals(List.of(), adopted);
    }

    @Test
    void refusesANodeThatIsNotHeartbeating() {
        dead.add(2);
        Child c = new Child("127.0.0.2", 4000);
        String log = accept(Wire.config(1), c);
        assertFalse(c.isOpen());
        assertTrue(
                log.contains("o2net: Attempt to connect from node 'b' at 127.0.0.2:4000 but it isn't heartbeating"),
                log);
        assertEquals(List.of(), adopted);
    }

    @Test
    void refusesASecondConnection() {
        busy.add(2);
        Child c = new Child("127.0.0.2", 4001);
        String log = accept(Wire.config(1), c);
        assertFalse(c.isOpen());
        assertTrue(
                log.contains("o2net: Attempt to connect from node 'b' at 127.0.0.2:4001 but it already has an open "
                        + "connection"),
                log);
        assertEquals(List.of(), adopted);
    }

    @Test
    void refusesAnAddressSeveralNodesShare() {
        ClusterConfig shared = ClusterConfig.newBuilder()
                .name("test")
                .addNode(1, "a", "127.0.0.1", 7001)
                .addNode(2, "b", "127.0.0.1", 7002)
                .addNode(3, "c", "127.0.0.1", 7003)
                .localNode(1)
                .build();
        Child c = new Child("127.0.0.1", 4000);
        String log = accept(shared, c);
        assertFalse(c.isOpen());
        assertTrue(log.contains("the address of nodes 1, 2, 3, which cannot be told apart"), log);
    }

    @Test
    void handsAnAcceptableConnectionToItsPeer() {
        Child c = new Child("127.0.0.2", 4000);
        channels.add(c);
        String log = accept(Wire.config(1), c);
        assertTrue(c.isOpen());
        assertEquals(List.of("b"), adopted);
        assertEquals("", log);
    }
}
