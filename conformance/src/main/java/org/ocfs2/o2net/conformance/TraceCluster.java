// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.ocfs2.o2net.config.ClusterConfig;
import org.ocfs2.o2net.node.HandlerRegistration;
import org.ocfs2.o2net.node.ListenPorts;
import org.ocfs2.o2net.node.LocalHeartbeat;
import org.ocfs2.o2net.node.NodeControl;
import org.ocfs2.o2net.node.NodeLiveness;
import org.ocfs2.o2net.node.O2netNode;
import org.ocfs2.o2net.wire.O2netException;
import org.ocfs2.o2net.wire.ProtocolVersion;

/**
 * A real run that records an event log: a cluster of {@code nodes} {@link O2netNode}s in this JVM (protocol v12, or v13 with {@link Settings#withV13},
 * loopback TCP, node i on 127.0.0.i, heartbeat a {@link LocalHeartbeat}), every node's {@code TraceSink} one
 * {@link LogRecorder}, under a random workload with random faults drawn from a seed:
 * <ul>
 *   <li>callers: {@code callersPerNode} threads per node ({@code n<node>c<j>}, the log's callers), each calling a
 *       random other node again and again, a few milliseconds apart; a call's payload is its number (ASCII) and the
 *       handler returns that number ({@link LogCodec#NUMBERED}): with an odd seed it runs on the handler executor and
 *       sometimes takes a few milliseconds, with an even seed on the receive path;</li>
 *   <li>faults, one at a time, tens of milliseconds apart: a TCP reset of a random connection
 *       ({@code NodeControl.resetConnection}, a real RST); a restart of a random node (close, {@code
 *       LocalHeartbeat.restart}, a new node with the new incarnation); a node death (close, heartbeat stops: once
 *       every other node's heartbeat sees the node dead, their calls to it fail at once; then it joins again, and
 *       once the others see it alive, a new node starts).</li>
 * </ul>
 * Then the faults stop, the callers go on until {@code settleCalls} more calls have returned and stop, the recorder
 * stops, and the nodes close. What the run must contain is waited for as events and counts (heartbeat news seen,
 * calls returned), never as time that should have been enough; the pauses between calls and between faults only
 * pace the workload.
 * <p>
 * A "death" is a crash: a node whose heartbeat stops is dead (o2hb fences a node that stops heartbeating), which is
 * what the spec's Restart then HbNodeDown say; a heartbeat that declares a live node dead is not a step of the spec.
 * Faults never overlap: at most one node is down at a time (the spec's Restart gives the restarted node a heartbeat
 * that sees its peer alive).
 */
public final class TraceCluster {
    /** The message type and key the callers use. */
    public static final int MSG = 7;

    public static final int KEY = 0x1234;

    /** The longest the run waits for anything it needs (news, calls): only turns a hang into a problem. */
    static final Duration LIMIT = Duration.ofSeconds(60);

    private final Settings settings;
    private final LogRecorder recorder = new LogRecorder(LogCodec.NUMBERED);
    private final LocalHeartbeat hb;
    private final ClusterConfig[] configs;
    private final AtomicReferenceArray<O2netNode> nodes;
    /** Each node's heartbeat view: the one its current node was built with. */
    private final AtomicReferenceArray<NodeLiveness> liveness;

    private final AtomicInteger nextCall = new AtomicInteger();
    private final AtomicLong ok = new AtomicLong();
    private final Map<String, AtomicLong> failed = new ConcurrentHashMap<>();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stop;

    /**
     * What to run.
     *
     * @param seed           the seed of the faults and of each caller's choices
     * @param nodes          nodes 1..nodes
     * @param callersPerNode caller threads per node
     * @param faults         how many faults
     * @param resetPercent   the share of resets among the faults; the rest are restarts and deaths, half each
     * @param heartbeatDelay how late heartbeat news reach the other nodes (zero: at once)
     * @param settleCalls    how many calls must return after the last fault before the callers stop
     * @param maxPauseMs     a caller waits 1..maxPauseMs ms between two calls
     * @param window         0: protocol v12; else protocol v13, every node announcing this window
     */
    public record Settings(
            long seed,
            int nodes,
            int callersPerNode,
            int faults,
            int resetPercent,
            Duration heartbeatDelay,
            int settleCalls,
            int maxPauseMs,
            int window) {
        /**
         * Three nodes, two callers each pausing up to 10 ms, {@code faults} faults, 60% resets, heartbeat at once,
         * 150 calls returned after the last fault.
         */
        public static Settings of(long seed, int faults) {
            return new Settings(seed, 3, 2, faults, 60, Duration.ZERO, 150, 10, 0);
        }

        /** The same with heartbeat news {@code delay} late. */
        public Settings withHeartbeatDelay(Duration delay) {
            return new Settings(
                    seed, nodes, callersPerNode, faults, resetPercent, delay, settleCalls, maxPauseMs, window);
        }

        /** The same with callers pausing up to {@code ms} between calls. */
        public Settings withMaxPause(int ms) {
            return new Settings(
                    seed, nodes, callersPerNode, faults, resetPercent, heartbeatDelay, settleCalls, ms, window);
        }

        /** The same in protocol v13 (AckO2net), every node announcing window {@code w}. */
        public Settings withV13(int w) {
            if (w < 1) {
                throw new IllegalArgumentException("window " + w);
            }
            return new Settings(
                    seed, nodes, callersPerNode, faults, resetPercent, heartbeatDelay, settleCalls, maxPauseMs, w);
        }
    }

    /**
     * What happened.
     *
     * @param settings      what was run
     * @param events        the event log, in order
     * @param calls         calls started by the callers
     * @param ok            calls that returned a status
     * @param failed        calls that failed, by errno
     * @param faults        faults injected, by kind
     * @param problems      calls that returned another call's status, calls that did not return, or heartbeat news
     *                      that never came: safety or liveness failures seen by the workload itself
     * @param time          wall time of the run
     */
    public record Result(
            Settings settings,
            List<LogEvent> events,
            long calls,
            long ok,
            SortedMap<String, Long> failed,
            SortedMap<String, Integer> faults,
            List<String> problems,
            Duration time) {
        /** The header fields of the log file. */
        public Map<String, String> info() {
            if (settings.window() > 0) {
                return Map.of(
                        "run",
                        "TraceCluster",
                        "seed",
                        Long.toString(settings.seed()),
                        "nodes",
                        Integer.toString(settings.nodes()),
                        "faults",
                        faults.toString(),
                        "heartbeatDelayMs",
                        Long.toString(settings.heartbeatDelay().toMillis()),
                        "protocol",
                        "13",
                        "window",
                        Integer.toString(settings.window()));
            }
            return Map.of(
                    "run",
                    "TraceCluster",
                    "seed",
                    Long.toString(settings.seed()),
                    "nodes",
                    Integer.toString(settings.nodes()),
                    "faults",
                    faults.toString(),
                    "heartbeatDelayMs",
                    Long.toString(settings.heartbeatDelay().toMillis()));
        }
    }

    private TraceCluster(Settings settings) {
        this.settings = settings;
        this.hb = settings.heartbeatDelay().isZero()
                ? LocalHeartbeat.immediate()
                : LocalHeartbeat.delayed(settings.heartbeatDelay());
        this.configs = new ClusterConfig[settings.nodes() + 1];
        this.nodes = new AtomicReferenceArray<>(settings.nodes() + 1);
        this.liveness = new AtomicReferenceArray<>(settings.nodes() + 1);
    }

    /** Runs the cluster and returns its log. */
    public static Result run(Settings settings) throws InterruptedException {
        return new TraceCluster(settings).run();
    }

    private Result run() throws InterruptedException {
        long start = System.nanoTime();
        SplittableRandom random = new SplittableRandom(settings.seed());
        SortedMap<String, Integer> faults = new TreeMap<>();
        List<Thread> callers = new ArrayList<>();
        try {
            startCluster();
            for (int n = 1; n <= settings.nodes(); n++) {
                for (int j = 0; j < settings.callersPerNode(); j++) {
                    int node = n;
                    SplittableRandom r = random.split();
                    Thread t = new Thread(() -> callLoop(node, r), "n" + n + "c" + j);
                    t.setDaemon(true);
                    callers.add(t);
                    t.start();
                }
            }
            for (int f = 0; f < settings.faults(); f++) {
                Thread.sleep(20 + random.nextInt(60));
                int n = 1 + random.nextInt(settings.nodes());
                int dice = random.nextInt(100);
                if (dice < settings.resetPercent()) {
                    int m = 1 + random.nextInt(settings.nodes() - 1);
                    m = m >= n ? m + 1 : m;
                    O2netNode node = nodes.get(n);
                    if (node != null && NodeControl.resetConnection(node, m)) {
                        faults.merge("reset", 1, Integer::sum);
                    }
                } else if (dice < settings.resetPercent() + (100 - settings.resetPercent()) / 2) {
                    crash(n);
                    NodeLiveness view = hb.restart(n);
                    nodes.set(n, newNode(n, view));
                    faults.merge("restart", 1, Integer::sum);
                } else {
                    crash(n);
                    hb.stop(n);
                    awaitHeartbeat(n, false);
                    Thread.sleep(40 + random.nextInt(80)); // pacing: the others' calls to n fail meanwhile
                    NodeLiveness view = hb.join(n);
                    awaitHeartbeat(n, true);
                    nodes.set(n, newNode(n, view));
                    faults.merge("death", 1, Integer::sum);
                }
            }
            long settled = ok.get() + settings.settleCalls();
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (ok.get() < settled && problems.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    problems.add((settings.settleCalls() - (settled - ok.get())) + " of " + settings.settleCalls()
                            + " calls returned in " + LIMIT + " after the last fault");
                    break;
                }
                Thread.sleep(1);
            }
            stop = true;
            for (Thread t : callers) {
                t.join(LIMIT.toMillis());
                if (t.isAlive()) {
                    problems.add("caller " + t.getName() + " still blocked in a call " + LIMIT
                            + " after the workload stopped");
                }
            }
        } finally {
            stop = true;
            recorder.stop();
            for (int n = 1; n <= settings.nodes(); n++) {
                O2netNode node = nodes.getAndSet(n, null);
                if (node != null) {
                    node.close();
                }
            }
            hb.close();
        }
        SortedMap<String, Long> fails = new TreeMap<>();
        failed.forEach((k, v) -> fails.put(k, v.get()));
        return new Result(
                settings,
                recorder.events(),
                nextCall.get(),
                ok.get(),
                fails,
                faults,
                List.copyOf(problems),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Waits until the heartbeat of every other node running now sees node {@code n} alive ({@code up}) or dead; a
     * problem if that news has not come within {@link #LIMIT}.
     */
    private void awaitHeartbeat(int n, boolean up) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        for (int m = 1; m <= settings.nodes(); m++) {
            NodeLiveness view = liveness.get(m);
            if (m == n || view == null) {
                continue;
            }
            while (view.isAlive(n) != up) {
                if (System.nanoTime() > deadline) {
                    problems.add("node " + m + "'s heartbeat did not see node " + n + (up ? " alive" : " dead")
                            + " within " + LIMIT);
                    return;
                }
                Thread.sleep(1);
            }
        }
    }

    private void crash(int n) {
        O2netNode old = nodes.getAndSet(n, null);
        if (old != null) {
            old.close();
        }
    }

    private void callLoop(int self, SplittableRandom random) {
        while (!stop) {
            O2netNode node = nodes.get(self);
            int target = 1 + random.nextInt(settings.nodes() - 1);
            target = target >= self ? target + 1 : target;
            int pause = 1 + random.nextInt(settings.maxPauseMs());
            if (node == null) {
                sleep(pause);
                continue;
            }
            int id = nextCall.incrementAndGet();
            try {
                int status = node.send(MSG, KEY, Integer.toString(id).getBytes(StandardCharsets.US_ASCII), target);
                ok.incrementAndGet();
                if (status != id) {
                    problems.add("call " + id + " from "
                            + Thread.currentThread().getName() + " to node " + target + " returned status " + status);
                }
            } catch (O2netException e) {
                failed.computeIfAbsent(e.errno().name(), k -> new AtomicLong()).incrementAndGet();
            }
            sleep(pause);
        }
    }

    private static void sleep(int ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void startCluster() throws InterruptedException {
        ServerSocketChannel[] listeners = new ServerSocketChannel[settings.nodes() + 1];
        for (int n = 1; n <= settings.nodes(); n++) {
            listeners[n] = ListenPorts.belowEphemeralRange("127.0.0." + n);
        }
        for (int n = 1; n <= settings.nodes(); n++) {
            ClusterConfig.Builder b = ClusterConfig.newBuilder()
                    .name("trace")
                    .reliable(true)
                    .keepaliveDelayMs(200)
                    .idleTimeoutMs(2000)
                    .reconnectDelayMs(20)
                    .heartbeatDeadThreshold(2)
                    .allowShortTimeouts();
            for (int m = 1; m <= settings.nodes(); m++) {
                b.addNode(m, "n" + m, "127.0.0." + m, O2netNode.port(listeners[m]));
            }
            if (settings.window() > 0) {
                b.protocol(ProtocolVersion.V13).window(settings.window());
            }
            configs[n] = b.localNode(n).build();
        }
        NodeLiveness[] views = new NodeLiveness[settings.nodes() + 1];
        for (int n = 1; n <= settings.nodes(); n++) {
            views[n] = hb.join(n);
        }
        // The nodes see each other before they start, as in the spec's initial state.
        awaitAllAlive(views);
        for (int n = 1; n <= settings.nodes(); n++) {
            nodes.set(n, newNode(n, views[n], listeners[n]));
        }
    }

    /** Waits until every view sees every node alive (the heartbeat news of the joins have all come). */
    private void awaitAllAlive(NodeLiveness[] joined) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        for (int m = 1; m <= settings.nodes(); m++) {
            for (int n = 1; n <= settings.nodes(); n++) {
                while (!joined[m].isAlive(n)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                "node " + m + "'s heartbeat did not see node " + n + " alive within " + LIMIT);
                    }
                    Thread.sleep(1);
                }
            }
        }
    }

    /** A restarted node: listens on its configured port again (see {@link ListenPorts}). */
    private O2netNode newNode(int n, NodeLiveness view) {
        return newNode(
                n, view, O2netNode.listen("127.0.0." + n, configs[n].localNode().port()));
    }

    private O2netNode newNode(int n, NodeLiveness view, ServerSocketChannel listener) {
        liveness.set(n, view);
        O2netNode node = O2netNode.builder(configs[n], view)
                .serverChannel(listener)
                .trace(recorder)
                .build();
        // odd seeds: the handler on the executor, sometimes sleeping; even seeds: on the receive path, never blocking
        boolean executor = (settings.seed() & 1) != 0;
        node.registerHandler(
                MSG,
                KEY,
                4072,
                req -> {
                    int id;
                    try {
                        id = Integer.parseInt(new String(req.payload(), StandardCharsets.US_ASCII));
                    } catch (NumberFormatException e) {
                        return -1;
                    }
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    if (executor && r.nextInt(4) == 0) {
                        Thread.sleep(1 + r.nextInt(4));
                    }
                    return id;
                },
                executor ? HandlerRegistration.Dispatch.EXECUTOR : HandlerRegistration.Dispatch.RECEIVE_PATH);
        node.start();
        return node;
    }
}
