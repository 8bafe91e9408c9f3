// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.ocfs2.o2net.wire.Handshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A heartbeat for nodes in one JVM: a shared registry that plays o2hb for each node that {@linkplain #join joins}.
 * Each node gets a {@link NodeLiveness} view; each view has its own belief of who is alive, which changes only when an
 * event is delivered to it.
 * <ul>
 * <li>{@link #join(int)}: the node starts heartbeating with a fresh random incarnation; it sees every node that
 * heartbeats now, and the others are told {@code nodeUp}.</li>
 * <li>{@link #restart(int)}: the node stops and starts again with a new incarnation (o2hb sees a new generation): the
 * others are told {@code nodeDown(old)} then {@code nodeUp(new)}. The returned view is the new process's; the old
 * view gets no more events.</li>
 * <li>{@link #stop(int)}: the node stops heartbeating (it died, or its heartbeat stalled): the others are told
 * {@code nodeDown}. The node's own view keeps receiving events (if its process still runs, it still sees the others)
 * until the node {@linkplain #join joins} again, which gives it a new view.</li>
 * </ul>
 * When the others hear of it is the {@link Delivery} policy: at once (on the calling thread), after a fixed delay (on
 * a timer thread), or only when {@link #deliver()} is called, so that a test can make "a quick restart unseen by
 * heartbeat". Events are delivered in the order they happened. Thread-safe.
 */
public final class LocalHeartbeat implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(LocalHeartbeat.class);

    /** When events reach the other nodes. */
    public enum Delivery {
        /** At once, on the thread that made the change. */
        IMMEDIATE,
        /** After the configured delay, on a timer thread. */
        DELAYED,
        /** Only when {@link #deliver()} is called. */
        MANUAL
    }

    private final Delivery delivery;
    private final long delayNanos;
    private final Map<Integer, Long> live = new HashMap<>();
    private final Map<Integer, View> views = new HashMap<>();
    private final ArrayDeque<Event> manual = new ArrayDeque<>();
    private final ArrayDeque<Event> ready = new ArrayDeque<>();
    private boolean delivering;
    private ScheduledExecutorService timer;

    private LocalHeartbeat(Delivery delivery, Duration delay) {
        this.delivery = delivery;
        this.delayNanos = delay.toNanos();
    }

    /** Returns a heartbeat that tells the others at once. */
    public static LocalHeartbeat immediate() {
        return new LocalHeartbeat(Delivery.IMMEDIATE, Duration.ZERO);
    }

    /** Returns a heartbeat that tells the others {@code delay} after a change. */
    public static LocalHeartbeat delayed(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay: " + delay);
        }
        return new LocalHeartbeat(Delivery.DELAYED, delay);
    }

    /** Returns a heartbeat that tells the others only on {@link #deliver()}. */
    public static LocalHeartbeat manual() {
        return new LocalHeartbeat(Delivery.MANUAL, Duration.ZERO);
    }

    /** Returns the delivery policy. */
    public Delivery delivery() {
        return delivery;
    }

    /**
     * Node {@code node} starts heartbeating with a fresh incarnation.
     *
     * @return the node's view, to build its {@link O2netNode} with
     * @throws IllegalStateException if the node heartbeats already
     */
    public NodeLiveness join(int node) {
        List<Event> events = new ArrayList<>();
        View v;
        synchronized (this) {
            if (live.containsKey(node)) {
                throw new IllegalStateException("node " + node + " already heartbeats");
            }
            v = start(node, events);
        }
        publish(events);
        return v;
    }

    /**
     * Node {@code node} restarts: a new incarnation; the others learn of the old one's death and the new one's life.
     *
     * @return the new process's view
     * @throws IllegalStateException if the node does not heartbeat
     */
    public NodeLiveness restart(int node) {
        List<Event> events = new ArrayList<>();
        View v;
        synchronized (this) {
            stop(node, events);
            v = start(node, events);
        }
        publish(events);
        return v;
    }

    /**
     * Node {@code node} stops heartbeating; the others learn it is dead.
     *
     * @throws IllegalStateException if the node does not heartbeat
     */
    public void stop(int node) {
        List<Event> events = new ArrayList<>();
        synchronized (this) {
            stop(node, events);
        }
        publish(events);
    }

    /** Returns {@code node}'s current incarnation, or 0 if it does not heartbeat. */
    public synchronized long incarnation(int node) {
        return live.getOrDefault(node, 0L);
    }

    /** Returns how many events wait for {@link #deliver()} ({@link Delivery#MANUAL}). */
    public synchronized int pendingEvents() {
        return manual.size();
    }

    /** Delivers every event waiting ({@link Delivery#MANUAL}), in order, on this thread. */
    public void deliver() {
        List<Event> events;
        synchronized (this) {
            events = new ArrayList<>(manual);
            manual.clear();
        }
        enqueue(events);
    }

    private View start(int node, List<Event> events) {
        long inc = Handshake.newIncarnation();
        View v = new View(node, inc, new HashMap<>(live));
        live.put(node, inc);
        for (View other : views.values()) {
            if (other.self != node) {
                events.add(new Event(other, node, inc, true));
            }
        }
        View old = views.put(node, v);
        if (old != null) {
            old.detached = true; // the process it belonged to is gone
        }
        return v;
    }

    private void stop(int node, List<Event> events) {
        Long inc = live.remove(node);
        if (inc == null) {
            throw new IllegalStateException("node " + node + " does not heartbeat");
        }
        for (View other : views.values()) {
            if (other.self != node) {
                events.add(new Event(other, node, inc, false));
            }
        }
    }

    private void publish(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        switch (delivery) {
            case IMMEDIATE:
                enqueue(events);
                break;
            case DELAYED:
                timer().schedule(() -> enqueue(events), delayNanos, TimeUnit.NANOSECONDS);
                break;
            case MANUAL:
                synchronized (this) {
                    manual.addAll(events);
                }
                break;
            default:
                throw new AssertionError(delivery);
        }
    }

    /** Delivers events in order, one thread at a time, with no lock held while listeners run. */
    private void enqueue(List<Event> events) {
        synchronized (this) {
            ready.addAll(events);
            if (delivering) {
                return;
            }
            delivering = true;
        }
        for (; ; ) {
            Event e;
            synchronized (this) {
                e = ready.poll();
                if (e == null) {
                    delivering = false;
                    return;
                }
            }
            if (current(e)) {
                e.view.apply(e);
            }
        }
    }

    /**
     * Whether {@code e} is still news, as the spec's heartbeat gives it ({@code HbNodeDown}, {@code HbNodeUp} in
     * ReliableO2net.tla): a node-up announces only the node's current incarnation, a node-down only the incarnation
     * this view last saw alive. Events that a later restart made stale are folded away, so two quick restarts read
     * "down(first), up(third)", never "up(second)" after the second incarnation is gone.
     */
    private boolean current(Event e) {
        if (e.up) {
            synchronized (this) {
                return live.getOrDefault(e.node, 0L) == e.incarnation;
            }
        }
        return e.view.alive.getOrDefault(e.node, 0L) == e.incarnation;
    }

    private synchronized ScheduledExecutorService timer() {
        if (timer == null) {
            ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
                Thread th = new Thread(r, "local-heartbeat");
                th.setDaemon(true);
                return th;
            });
            t.setRemoveOnCancelPolicy(true);
            timer = t;
        }
        return timer;
    }

    /** Stops the timer thread ({@link Delivery#DELAYED}); events not yet delivered are dropped. */
    @Override
    public void close() {
        ScheduledExecutorService t;
        synchronized (this) {
            t = timer;
            timer = null;
        }
        if (t != null) {
            t.shutdownNow();
            try {
                t.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final class Event {
        final View view;
        final int node;
        final long incarnation;
        final boolean up;

        Event(View view, int node, long incarnation, boolean up) {
            this.view = view;
            this.node = node;
            this.incarnation = incarnation;
            this.up = up;
        }
    }

    /** One node's heartbeat view. */
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

        void apply(Event e) {
            if (detached) {
                return;
            }
            if (e.up) {
                alive.put(e.node, e.incarnation);
            } else {
                alive.remove(e.node);
            }
            for (Listener l : listeners) {
                try {
                    if (e.up) {
                        l.nodeUp(e.node, e.incarnation);
                    } else {
                        l.nodeDown(e.node, e.incarnation);
                    }
                } catch (RuntimeException ex) {
                    logger.error(
                            "heartbeat listener of node {} failed on node {} {}",
                            self,
                            e.node,
                            e.up ? "up" : "down",
                            ex);
                }
            }
        }

        @Override
        public String toString() {
            return "LocalHeartbeat view of node " + self + " (incarnation 0x" + Long.toHexString(incarnation) + ")";
        }
    }
}
