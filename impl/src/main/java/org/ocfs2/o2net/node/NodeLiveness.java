// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

/**
 * What o2net needs from the heartbeat (the kernel's o2hb), as seen from one node: its own incarnation, which nodes are
 * alive, and node up/down events. Plug in a disk heartbeat, a membership service, or {@link LocalHeartbeat} for nodes
 * in one JVM.
 */
public interface NodeLiveness {
    /**
     * This node's incarnation: non-zero, different after every restart (o2hb's heartbeat generation). It is the
     * incarnation this node sends in the v12 handshake.
     */
    long incarnation();

    /** Whether {@code node} is alive as this node's heartbeat sees it; this node itself is always alive. */
    boolean isAlive(int node);

    /** Adds a listener; events that happen later are delivered to it, in order. */
    void addListener(Listener listener);

    /** Removes a listener. */
    void removeListener(Listener listener);

    /**
     * Node up/down events ({@code o2hb_register_callback}). Events for one node come in order, down before up after a
     * restart. A node-up announces the node's current incarnation, never one that has since restarted again, and a
     * node-down announces the incarnation last announced up: the reliable protocol compares them with the
     * incarnation its session is with (spec: {@code HbNodeDown}, {@code HbNodeUp}), and random incarnations cannot be
     * ordered. A listener must not block for long.
     */
    interface Listener {
        /** {@code node} is alive, at incarnation {@code incarnation}. */
        void nodeUp(int node, long incarnation);

        /** {@code node}'s incarnation {@code incarnation} is dead: the one this heartbeat saw alive until now. */
        void nodeDown(int node, long incarnation);
    }
}
