// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import static java.util.Objects.requireNonNull;

import org.ocfs2.o2net.netty.FaultInjector;

/**
 * The test controls of an {@link O2netNode}: reset a connection, release the frames a fault injector holds, make a
 * connection attempt now, look at a peer's state. Tests, fault schedules, the conformance replay and the benchmarks
 * need them; a production user must not, so {@code O2netNode} keeps them package-private and only this class of the
 * test kit (o2net-testkit, which shares the package on the class path) reaches them.
 * <p>
 * Every control runs on the peer's event loop and returns once it has run there.
 */
public final class NodeControl {
    private NodeControl() {}

    /**
     * Resets the connection of {@code node} to {@code peer} with a real RST (SO_LINGER 0, then close); the node then
     * behaves as after any connection loss.
     *
     * @return false if there was no connection
     */
    public static boolean resetConnection(O2netNode node, int peer) {
        return node(node).resetConnection(peer);
    }

    /** Releases every frame the fault injector holds on the connection of {@code node} to {@code peer}; how many. */
    public static int releaseFrames(O2netNode node, int peer) {
        return node(node).releaseFrames(peer);
    }

    /**
     * Releases the oldest {@code max} frames the fault injector holds in {@code direction} on the connection of
     * {@code node} to {@code peer}, and no other, in order; returns how many. A replay delivers frames one at a time
     * with it.
     */
    public static int releaseFrames(O2netNode node, int peer, FaultInjector.Direction direction, int max) {
        return node(node).releaseFrames(peer, requireNonNull(direction, "direction"), max);
    }

    /** Counts the frames the fault injector holds now on the connection of {@code node} to {@code peer}. */
    public static int heldFrames(O2netNode node, int peer) {
        return node(node).heldFrames(peer);
    }

    /**
     * Makes one connection attempt from {@code node} to {@code peer} now, for a node built with
     * {@link O2netNode.Builder#autoConnect autoConnect(false)}: if {@code node} is the connector (the higher-numbered
     * node), has no connection to {@code peer}, heartbeat sees it alive and there is no persistent error. A failed
     * attempt is not retried. With auto-connect on, this only makes an attempt sooner.
     *
     * @return whether an attempt was started
     */
    public static boolean connect(O2netNode node, int peer) {
        return node(node).connect(peer);
    }

    /**
     * The state of {@code node} towards {@code peer} now: the protocol core's state, the frames the fault injector
     * holds on the connection, the calls waiting for a connection. Taken on the peer's event loop (consistent, no
     * data race); read-only. After {@link O2netNode#close()}, the state the node was left in.
     *
     * @throws IllegalArgumentException if {@code peer} is not a peer of {@code node}, or the node was never started
     */
    public static PeerInspection inspect(O2netNode node, int peer) {
        return node(node).inspect(peer);
    }

    private static O2netNode node(O2netNode node) {
        return requireNonNull(node, "node");
    }
}
