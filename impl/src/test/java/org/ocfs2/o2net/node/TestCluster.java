// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.ocfs2.o2net.config.ClusterConfig;
import org.ocfs2.o2net.netty.Await;
import org.ocfs2.o2net.netty.FaultInjector;

/**
 * Nodes 1..n of one cluster in this JVM over loopback TCP. Node i listens on 127.0.0.i (o2net knows a peer by its
 * source address, so each node needs its own; Linux routes all of 127/8 to lo) on a port below the ephemeral range,
 * bound once and handed to the node ({@link O2netNode.Builder#serverChannel}). Heartbeat is a {@link LocalHeartbeat}. Every node registers
 * {@link #MSG}/{@link #KEY}, whose handler counts its runs per payload and returns {@link #statusOf}.
 */
final class TestCluster implements AutoCloseable {
    static final int MSG = 7;
    static final int KEY = 0x1234;
    static final int KEEPALIVE_MS = 200;
    static final int IDLE_MS = 2000;
    static final int RECONNECT_MS = 100;

    final int size;
    final LocalHeartbeat hb;
    final FaultInjector injector;
    private final TraceSink trace;
    private final boolean reliable;
    private final UnaryOperator<ClusterConfig.Builder> tweak;
    private final Map<Integer, UnaryOperator<ClusterConfig.Builder>> perNode;
    private final Set<Integer> absent;
    private final O2netNode[] nodes;
    /** Listening sockets bound for nodes not (yet) running: absent nodes hold their port this way. */
    private final ServerSocketChannel[] listeners;

    private final ClusterConfig[] configs;
    /** Handler runs per payload, over every node and every restart. */
    final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    /** A hook run inside the {@link #MSG} handler before it returns; tests use it to block or throw. */
    volatile Handler hook = r -> 0;

    private TestCluster(Builder b) {
        this.size = b.size;
        this.reliable = b.reliable;
        this.hb = b.hb;
        this.injector = b.injector;
        this.trace = b.trace;
        this.tweak = b.tweak;
        this.perNode = b.perNode;
        this.absent = b.absent;
        this.nodes = new O2netNode[size + 1];
        this.listeners = new ServerSocketChannel[size + 1];
        this.configs = new ClusterConfig[size + 1];
    }

    static Builder builder(int size) {
        return new Builder(size);
    }

    /** A handler's status: a function of its payload, different for the payloads the tests use. */
    static int statusOf(byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8).hashCode();
    }

    static byte[] payload(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    O2netNode node(int n) {
        return nodes[n];
    }

    ClusterConfig config(int n) {
        return configs[n];
    }

    int runs(String payload) {
        AtomicInteger a = runs.get(payload);
        return a == null ? 0 : a.get();
    }

    private void start() {
        int[] ports = new int[size + 1];
        for (int n = 1; n <= size; n++) {
            listeners[n] = bindBelowEphemeralRange(n);
            ports[n] = O2netNode.port(listeners[n]);
        }
        for (int n = 1; n <= size; n++) {
            ClusterConfig.Builder cb = ClusterConfig.newBuilder()
                    .name("test")
                    .reliable(reliable)
                    .keepaliveDelayMs(KEEPALIVE_MS)
                    .idleTimeoutMs(IDLE_MS)
                    .reconnectDelayMs(RECONNECT_MS)
                    .heartbeatDeadThreshold(2)
                    .allowShortTimeouts();
            for (int m = 1; m <= size; m++) {
                cb.addNode(m, "n" + m, address(m), ports[m]);
            }
            cb = tweak.apply(cb.localNode(n));
            configs[n] =
                    perNode.getOrDefault(n, UnaryOperator.identity()).apply(cb).build();
        }
        NodeLiveness[] views = new NodeLiveness[size + 1];
        for (int n = 1; n <= size; n++) {
            views[n] = hb.join(n);
        }
        if (hb.delivery() == LocalHeartbeat.Delivery.MANUAL) {
            hb.deliver(); // the nodes see each other before they start
        }
        for (int n = 1; n <= size; n++) {
            if (!absent.contains(n)) {
                ServerSocketChannel listener = listeners[n];
                listeners[n] = null; // the node owns it now
                newNode(n, views[n], listener);
            }
        }
    }

    private static String address(int n) {
        return "127.0.0." + n;
    }

    private O2netNode newNode(int n, NodeLiveness liveness, ServerSocketChannel listener) {
        O2netNode node = O2netNode.builder(configs[n], liveness)
                .serverChannel(listener)
                .faultInjector(injector)
                .trace(trace)
                .build();
        // on the executor: the tests' hooks block (latches, sleeps)
        node.registerHandler(
                MSG,
                KEY,
                4072,
                r -> {
                    String p = new String(r.payload(), StandardCharsets.UTF_8);
                    runs.computeIfAbsent(p, k -> new AtomicInteger()).incrementAndGet();
                    int extra = hook.handle(r);
                    return extra != 0 ? extra : statusOf(r.payload());
                },
                HandlerRegistration.Dispatch.EXECUTOR);
        nodes[n] = node;
        node.start();
        return node;
    }

    /**
     * Restarts node {@code n} the way a test restarts a node: close it, give it a new incarnation in the heartbeat,
     * start a new {@link O2netNode} on the same address and port.
     */
    O2netNode restart(int n) {
        nodes[n].close();
        return startAgain(n, hb.restart(n));
    }

    /**
     * The first half of a restart that heartbeat notices: node {@code n}'s process stops ({@link O2netNode#close()})
     * and it stops heartbeating, so the others are told {@code nodeDown} of its incarnation (when, as the heartbeat's
     * {@link LocalHeartbeat.Delivery} says). {@link #rejoin} is the second half.
     */
    void crash(int n) {
        nodes[n].close();
        hb.stop(n);
    }

    /** After {@link #crash}: node {@code n} joins the heartbeat with a new incarnation and a new node starts. */
    O2netNode rejoin(int n) {
        return startAgain(n, hb.join(n));
    }

    /**
     * A restarted node listens on its configured port again, bound once: its port lies below the ephemeral range, so
     * no outbound connection can hold it, SO_REUSEADDR lets it bind over the old connections' TIME_WAIT, and the old
     * node's listener is closed by the time {@link O2netNode#close()} returns.
     */
    private O2netNode startAgain(int n, NodeLiveness liveness) {
        return newNode(
                n, liveness, O2netNode.listen(address(n), configs[n].localNode().port()));
    }

    /**
     * A listening socket on 127.0.0.n at a random port in [10000, the ephemeral range's low bound), as o2net's 7777
     * is, and not one the kernel hands out: a port from the ephemeral range can be taken, while its node is down for
     * a restart, by an outbound connection bound to port 0. The socket stays bound and goes to the node (or, for an
     * {@linkplain Builder#absent absent} node, is held until {@link #close}), so no port is probed and bound again.
     */
    private static ServerSocketChannel bindBelowEphemeralRange(int n) {
        int low = 32768;
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .trim();
            low = Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            // not Linux: 32768, Linux's default, is below the IANA range (49152..) too
        }
        int first = 10_000;
        if (low - first < 1000) {
            return O2netNode.listen(address(n), 0);
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; ; attempt++) {
            try {
                return O2netNode.listen(address(n), random.nextInt(first, low));
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof BindException) || attempt == 100) {
                    throw e;
                }
                // in use by something else: try another port; nothing was released that another could take
            }
        }
    }

    /** Waits until every pair of nodes is connected. */
    TestCluster awaitConnected() {
        for (int a = 1; a <= size; a++) {
            for (int b = 1; b <= size; b++) {
                if (a != b && !absent.contains(a) && !absent.contains(b)) {
                    awaitConnected(a, b);
                }
            }
        }
        return this;
    }

    void awaitConnected(int a, int b) {
        Await.until(
                "node " + a + " connected to node " + b,
                () -> nodes[a].connectedNodes().contains(b),
                () -> nodes[a].stats(b).toString());
    }

    /** Waits until every call is over and every MH tree and held set is empty, on every pair. */
    void awaitQuiet() {
        for (int a = 1; a <= size; a++) {
            int x = a;
            for (int b = 1; b <= size; b++) {
                if (a != b && !absent.contains(a) && !absent.contains(b)) {
                    int y = b;
                    Await.until(
                            "node " + a + " quiet towards node " + b,
                            () -> {
                                PeerStats s = nodes[x].stats(y);
                                return s.mhCount() == 0
                                        && s.heldCount() == 0
                                        && s.orphans() == 0
                                        && s.waitingForConnection() == 0;
                            },
                            () -> nodes[x].stats(y).toString());
                }
            }
        }
    }

    private void closeNodes() {
        for (O2netNode n : nodes) {
            if (n != null) {
                n.close();
            }
        }
        for (ServerSocketChannel l : listeners) {
            if (l != null) {
                try {
                    l.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    @Override
    public void close() {
        closeNodes();
        hb.close();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    static final class Builder {
        private final int size;
        private boolean reliable = true;
        private LocalHeartbeat hb = LocalHeartbeat.immediate();
        private FaultInjector injector = FaultInjector.NONE;
        private TraceSink trace = TraceSink.NONE;
        private UnaryOperator<ClusterConfig.Builder> tweak = UnaryOperator.identity();
        private final Map<Integer, UnaryOperator<ClusterConfig.Builder>> perNode = new ConcurrentHashMap<>();
        private final Set<Integer> absent = new HashSet<>();

        private Builder(int size) {
            this.size = size;
        }

        Builder reliable(boolean reliable) {
            this.reliable = reliable;
            return this;
        }

        Builder heartbeat(LocalHeartbeat hb) {
            this.hb = hb;
            return this;
        }

        Builder faultInjector(FaultInjector injector) {
            this.injector = injector;
            return this;
        }

        Builder trace(TraceSink trace) {
            this.trace = trace;
            return this;
        }

        /** Node {@code n} heartbeats but runs no {@link O2netNode}: a test plays it on a raw socket. */
        Builder absent(int n) {
            absent.add(n);
            return this;
        }

        /** Changes every node's configuration. */
        Builder config(UnaryOperator<ClusterConfig.Builder> tweak) {
            this.tweak = tweak;
            return this;
        }

        /** Changes one node's configuration, after {@link #config}. */
        Builder config(int node, UnaryOperator<ClusterConfig.Builder> tweak) {
            perNode.put(node, tweak);
            return this;
        }

        TestCluster start() {
            TestCluster c = new TestCluster(this);
            try {
                c.start();
            } catch (RuntimeException | Error e) {
                c.close();
                throw e;
            }
            return c;
        }
    }
}
