// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.config;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ocfs2.o2net.wire.ProtocolVersion;

/**
 * The cluster as one node sees it: the cluster name, its nodes, which of them is this node, the o2net timeouts and
 * the protocol to speak. Immutable; built by {@link #newBuilder()}, which validates on {@link Builder#build()}.
 *
 * <h2>Timeouts</h2>
 * <ul>
 * <li>{@code idleTimeoutMs} (default {@value #DEFAULT_IDLE_TIMEOUT_MS}): a connection that received nothing for this
 *     long is considered idle.</li>
 * <li>{@code keepaliveDelayMs} (default {@value #DEFAULT_KEEPALIVE_DELAY_MS}): a keepalive request is sent after this
 *     long without receiving.</li>
 * <li>{@code reconnectDelayMs} (default {@value #DEFAULT_RECONNECT_DELAY_MS}): minimum gap between connect
 *     attempts.</li>
 * <li>{@code heartbeatDeadThreshold} (default {@value #DEFAULT_HEARTBEAT_DEAD_THRESHOLD}): o2hb iterations of
 *     {@value #HEARTBEAT_INTERVAL_MS} ms before a node is dead; the handshake exchanges
 *     {@link #heartbeatTimeoutMs()} = 2000 x (threshold - 1).</li>
 * </ul>
 * Always enforced (the kernel's rules): every timeout &gt; 0, idle &gt; keepalive, dead threshold &gt;= 2. Enforced
 * unless {@link Builder#allowShortTimeouts()} (the o2cb tools' minimums): idle &gt;= 5000, keepalive &gt;= 1000,
 * reconnect &gt;= 2000, dead threshold &gt;= 7.
 */
public final class ClusterConfig {
    public static final int DEFAULT_IDLE_TIMEOUT_MS = 30000;
    public static final int DEFAULT_KEEPALIVE_DELAY_MS = 2000;
    public static final int DEFAULT_RECONNECT_DELAY_MS = 2000;
    public static final int DEFAULT_HEARTBEAT_DEAD_THRESHOLD = 31;
    /** {@code O2HB_REGION_TIMEOUT_MS}: the disk heartbeat interval. */
    public static final int HEARTBEAT_INTERVAL_MS = 2000;

    /** o2cb tools minimum for the idle timeout. */
    public static final int MIN_IDLE_TIMEOUT_MS = 5000;
    /** o2cb tools minimum for the keepalive delay. */
    public static final int MIN_KEEPALIVE_DELAY_MS = 1000;
    /** o2cb tools minimum for the reconnect delay. */
    public static final int MIN_RECONNECT_DELAY_MS = 2000;
    /** o2cb tools minimum for the heartbeat dead threshold. */
    public static final int MIN_HEARTBEAT_DEAD_THRESHOLD = 7;
    /** Kernel minimum for the heartbeat dead threshold, enforced even with short timeouts allowed. */
    public static final int KERNEL_MIN_HEARTBEAT_DEAD_THRESHOLD = 2;
    /** Largest dead threshold whose heartbeat timeout still fits a signed 32-bit millisecond count. */
    public static final int MAX_HEARTBEAT_DEAD_THRESHOLD = Integer.MAX_VALUE / HEARTBEAT_INTERVAL_MS + 1;
    /** Longest cluster name o2cb accepts (characters [0-9A-Za-z]). */
    public static final int MAX_CLUSTER_NAME_LEN = 16;

    /** The default v13 window: Message Holders kept per peer at most. */
    public static final int DEFAULT_WINDOW = 1024;
    /** Default: handler runs of one peer queued or running above which reading from it pauses. */
    public static final int DEFAULT_HANDLER_QUEUE_HIGH = 1024;
    /** Default: ... and at or below which it resumes. */
    public static final int DEFAULT_HANDLER_QUEUE_LOW = 512;
    /** Default: bytes waiting to be written to a peer above which reading from it pauses (Netty's high water mark). */
    public static final int DEFAULT_WRITE_BUFFER_HIGH = 64 * 1024;
    /** Default: ... and at or below which it resumes. */
    public static final int DEFAULT_WRITE_BUFFER_LOW = 32 * 1024;

    private final String name;
    private final List<Node> nodes;
    private final Node[] byNumber;
    private final Node localNode;
    private final int idleTimeoutMs;
    private final int keepaliveDelayMs;
    private final int reconnectDelayMs;
    private final int heartbeatDeadThreshold;
    private final boolean reliable;
    private final ProtocolVersion protocol;
    private final int window;
    private final int handlerQueueHigh;
    private final int handlerQueueLow;
    private final int writeBufferHigh;
    private final int writeBufferLow;
    private final boolean shortTimeoutsAllowed;

    private ClusterConfig(Builder b, List<Node> nodes, Node localNode) {
        this.name = b.name;
        this.nodes = nodes;
        this.byNumber = new Node[Node.MAX_NODES];
        for (Node n : nodes) {
            byNumber[n.number()] = n;
        }
        this.localNode = localNode;
        this.idleTimeoutMs = b.idleTimeoutMs;
        this.keepaliveDelayMs = b.keepaliveDelayMs;
        this.reconnectDelayMs = b.reconnectDelayMs;
        this.heartbeatDeadThreshold = b.heartbeatDeadThreshold;
        this.protocol = b.protocol != null ? b.protocol : ProtocolVersion.of(b.reliable);
        this.reliable = protocol.reliable();
        this.window = b.window;
        this.handlerQueueHigh = b.handlerQueueHigh;
        this.handlerQueueLow = b.handlerQueueLow;
        this.writeBufferHigh = b.writeBufferHigh;
        this.writeBufferLow = b.writeBufferLow;
        this.shortTimeoutsAllowed = b.shortTimeoutsAllowed;
    }

    /** Returns a builder with the default timeouts, {@code reliable} true, and no name, nodes or local node. */
    public static Builder newBuilder() {
        return new Builder();
    }

    /** Returns a builder holding this configuration, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.nodes.addAll(nodes);
        b.localNodeNumber = localNode.number();
        b.idleTimeoutMs = idleTimeoutMs;
        b.keepaliveDelayMs = keepaliveDelayMs;
        b.reconnectDelayMs = reconnectDelayMs;
        b.heartbeatDeadThreshold = heartbeatDeadThreshold;
        b.reliable = reliable;
        b.protocol = protocol;
        b.window = window;
        b.handlerQueueHigh = handlerQueueHigh;
        b.handlerQueueLow = handlerQueueLow;
        b.writeBufferHigh = writeBufferHigh;
        b.writeBufferLow = writeBufferLow;
        b.shortTimeoutsAllowed = shortTimeoutsAllowed;
        return b;
    }

    public String name() {
        return name;
    }

    /** Returns every node, this one included, ordered by number; unmodifiable. */
    public List<Node> nodes() {
        return nodes;
    }

    /** Returns the node numbered {@code number}, or {@code null} if there is none. */
    public Node node(int number) {
        return number >= 0 && number < byNumber.length ? byNumber[number] : null;
    }

    /** Returns this node. */
    public Node localNode() {
        return localNode;
    }

    public int localNodeNumber() {
        return localNode.number();
    }

    /** Returns every node but this one, ordered by number. */
    public List<Node> peers() {
        List<Node> peers = new ArrayList<>(nodes.size());
        for (Node n : nodes) {
            if (n != localNode) {
                peers.add(n);
            }
        }
        return Collections.unmodifiableList(peers);
    }

    public int idleTimeoutMs() {
        return idleTimeoutMs;
    }

    public int keepaliveDelayMs() {
        return keepaliveDelayMs;
    }

    public int reconnectDelayMs() {
        return reconnectDelayMs;
    }

    public int heartbeatDeadThreshold() {
        return heartbeatDeadThreshold;
    }

    /** Returns {@code O2HB_MAX_WRITE_TIMEOUT_MS} = 2000 x (dead threshold - 1), the value sent in the handshake. */
    public int heartbeatTimeoutMs() {
        return HEARTBEAT_INTERVAL_MS * (heartbeatDeadThreshold - 1);
    }

    /**
     * Returns {@code true} for the reliable protocol (v12: message holders, {@code msg_seq}, incarnations),
     * {@code false} for the kernel's o2net v11 semantics.
     */
    public boolean reliable() {
        return reliable;
    }

    /** Returns the protocol version: v11 (the kernel's), v12 (the RFC as written) or v13 (one round trip). */
    public ProtocolVersion protocol() {
        return protocol;
    }

    /**
     * Returns the v13 window: the most messages beyond its ack a peer may send this node (announced in the handshake,
     * enforced), and so the most Message Holders this node keeps per peer.
     */
    public int window() {
        return window;
    }

    /** Returns the handler runs of one peer, queued or running, above which reading from it pauses. */
    public int handlerQueueHigh() {
        return handlerQueueHigh;
    }

    /** Returns the handler runs at or below which reading from a paused peer resumes. */
    public int handlerQueueLow() {
        return handlerQueueLow;
    }

    /** Returns the bytes waiting to be written to a peer above which reading from it pauses. */
    public int writeBufferHigh() {
        return writeBufferHigh;
    }

    /** Returns the bytes waiting to be written at or below which reading resumes. */
    public int writeBufferLow() {
        return writeBufferLow;
    }

    /** Returns {@code true} if the o2cb tools' minimum timeouts were waived. */
    public boolean shortTimeoutsAllowed() {
        return shortTimeoutsAllowed;
    }

    @Override
    public String toString() {
        return "ClusterConfig(" + name + ", local=" + localNode.number() + ", nodes=" + nodes + ", idleTimeoutMs="
                + idleTimeoutMs + ", keepaliveDelayMs=" + keepaliveDelayMs + ", reconnectDelayMs=" + reconnectDelayMs
                + ", heartbeatDeadThreshold=" + heartbeatDeadThreshold + ", protocol=" + protocol + ", window=" + window
                + ")";
    }

    static String checkClusterName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("cluster name not set");
        }
        boolean ok = !name.isEmpty() && name.length() <= MAX_CLUSTER_NAME_LEN;
        for (int i = 0; ok && i < name.length(); i++) {
            char c = name.charAt(i);
            ok = c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
        }
        if (!ok) {
            throw new IllegalArgumentException(
                    "cluster name '" + name + "' must be 1.." + MAX_CLUSTER_NAME_LEN + " characters [0-9A-Za-z]");
        }
        return name;
    }

    /** Builds a {@link ClusterConfig}; every check runs in {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private String name;
        private final List<Node> nodes = new ArrayList<>();
        private int localNodeNumber = -1;
        private String localNodeName;
        private int idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS;
        private int keepaliveDelayMs = DEFAULT_KEEPALIVE_DELAY_MS;
        private int reconnectDelayMs = DEFAULT_RECONNECT_DELAY_MS;
        private int heartbeatDeadThreshold = DEFAULT_HEARTBEAT_DEAD_THRESHOLD;
        private boolean reliable = true;
        private ProtocolVersion protocol;
        private int window = DEFAULT_WINDOW;
        private int handlerQueueHigh = DEFAULT_HANDLER_QUEUE_HIGH;
        private int handlerQueueLow = DEFAULT_HANDLER_QUEUE_LOW;
        private int writeBufferHigh = DEFAULT_WRITE_BUFFER_HIGH;
        private int writeBufferLow = DEFAULT_WRITE_BUFFER_LOW;
        private boolean shortTimeoutsAllowed;

        private Builder() {}

        /** Sets the cluster name: 1..16 characters [0-9A-Za-z]. */
        public Builder name(String name) {
            this.name = requireNonNull(name, "name");
            return this;
        }

        public Builder addNode(Node node) {
            nodes.add(requireNonNull(node, "node"));
            return this;
        }

        /** Adds {@code Node.of(number, name, address, port)}; range errors are thrown at once. */
        public Builder addNode(int number, String name, String address, int port) {
            return addNode(Node.of(number, name, address, port));
        }

        public Builder addNodes(Collection<Node> nodes) {
            for (Node n : nodes) {
                addNode(n);
            }
            return this;
        }

        /** Returns the nodes added so far, in the order they were added; unmodifiable. */
        public List<Node> nodes() {
            return Collections.unmodifiableList(nodes);
        }

        /** Sets this node by number; replaces an earlier {@link #localNodeName(String)}. */
        public Builder localNode(int number) {
            this.localNodeNumber = number;
            this.localNodeName = null;
            return this;
        }

        /** Sets this node by name (o2cb matches the host name); replaces an earlier {@link #localNode(int)}. */
        public Builder localNodeName(String name) {
            this.localNodeName = requireNonNull(name, "name");
            this.localNodeNumber = -1;
            return this;
        }

        public Builder idleTimeoutMs(int idleTimeoutMs) {
            this.idleTimeoutMs = idleTimeoutMs;
            return this;
        }

        public Builder keepaliveDelayMs(int keepaliveDelayMs) {
            this.keepaliveDelayMs = keepaliveDelayMs;
            return this;
        }

        public Builder reconnectDelayMs(int reconnectDelayMs) {
            this.reconnectDelayMs = reconnectDelayMs;
            return this;
        }

        public Builder heartbeatDeadThreshold(int heartbeatDeadThreshold) {
            this.heartbeatDeadThreshold = heartbeatDeadThreshold;
            return this;
        }

        /**
         * Chooses the protocol version: v11 (the kernel's), v12 (the RFC as written) or v13 (one round trip,
         * acknowledgements and a window). Overrides {@link #reliable(boolean)}.
         */
        public Builder protocol(ProtocolVersion protocol) {
            this.protocol = java.util.Objects.requireNonNull(protocol, "protocol");
            this.reliable = protocol.reliable();
            return this;
        }

        /**
         * Sets the handler-queue water marks of every peer: reading from a peer pauses when more than {@code high} of
         * its handler runs are queued or running and resumes at {@code low} (defaults 1024 and 512).
         */
        public Builder handlerQueueWaterMarks(int low, int high) {
            if (low < 0 || high < 1 || low >= high) {
                throw new IllegalArgumentException(
                        "handler queue water marks need 0 <= low < high, got " + low + ", " + high);
            }
            this.handlerQueueLow = low;
            this.handlerQueueHigh = high;
            return this;
        }

        /**
         * Sets the write-buffer water marks of every connection, in bytes: reading from a peer pauses while more than
         * {@code high} bytes wait to be written to it (a peer that does not read) and resumes at {@code low}
         * (defaults 64 KiB and 32 KiB).
         */
        public Builder writeBufferWaterMarks(int low, int high) {
            if (low < 0 || high < 1 || low >= high) {
                throw new IllegalArgumentException(
                        "write buffer water marks need 0 <= low < high, got " + low + ", " + high);
            }
            this.writeBufferLow = low;
            this.writeBufferHigh = high;
            return this;
        }

        /** Sets the v13 window (default {@value ClusterConfig#DEFAULT_WINDOW}; at least 1). */
        public Builder window(int window) {
            if (window < 1) {
                throw new IllegalArgumentException("window must be at least 1, got " + window);
            }
            this.window = window;
            return this;
        }

        /** Chooses the reliable protocol (v12, the default) or the kernel's v11 semantics. */
        public Builder reliable(boolean reliable) {
            this.protocol = null;
            this.reliable = reliable;
            return this;
        }

        /**
         * Waives the o2cb tools' minimum timeouts, for tests that need timeouts of tens of milliseconds. The kernel's
         * rules still apply.
         */
        public Builder allowShortTimeouts() {
            this.shortTimeoutsAllowed = true;
            return this;
        }

        /**
         * Validates and returns the configuration.
         *
         * @throws IllegalArgumentException naming the first rule broken and quoting the values
         */
        public ClusterConfig build() {
            checkClusterName(name);
            if (nodes.isEmpty()) {
                throw new IllegalArgumentException("cluster " + name + " has no nodes");
            }
            Map<Integer, Node> numbers = new HashMap<>();
            Map<String, Node> names = new HashMap<>();
            Map<String, Node> endpoints = new HashMap<>();
            for (Node n : nodes) {
                checkUnique(numbers.put(n.number(), n), n, "number " + n.number());
                checkUnique(names.put(n.name(), n), n, "name " + n.name());
                checkUnique(endpoints.put(n.endpoint(), n), n, "address " + n.endpoint());
            }
            Node local;
            if (localNodeName != null) {
                local = names.get(localNodeName);
                if (local == null) {
                    throw new IllegalArgumentException(
                            "local node name " + localNodeName + " is not a node of " + "cluster " + name);
                }
            } else if (localNodeNumber < 0) {
                throw new IllegalArgumentException(
                        "local node not set: call localNode(int) or " + "localNodeName(String)");
            } else {
                local = numbers.get(localNodeNumber);
                if (local == null) {
                    throw new IllegalArgumentException(
                            "local node number " + localNodeNumber + " is not a node of " + "cluster " + name);
                }
            }
            checkTimeouts();
            List<Node> sorted = new ArrayList<>(nodes);
            sorted.sort(Comparator.comparingInt(Node::number));
            return new ClusterConfig(this, Collections.unmodifiableList(sorted), local);
        }

        private static void checkUnique(Node previous, Node node, String what) {
            if (previous != null) {
                throw new IllegalArgumentException("duplicate node " + what + ": " + previous + " and " + node);
            }
        }

        private void checkTimeouts() {
            checkPositive("idleTimeoutMs", idleTimeoutMs);
            checkPositive("keepaliveDelayMs", keepaliveDelayMs);
            checkPositive("reconnectDelayMs", reconnectDelayMs);
            if (idleTimeoutMs <= keepaliveDelayMs) {
                throw new IllegalArgumentException("idleTimeoutMs (" + idleTimeoutMs + ") must be greater than "
                        + "keepaliveDelayMs (" + keepaliveDelayMs + ")");
            }
            if (heartbeatDeadThreshold < KERNEL_MIN_HEARTBEAT_DEAD_THRESHOLD
                    || heartbeatDeadThreshold > MAX_HEARTBEAT_DEAD_THRESHOLD) {
                throw new IllegalArgumentException("heartbeatDeadThreshold " + heartbeatDeadThreshold
                        + " is out of range " + KERNEL_MIN_HEARTBEAT_DEAD_THRESHOLD + ".."
                        + MAX_HEARTBEAT_DEAD_THRESHOLD);
            }
            if (!shortTimeoutsAllowed) {
                checkMinimum("idleTimeoutMs", idleTimeoutMs, MIN_IDLE_TIMEOUT_MS);
                checkMinimum("keepaliveDelayMs", keepaliveDelayMs, MIN_KEEPALIVE_DELAY_MS);
                checkMinimum("reconnectDelayMs", reconnectDelayMs, MIN_RECONNECT_DELAY_MS);
                checkMinimum("heartbeatDeadThreshold", heartbeatDeadThreshold, MIN_HEARTBEAT_DEAD_THRESHOLD);
            }
        }

        private static void checkPositive(String what, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(what + " must be > 0, got " + value);
            }
        }

        private static void checkMinimum(String what, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException(what + " " + value + " is below the o2cb minimum of " + min
                        + "; call allowShortTimeouts() to permit it");
            }
        }
    }
}
