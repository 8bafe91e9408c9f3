// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ocfs2.o2net.node.NodeLiveness;

/**
 * The heartbeat of the Netty tier: the spec's {@code hbInc}, played step by step by {@link NettyDriver}. Each node's
 * view believes a node alive at one incarnation, and changes only when the driver delivers an event to it
 * ({@link #down}, {@link #up}), with the incarnation the spec's step names, on the driver's thread.
 * <p>
 * {@code LocalHeartbeat} in manual mode is not enough here: it queues a {@code nodeDown(old)} and a
 * {@code nodeUp(new)} for every restart and delivers its whole queue at once, while the spec's heartbeat takes one
 * {@code HbNodeDown(n)} or {@code HbNodeUp(n)} at a time and folds several restarts into one down (of the
 * incarnation it last believed alive) and one up (of the current one).
 */
final class NettyHeartbeat {
    private final Map<Integer, View> views = new HashMap<>();

    /**
     * Node {@code node} starts (or restarts) at {@code incarnation}; its new view believes the nodes of
     * {@code alive} alive at the incarnations given (the spec: a restarted node's heartbeat finds its peer alive).
     * An earlier view of the node gets no more events.
     */
    synchronized NodeLiveness start(int node, long incarnation, Map<Integer, Long> alive) {
        View v = new View(node, incarnation, alive);
        View old = views.put(node, v);
        if (old != null) {
            old.detached = true;
        }
        return v;
    }

    /** {@code to}'s heartbeat declares incarnation {@code incarnation} of {@code about} dead. */
    void down(int to, int about, long incarnation) {
        view(to).deliver(about, incarnation, false);
    }

    /** {@code to}'s heartbeat sees {@code about} alive at {@code incarnation}. */
    void up(int to, int about, long incarnation) {
        view(to).deliver(about, incarnation, true);
    }

    /** The incarnation of {@code about} that {@code to}'s heartbeat believes alive, 0 if none. */
    long believed(int to, int about) {
        return view(to).alive.getOrDefault(about, 0L);
    }

    private synchronized View view(int node) {
        View v = views.get(node);
        if (v == null) {
            throw new IllegalStateException("node " + node + " has not started");
        }
        return v;
    }

    /** One node's heartbeat. */
    private static final class View implements NodeLiveness {
        final int self;
        final long incarnation;
        final Map<Integer, Long> alive;
        final List<Listener> listeners = new CopyOnWriteArrayList<>();
        volatile boolean detached;

        View(int self, long incarnation, Map<Integer, Long> alive) {
            this.self = self;
            this.incarnation = incarnation;
            this.alive = new ConcurrentHashMap<>(alive);
        }

        void deliver(int about, long inc, boolean up) {
            if (detached) {
                return;
            }
            if (up) {
                alive.put(about, inc);
            } else {
                alive.remove(about);
            }
            for (Listener l : listeners) {
                if (up) {
                    l.nodeUp(about, inc);
                } else {
                    l.nodeDown(about, inc);
                }
            }
        }

        @Override
        public long incarnation() {
            return incarnation;
        }

        @Override
        public boolean isAlive(int node) {
            return node == self || alive.containsKey(node);
        }

        @Override
        public void addListener(Listener listener) {
            listeners.add(listener);
        }

        @Override
        public void removeListener(Listener listener) {
            listeners.remove(listener);
        }
    }
}
