// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import static org.ocfs2.o2net.node.TestCluster.KEY;
import static org.ocfs2.o2net.node.TestCluster.MSG;
import static org.ocfs2.o2net.node.TestCluster.payload;
import static org.ocfs2.o2net.node.TestCluster.statusOf;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.ocfs2.o2net.fault.Fault;
import org.ocfs2.o2net.fault.FaultSchedule;
import org.ocfs2.o2net.fault.Outcome;
import org.ocfs2.o2net.netty.FaultInjector;
import org.ocfs2.o2net.netty.FrameHolds;
import org.ocfs2.o2net.netty.LogCapture;
import org.ocfs2.o2net.wire.Errno;
import org.ocfs2.o2net.wire.O2netException;

/**
 * One run of a {@link FaultSchedule} on a live cluster in this JVM (a {@link TestCluster} over loopback TCP, heartbeat
 * {@link LocalHeartbeat#manual()}), then the checks of {@link ClusterPropertyTest}. Schedule node {@code k} is cluster
 * node {@code k + 1} (127.0.0.{@code k+1}). See {@link ClusterPropertyTest} for what each event does and what is
 * checked. Single use: {@link #run()} once.
 */
final class ScheduleRun {
    /** Keepalive every 100 ms, idle timeout 1 s, reconnect 50 ms: fast runs; an idle timeout is just one more reset. */
    static final int KEEPALIVE_MS = 100;

    static final int IDLE_MS = 1000;
    static final int RECONNECT_MS = 50;
    /** How long quiesce waits for every call that is not abandoned to return. */
    static final long CALLS_RETURN_MS = 20_000;
    /** How long quiesce waits for every Message Holder, held message, orphan and parked call to go. */
    static final long DRAIN_MS = 10_000;
    /** How long a late heartbeat report waits for the restarted node to be connected first (not a failure). */
    static final long LATE_HB_CONNECT_MS = 2_000;
    /** How long a reset waits for its connection to be up. */
    static final long RESET_WAITS_MS = 1_000;
    /** How long the node threads of a closed cluster may take to end. */
    static final long THREADS_END_MS = 10_000;

    private final FaultSchedule schedule;
    private final boolean reliable;
    private final Totals totals;
    private final int size;
    /** {@code holds[a][b]}: the hold rules for frames that cluster node a writes to cluster node b. */
    private final FrameHolds[][] holds;

    private final List<CallRec> calls = new ArrayList<>();
    /** Restarts of each schedule node so far (incremented before the old process stops). */
    private final AtomicIntegerArray begun;
    /** Restarts of each schedule node that heartbeat has reported to every other node. */
    private final int[] seen;

    private final List<String> notes = new ArrayList<>();
    private TestCluster cluster;

    // this run's figures
    private long resetsAsked;
    private long resetsHit;
    private long restarts;
    private long nodeDowns;
    private long fences;
    private long lateReports;
    private long resends;
    private long duplicatesSuppressed;
    private long idleTimeouts;

    ScheduleRun(FaultSchedule schedule, boolean reliable, Totals totals) {
        this.schedule = schedule;
        this.reliable = reliable;
        this.totals = totals;
        this.size = schedule.nodes();
        this.holds = new FrameHolds[size + 1][size + 1];
        for (int a = 1; a <= size; a++) {
            for (int b = 1; b <= size; b++) {
                holds[a][b] = new FrameHolds();
            }
        }
        this.begun = new AtomicIntegerArray(size);
        this.seen = new int[size];
    }

    /** One call of a {@link Fault.Call} event. Node numbers are the schedule's. */
    private static final class CallRec {
        final String payload;
        final int from;
        final int to;
        final int event;
        final int begunAtStart;
        final int seenAtStart;
        CompletableFuture<Integer> future;
        /** Restarts of the target begun when the call completed; -1 while it has not. */
        volatile int begunAtEnd = -1;
        /** Its caller restarted while it was pending: nobody waits for it any more. */
        boolean abandoned;

        CallRec(String payload, int from, int to, int event, int begunAtStart, int seenAtStart) {
            this.payload = payload;
            this.from = from;
            this.to = to;
            this.event = event;
            this.begunAtStart = begunAtStart;
            this.seenAtStart = seenAtStart;
        }

        /**
         * The spec's {@code lost} ({@code ReliableO2net.tla}, {@code Send} and {@code Restart}): the target restarted
         * while the call was pending, or had restarted before it and heartbeat had not reported that yet.
         */
        boolean lost() {
            return begunAtEnd > seenAtStart;
        }

        String describe() {
            return "'" + payload + "' (event " + event + ", node " + from + " -> " + to + ")";
        }
    }

    /** Routes each frame to the hold rules of its link: a {@link FrameHolds} per ordered pair, cleared one by one. */
    private FaultInjector injector() {
        return (node, peer, direction, frame) -> {
            if (direction != FaultInjector.Direction.OUTBOUND || node < 1 || node > size || peer < 1 || peer > size) {
                return FaultInjector.Verdict.PASS;
            }
            return holds[node][peer].inspect(node, peer, direction, frame);
        };
    }

    Outcome run() {
        long t0 = System.nanoTime();
        Set<Thread> before = nodeThreads();
        List<String> failures = new ArrayList<>();
        String logText = "";
        try (LogCapture log = new LogCapture()) {
            try {
                cluster = TestCluster.builder(size)
                        .reliable(reliable)
                        .heartbeat(LocalHeartbeat.manual())
                        .faultInjector(injector())
                        .config(b -> b.keepaliveDelayMs(KEEPALIVE_MS)
                                .idleTimeoutMs(IDLE_MS)
                                .reconnectDelayMs(RECONNECT_MS))
                        .start()
                        .awaitConnected();
                perform();
                quiesceAndCheck(failures);
            } finally {
                try {
                    if (cluster != null) {
                        for (int n = 1; n <= size; n++) {
                            O2netNode node = cluster.node(n);
                            if (node != null) {
                                harvest(node);
                            }
                        }
                        cluster.close();
                    }
                } finally {
                    logText = log.text();
                    totals.add(this, System.nanoTime() - t0);
                }
            }
        }
        List<String> errors = logText.lines()
                .filter(l -> l.contains(" ERROR ") || l.contains("LEAK:"))
                .collect(Collectors.toList());
        if (!errors.isEmpty()) {
            failures.add("logged at ERROR (o2net node numbers; a Netty LEAK report may be about a buffer of an "
                    + "earlier test in this JVM): "
                    + String.join("\n      ", errors.subList(0, Math.min(10, errors.size()))));
        }
        List<Thread> leaked = awaitThreadsGone(before);
        if (!leaked.isEmpty()) {
            failures.add("node threads still alive " + THREADS_END_MS + " ms after the cluster closed: " + leaked);
        }
        if (failures.isEmpty()) {
            return Outcome.pass();
        }
        StringBuilder b = new StringBuilder(failures.size() + " check(s) failed (v" + (reliable ? 12 : 11) + ")");
        for (String f : failures) {
            b.append("\n  - ").append(f);
        }
        if (!notes.isEmpty()) {
            b.append("\n  notes: ").append(String.join("; ", notes));
        }
        List<String> warns = logText.lines().filter(l -> l.contains(" WARN ")).collect(Collectors.toList());
        if (!warns.isEmpty()) {
            b.append("\n  last WARN lines of the run:");
            for (String w : warns.subList(Math.max(0, warns.size() - 8), warns.size())) {
                b.append("\n    ").append(w);
            }
        }
        return Outcome.fail(b.toString());
    }

    // ----------------------------------------------------------------------------------------------------------------
    // The schedule, event by event
    // ----------------------------------------------------------------------------------------------------------------

    private void perform() {
        List<Fault> faults = schedule.faults();
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            if (f instanceof Fault.Call c) {
                call(i, c);
            } else if (f instanceof Fault.Reset r) {
                reset(r.nodeA(), r.nodeB());
            } else if (f instanceof Fault.Restart r) {
                quickRestart(r.node());
            } else if (f instanceof Fault.NodeDown d) {
                nodeDowns++;
                Fault next = i + 1 < faults.size() ? faults.get(i + 1) : null;
                if (next instanceof Fault.Restart r && r.node() == d.node() && r.step() == d.step()) {
                    fence(d.node()); // "down N; restart N": the death is noticed before the new incarnation exists
                    i++;
                } else if (begun.get(d.node()) > seen[d.node()]) {
                    lateReport(d.node()); // "restart N; ... down N": heartbeat catches up late
                } else {
                    fence(d.node()); // a false alarm about a live node: it is fenced
                }
            } else if (f instanceof Fault.Pause p) {
                TestCluster.sleep(p.millis());
            } else if (f instanceof Fault.HoldFrames h) {
                holds[h.fromNode() + 1][h.toNode() + 1].hold(h.fromNode() + 1, h.toNode() + 1, h.frames());
            } else {
                throw new IllegalArgumentException("unknown event " + f.format());
            }
        }
    }

    private void call(int event, Fault.Call c) {
        O2netNode from = cluster.node(c.fromNode() + 1);
        for (int k = 0; k < c.count(); k++) {
            String p = "s" + schedule.seed() + "-" + c.step() + "." + event + "-" + c.fromNode() + "to" + c.toNode()
                    + "-" + k;
            CallRec rec = new CallRec(p, c.fromNode(), c.toNode(), event, begun.get(c.toNode()), seen[c.toNode()]);
            calls.add(rec);
            CompletableFuture<Integer> f = from.sendAsync(MSG, KEY, payload(p), c.toNode() + 1);
            rec.future = f;
            f.whenComplete((v, e) -> rec.begunAtEnd = begun.get(rec.to));
        }
    }

    /**
     * Resets the A-B connection; if it is being remade (after an earlier reset or restart), once it is up again (at
     * most {@value #RESET_WAITS_MS} ms), so that every reset of a schedule hits a connection and what it carries.
     */
    private void reset(int a, int b) {
        resetsAsked++;
        O2netNode node = cluster.node(a + 1);
        waitFor(RESET_WAITS_MS, () -> node.connectedNodes().contains(b + 1));
        clearHolds(a, b);
        if (NodeControl.resetConnection(node, b + 1)) {
            resetsHit++;
        }
    }

    /** Hold rules of the link not used up yet go with the connection (held frames are lost with it anyway). */
    private void clearHolds(int a, int b) {
        holds[a + 1][b + 1].clear();
        holds[b + 1][a + 1].clear();
    }

    /** Before node {@code n}'s process stops: its pending calls lose their caller, its links lose their hold rules. */
    private void beforeRestart(int n) {
        for (CallRec c : calls) {
            if (c.from == n && !c.future.isDone()) {
                c.abandoned = true;
            }
        }
        for (int m = 0; m < size; m++) {
            if (m != n) {
                clearHolds(n, m);
            }
        }
        restarts++;
        begun.incrementAndGet(n);
    }

    /** {@code restart N} alone: a quick restart that heartbeat does not report until a later {@code down N}. */
    private void quickRestart(int n) {
        O2netNode old = cluster.node(n + 1);
        beforeRestart(n);
        cluster.restart(n + 1);
        harvest(old);
    }

    /**
     * Node {@code n} dies, heartbeat reports it dead to every node, it boots with a new incarnation and heartbeat
     * reports that too. Every pending heartbeat event of other nodes is delivered on the way.
     */
    private void fence(int n) {
        O2netNode old = cluster.node(n + 1);
        beforeRestart(n);
        fences++;
        cluster.crash(n + 1);
        harvest(old);
        deliverHeartbeat();
        cluster.rejoin(n + 1);
        deliverHeartbeat();
    }

    /** Heartbeat reports node {@code n}'s unseen restarts late: once its new incarnation is connected, if it can be. */
    private void lateReport(int n) {
        lateReports++;
        O2netNode node = cluster.node(n + 1);
        boolean connected =
                waitFor(LATE_HB_CONNECT_MS, () -> node.connectedNodes().size() == size - 1);
        if (!connected) {
            notes.add("late heartbeat report of node " + n + " made before it was connected to every node");
        }
        deliverHeartbeat();
    }

    private void deliverHeartbeat() {
        cluster.hb.deliver();
        if (cluster.hb.pendingEvents() == 0) {
            for (int n = 0; n < size; n++) {
                seen[n] = begun.get(n);
            }
        }
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Quiesce and check
    // ----------------------------------------------------------------------------------------------------------------

    private void quiesceAndCheck(List<String> failures) {
        // 1. No more faults: the hold rules go, held frames go on, heartbeat reports every restart.
        for (int a = 1; a <= size; a++) {
            for (int b = 1; b <= size; b++) {
                holds[a][b].clear();
            }
        }
        boolean released = waitFor(5_000, () -> {
            int held = 0;
            for (int a = 1; a <= size; a++) {
                for (int b = 1; b <= size; b++) {
                    if (a != b) {
                        NodeControl.releaseFrames(cluster.node(a), b);
                        held += NodeControl.heldFrames(cluster.node(a), b);
                    }
                }
            }
            return held == 0;
        });
        if (!released) {
            failures.add("frames still held after releasing them for 5 s");
        }
        deliverHeartbeat();

        // 2. Every call whose caller is still there returns.
        List<CallRec> live = calls.stream().filter(c -> !c.abandoned).collect(Collectors.toList());
        waitFor(CALLS_RETURN_MS, () -> live.stream().allMatch(c -> c.future.isDone()));
        List<CallRec> pending = live.stream().filter(c -> !c.future.isDone()).collect(Collectors.toList());
        if (!pending.isEmpty()) {
            StringBuilder b = new StringBuilder(pending.size() + " call(s) never returned, " + CALLS_RETURN_MS
                    + " ms after quiesce (schedule node k is o2net node k+1 in send_tracking and stats):");
            for (CallRec c : pending) {
                b.append("\n      ").append(c.describe());
            }
            Set<Integer> callers = pending.stream().map(c -> c.from).collect(Collectors.toCollection(HashSet::new));
            for (int n : callers) {
                O2netNode node = cluster.node(n + 1);
                b.append("\n      send_tracking of node ")
                        .append(n)
                        .append(" (o2net node ")
                        .append(n + 1)
                        .append("), then its stats:");
                for (SendTrack t : node.sendTracking()) {
                    b.append("\n        ").append(t);
                }
                for (PeerStats s : node.stats().values()) {
                    b.append("\n        ").append(s);
                }
            }
            for (int n : pending.stream().map(c -> c.to).collect(Collectors.toSet())) {
                b.append("\n      stats of target node ")
                        .append(n)
                        .append(" (o2net node ")
                        .append(n + 1)
                        .append("):");
                for (PeerStats s : cluster.node(n + 1).stats().values()) {
                    b.append("\n        ").append(s);
                }
            }
            failures.add(b.toString());
        }

        // 3. Nothing is left behind: no Message Holder, held message, orphan or parked call, on any node.
        long drainMs = pending.isEmpty() ? DRAIN_MS : 0; // calls still pending hold their messages anyway
        boolean drained = waitFor(drainMs, () -> leftovers().isEmpty());
        if (!drained) {
            failures.add("not drained " + drainMs + " ms after the calls returned (o2net node numbers): "
                    + String.join("; ", leftovers()));
        }

        // 4. Exactly once, status fidelity, no other error.
        checkCalls(failures);
    }

    private List<String> leftovers() {
        List<String> out = new ArrayList<>();
        for (int a = 1; a <= size; a++) {
            for (int b = 1; b <= size; b++) {
                if (a != b) {
                    PeerStats s = cluster.node(a).stats(b);
                    if (s.mhCount() != 0 || s.heldCount() != 0 || s.orphans() != 0 || s.waitingForConnection() != 0) {
                        out.add(s.toString());
                    }
                }
            }
        }
        return out;
    }

    private void checkCalls(List<String> failures) {
        Map<String, AtomicInteger> runs = cluster.runs;
        Set<String> issued = calls.stream().map(c -> c.payload).collect(Collectors.toSet());
        for (Map.Entry<String, AtomicInteger> e : runs.entrySet()) {
            int n = e.getValue().get();
            if (n > 1) {
                totals.duplicateRuns += n - 1;
                failures.add("exactly once: the handler of '" + e.getKey() + "' ran " + n + " times");
            }
            if (!issued.contains(e.getKey())) {
                failures.add("a handler ran for '" + e.getKey() + "', which no call sent");
            }
        }
        for (CallRec c : calls) {
            totals.calls++;
            if (c.abandoned) {
                totals.abandoned++;
                continue;
            }
            if (!c.future.isDone()) {
                totals.lostCalls++;
                continue;
            }
            int ran = runs.containsKey(c.payload) ? runs.get(c.payload).get() : 0;
            Integer status = null;
            Throwable error = null;
            try {
                status = c.future.get();
            } catch (ExecutionException | CompletionException e) {
                error = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (status != null) {
                totals.ok++;
                int want = statusOf(payload(c.payload));
                if (status != want) {
                    failures.add("status fidelity: " + c.describe() + " returned " + status + ", its handler's "
                            + "status is " + want);
                }
                if (ran != 1) {
                    failures.add("status fidelity: " + c.describe() + " returned a status but its handler ran " + ran
                            + " times");
                }
                continue;
            }
            Errno errno = error instanceof O2netException o ? o.errno() : null;
            if (errno == Errno.EHOSTDOWN || errno == Errno.ENOTCONN) {
                if (ran > 0) {
                    totals.failedButRan++;
                }
                if (!reliable) {
                    // Today's o2net: a reset kills every call in flight (O2net.tla); allowed, and counted.
                    if (c.lost()) {
                        totals.ehostdownAllowed++;
                    } else {
                        totals.ehostdownWithoutRestart++;
                        if (ran == 0) {
                            totals.v11NeverRan++;
                        } else {
                            totals.v11Ran++;
                        }
                    }
                    if (errno != Errno.EHOSTDOWN) {
                        failures.add("v11: " + c.describe() + " failed with " + errno + ": " + error.getMessage());
                    }
                    continue;
                }
                if (!c.lost()) {
                    totals.ehostdownWithoutRestart++;
                    failures.add("host down: " + c.describe() + " failed with " + errno + " but node " + c.to
                            + " did not restart while it was pending, nor before it unseen by heartbeat (restarts of "
                            + "node " + c.to + ": " + c.begunAtStart + " at the call, " + c.seenAtStart
                            + " of them reported; " + c.begunAtEnd + " when it failed): " + error.getMessage());
                } else if (errno == Errno.ENOTCONN && ran != 0) {
                    failures.add("host down: " + c.describe() + " failed with ENOTCONN (never sent) but its "
                            + "handler ran " + ran + " times");
                } else {
                    totals.ehostdownAllowed++;
                    if (errno == Errno.ENOTCONN) {
                        totals.enotconnAllowed++;
                    }
                    if (c.begunAtEnd > c.begunAtStart) {
                        totals.lostDuring++;
                    } else {
                        totals.lostUnseenBefore++;
                    }
                }
                continue;
            }
            totals.otherErrors++;
            failures.add("no other error: " + c.describe() + " failed with " + error);
        }
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Helpers
    // ----------------------------------------------------------------------------------------------------------------

    /** Adds a node's counters (the last ones, once it is closed) to this run's figures. */
    private void harvest(O2netNode node) {
        for (PeerStats s : node.stats().values()) {
            if (s == null) {
                continue;
            }
            resends += s.resends();
            duplicatesSuppressed += s.duplicates();
            idleTimeouts += s.idleTimeouts();
        }
    }

    private static boolean waitFor(long millis, BooleanSupplier condition) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            TestCluster.sleep(5);
        }
        return true;
    }

    private static Set<Thread> nodeThreads() {
        Set<Thread> out = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("o2net-")) {
                out.add(t);
            }
        }
        return out;
    }

    private static List<Thread> awaitThreadsGone(Set<Thread> before) {
        List<Thread> left = new ArrayList<>();
        waitFor(THREADS_END_MS, () -> {
            left.clear();
            for (Thread t : nodeThreads()) {
                if (!before.contains(t)) {
                    left.add(t);
                }
            }
            return left.isEmpty();
        });
        return left;
    }

    /** Figures over every run of a property (shrink runs included). Touched by the test thread only. */
    static final class Totals {
        final String name;
        long runs;
        long seeds;
        long calls;
        long ok;
        long abandoned;
        long ehostdownAllowed;
        long enotconnAllowed;
        long lostDuring;
        long lostUnseenBefore;
        long ehostdownWithoutRestart;
        long v11NeverRan;
        long v11Ran;
        long failedButRan;
        long otherErrors;
        long lostCalls;
        long duplicateRuns;
        long resetsAsked;
        long resetsHit;
        long restarts;
        long fences;
        long nodeDowns;
        long lateReports;
        long framesHeld;
        long resends;
        long duplicatesSuppressed;
        long idleTimeouts;
        long nanos;
        long slowestNanos;

        Totals(String name) {
            this.name = name;
        }

        void add(ScheduleRun r, long runNanos) {
            runs++;
            resetsAsked += r.resetsAsked;
            resetsHit += r.resetsHit;
            restarts += r.restarts;
            fences += r.fences;
            nodeDowns += r.nodeDowns;
            lateReports += r.lateReports;
            for (FrameHolds[] row : r.holds) {
                for (FrameHolds h : row) {
                    if (h != null) {
                        framesHeld += h.heldSoFar();
                    }
                }
            }
            resends += r.resends;
            duplicatesSuppressed += r.duplicatesSuppressed;
            idleTimeouts += r.idleTimeouts;
            nanos += runNanos;
            slowestNanos = Math.max(slowestNanos, runNanos);
        }

        String format(long wallNanos) {
            return String.format(
                    "%s: %d runs (%d seeds), %d calls made: %d returned ok, %d EHOSTDOWN allowed "
                            + "(target restarted: %d during the call, %d before it unseen by heartbeat; %d of them "
                            + "ENOTCONN before being sent), %d abandoned (caller restarted), %d failed calls whose "
                            + "handler ran; EHOSTDOWN without a restart: %d (handler never ran: %d, ran: %d); "
                            + "other errors: %d; lost calls: %d; duplicate handler runs: %d%n"
                            + "  faults: %d resets injected (%d asked, %d found no connection), %d restarts (%d seen "
                            + "by heartbeat first), %d node-downs (%d late reports), %d frames held; protocol: %d "
                            + "re-sends, %d duplicates suppressed, %d idle timeouts%n"
                            + "  time: %.1f s (runs %.1f s, slowest run %.2f s)",
                    name,
                    runs,
                    seeds,
                    calls,
                    ok,
                    ehostdownAllowed,
                    lostDuring,
                    lostUnseenBefore,
                    enotconnAllowed,
                    abandoned,
                    failedButRan,
                    ehostdownWithoutRestart,
                    v11NeverRan,
                    v11Ran,
                    otherErrors,
                    lostCalls,
                    duplicateRuns,
                    resetsHit,
                    resetsAsked,
                    resetsAsked - resetsHit,
                    restarts,
                    fences,
                    nodeDowns,
                    lateReports,
                    framesHeld,
                    resends,
                    duplicatesSuppressed,
                    idleTimeouts,
                    wallNanos / 1e9,
                    nanos / 1e9,
                    slowestNanos / 1e9);
        }
    }
}
