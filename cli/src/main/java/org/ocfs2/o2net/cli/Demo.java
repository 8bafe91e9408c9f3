// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.ocfs2.o2net.cli.testhandlers.LedgerHandlers;
import org.ocfs2.o2net.cli.testhandlers.TestHandlers;
import org.ocfs2.o2net.node.ListenPorts;
import org.ocfs2.o2net.node.O2netNode;

/**
 * {@code o2net demo}: a local cluster of separate node processes sharing an o2hb region file, a workload of calls
 * through their admin sockets, resets (real RSTs, injected by the nodes at random MSG/STATUS frames) and SIGKILL
 * restarts, once per protocol, then the protocols side by side.
 * <p>
 * What a call's outcome means is decided from outside the nodes: every handler run is a line in its node's ledger
 * file (kept across restarts), every call's payload is unique, and the orchestrator knows when it killed a node and
 * when the cluster had taken the restarted node back (its restart window). A call that got an error although neither
 * its node nor its target restarted during it is <em>lost</em> (today's o2net: -EHOSTDOWN from a node that still
 * heartbeats, the hang o2dlm falls into); the caller re-sends it, as an application must, and a payload that appears
 * twice in a ledger is a handler <em>run twice</em>. The reliable protocol's promise: none lost, none run twice, every
 * call its own status, no caller left blocked once the faults stop.
 */
final class Demo {
    /** What the demo does; see {@link DemoCommand} for the meaning of each. */
    record Settings(
            int nodes,
            int callersPerNode,
            long phaseMillis,
            int resetPerMille,
            long restartEveryMillis,
            List<Protocol> protocols,
            long seed,
            Path dir,
            int minResets,
            int minRestarts,
            long drainMillis,
            String classPath,
            boolean netns,
            long partitionEveryMillis,
            long partitionMaxMillis,
            int minPartitions,
            boolean retryLost,
            long progressMillis) {}

    /** The outcome of one protocol's run: the checker's verdict on its record, and the nodes' counters. */
    static final class Result {
        final Protocol protocol;
        /** Live counts for the progress lines; the verdict is what counts. */
        final AtomicLong liveCalls = new AtomicLong();

        final AtomicLong liveLost = new AtomicLong();
        RunRecord.Verdict verdict = new RunRecord.Verdict();
        long resets;
        long restarts;
        volatile long partitions;
        long resends;
        long duplicatesSuppressed;
        double seconds;

        Result(Protocol protocol) {
            this.protocol = protocol;
        }

        /** Whether every promise of the reliable protocol held in this run. */
        boolean keptPromises() {
            return verdict.kept();
        }
    }

    private static final long SETTLE_MS = 60_000;

    private final Settings s;
    private final PrintWriter out;
    private final List<DemoNode> running = new CopyOnWriteArrayList<>();
    private final Runnable onInterrupt;

    /**
     * @param onInterrupt run after the nodes are killed if the JVM stops while the demo runs (SIGINT): removes the
     *     demo's files
     */
    Demo(Settings settings, PrintWriter out, Runnable onInterrupt) {
        this.s = settings;
        this.out = out;
        this.onInterrupt = onInterrupt;
    }

    /** Runs every protocol in turn; returns the results in order. */
    List<Result> run() throws Exception {
        Thread hook = new Thread(
                () -> {
                    destroyAll();
                    out.println();
                    out.println("o2net: interrupted; the node processes are killed");
                    out.flush();
                    onInterrupt.run();
                },
                "o2net demo: stop the nodes");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            List<Result> results = new ArrayList<>();
            for (int i = 0; i < s.protocols().size(); i++) {
                results.add(phase(s.protocols().get(i), i));
            }
            return results;
        } finally {
            destroyAll();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }

    private void destroyAll() {
        for (DemoNode n : running) {
            n.destroy();
        }
        Netns n = netns;
        if (n != null) {
            n.close();
        }
    }

    // --------------------------------------------------------------------------------------------------------------
    // One protocol
    // --------------------------------------------------------------------------------------------------------------

    /** Set while the callers must stop starting calls. */
    private volatile boolean stop;

    private volatile Netns netns;

    private Result phase(Protocol protocol, int index) throws Exception {
        Path dir = Files.createDirectories(s.dir().resolve(protocol.name()));
        Result r = new Result(protocol);
        if (s.netns()) {
            netns = Netns.create("o2t" + (ProcessHandle.current().pid() % 10_000) + "p" + index, s.nodes());
        }
        List<DemoNode> nodes = cluster(dir, protocol);
        out.printf(
                "%n== %s: %d node processes%s, %d callers each; resets at %d per mille of frames; a SIGKILL restart"
                        + " about every %.0f s%s (%s) ==%n",
                protocol.describe(),
                s.nodes(),
                s.netns() ? " in their own network namespaces" : "",
                s.callersPerNode(),
                s.resetPerMille(),
                s.restartEveryMillis() / 1000.0,
                s.partitionEveryMillis() > 0
                        ? String.format(
                                Locale.ROOT,
                                "; a partition about every %.0f s, up to %.0f s",
                                s.partitionEveryMillis() / 1000.0,
                                s.partitionMaxMillis() / 1000.0)
                        : "",
                dir);
        out.flush();
        try (RunRecord record = new RunRecord(dir)) {
            for (DemoNode n : nodes) {
                n.start();
                running.add(n);
            }
            for (DemoNode n : nodes) {
                awaitSettled(nodes, n);
            }
            Windows windows = new Windows(s.nodes());
            Stats stats = new Stats(nodes);
            for (DemoNode n : nodes) {
                setFaults(n, s.resetPerMille());
            }
            stop = false;
            long t0 = System.nanoTime();
            List<Caller> callers = new ArrayList<>();
            for (DemoNode from : nodes) {
                for (int c = 0; c < s.callersPerNode(); c++) {
                    long seed = s.seed() * 1_000_003L + index * 10_007L + from.number * 101L + c;
                    Caller caller = new Caller(r, record, nodes, from, windows, new Random(seed), index, c);
                    caller.thread.start();
                    callers.add(caller);
                }
            }
            faults(r, record, nodes, windows, stats, index, t0);
            r.seconds = (System.nanoTime() - t0) / 1e9;

            // the faults stop; every caller must come back
            stop = true;
            for (DemoNode n : nodes) {
                setFaults(n, 0);
            }
            long drainEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(s.drainMillis());
            for (Caller c : callers) {
                c.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(drainEnd - System.nanoTime())));
                if (c.thread.isAlive()) {
                    c.hung();
                }
            }
            long[] left = awaitQuiet(nodes);
            record.fault("left " + left[0] + " " + left[1]);
            stats.sampleAll();
            r.resets = stats.resets();
            r.resends = stats.sum("resends");
            r.duplicatesSuppressed = stats.sum("duplicates");
            for (DemoNode n : nodes) {
                n.stop();
                running.remove(n);
            }
            for (Caller c : callers) {
                c.thread.join(TimeUnit.SECONDS.toMillis(5)); // the nodes' stop answered the hung ones
            }
        } finally {
            Netns n = netns;
            netns = null;
            if (n != null) {
                n.close();
            }
        }
        r.verdict = RunRecord.check(dir);
        progress(r, null, r.seconds);
        out.printf("   %s: %s%n", protocol.name(), verdict(r.verdict));
        for (String e : r.verdict.examples) {
            out.printf("     e.g. %s%n", e);
        }
        out.flush();
        return r;
    }

    /**
     * The fault schedule: SIGKILL restarts (here) and partitions (on their own thread, so that a partition heals on
     * time while a restarted node waits for it to reconnect), at random, until the time and the faults asked for are
     * done.
     */
    private void faults(
            Result r, RunRecord record, List<DemoNode> nodes, Windows windows, Stats stats, int index, long t0)
            throws Exception {
        Random faults = new Random(s.seed() * 7 + index);
        long nextRestart = t0 + jitter(faults, s.restartEveryMillis());
        long nextProgress = t0 + TimeUnit.MILLISECONDS.toNanos(s.progressMillis());
        long hardEnd = t0 + TimeUnit.MILLISECONDS.toNanos(4 * s.phaseMillis() + 120_000);
        Partitions partitions = null;
        if (netns != null && s.partitionEveryMillis() > 0) {
            partitions = new Partitions(r, record, nodes.size(), new Random(s.seed() * 13 + index));
            partitions.thread.start();
        }
        try {
            while (true) {
                long now = System.nanoTime();
                boolean timeUp = now - t0 >= TimeUnit.MILLISECONDS.toNanos(s.phaseMillis());
                boolean enough = stats.resets() >= s.minResets()
                        && r.restarts >= s.minRestarts()
                        && r.partitions >= s.minPartitions();
                if ((timeUp && enough) || now - hardEnd > 0) {
                    if (!enough) {
                        out.printf(
                                "   (stopping without the faults asked for: %d resets of %d, %d restarts of %d,"
                                        + " %d partitions of %d)%n",
                                stats.resets(),
                                s.minResets(),
                                r.restarts,
                                s.minRestarts(),
                                r.partitions,
                                s.minPartitions());
                    }
                    break;
                }
                if (s.restartEveryMillis() > 0 && now - nextRestart >= 0) {
                    DemoNode victim = nodes.get(faults.nextInt(nodes.size()));
                    restart(nodes, victim, windows, stats, record);
                    r.restarts++;
                    nextRestart = System.nanoTime() + jitter(faults, s.restartEveryMillis());
                }
                if (now - nextProgress >= 0) {
                    stats.sampleAll();
                    r.resets = stats.resets();
                    r.resends = stats.sum("resends");
                    r.duplicatesSuppressed = stats.sum("duplicates");
                    progress(r, nodes, (System.nanoTime() - t0) / 1e9);
                    nextProgress += TimeUnit.MILLISECONDS.toNanos(s.progressMillis());
                }
                Thread.sleep(50); // the driver's own pace: it polls its clocks, the callers wait on their calls
            }
        } finally {
            if (partitions != null) {
                partitions.finish();
            }
        }
    }

    /** Partitions two random nodes now and then, one partition at a time, until {@link #finish}; heals the last. */
    private final class Partitions implements Runnable {
        final Thread thread = new Thread(this, "o2net partitions");
        private final Result r;
        private final RunRecord record;
        private final int nodes;
        private final Random random;
        private volatile boolean done;

        Partitions(Result r, RunRecord record, int nodes, Random random) {
            this.r = r;
            this.record = record;
            this.nodes = nodes;
            this.random = random;
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (pause(jitter(random, s.partitionEveryMillis()))) {
                    int a = 1 + random.nextInt(nodes);
                    int b;
                    do {
                        b = 1 + random.nextInt(nodes);
                    } while (b == a);
                    long ms = 1000 + (long) (random.nextDouble() * Math.max(0, s.partitionMaxMillis() - 1000));
                    netns.partition(a, b);
                    long cutAt = System.nanoTime();
                    synchronized (r) {
                        r.partitions++;
                    }
                    out.printf(
                            Locale.ROOT,
                            "   partition between nodes %d and %d for %.1f s (blackhole routes)%n",
                            a,
                            b,
                            ms / 1000.0);
                    out.flush();
                    pause(TimeUnit.MILLISECONDS.toNanos(ms)); // healed on time even when finishing
                    netns.heal(a, b);
                    record.fault("partition " + a + " " + b + " " + cutAt + " " + System.nanoTime());
                    out.printf("   healed the partition between nodes %d and %d%n", a, b);
                    out.flush();
                }
            } catch (RuntimeException e) {
                out.println("   partitions stopped: " + e.getMessage());
                out.flush();
            }
        }

        /** Waits {@code nanos}, or less once finishing; returns whether to go on. */
        private synchronized boolean pause(long nanos) {
            long end = System.nanoTime() + nanos;
            while (!done) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return false;
        }

        /** Stops making partitions, heals the current one, and waits for that. */
        void finish() throws InterruptedException {
            synchronized (this) {
                done = true;
                notifyAll();
            }
            thread.join();
        }
    }

    private static long jitter(Random random, long millis) {
        return TimeUnit.MILLISECONDS.toNanos((long) (millis * (0.5 + random.nextDouble())));
    }

    /** Writes cluster.conf, the o2cb settings and a zeroed region, and returns the nodes (not started). */
    private List<DemoNode> cluster(Path dir, Protocol protocol) throws IOException {
        StringBuilder conf = new StringBuilder("cluster:\n\tnode_count = " + s.nodes() + "\n\tname = demo\n");
        for (int n = 1; n <= s.nodes(); n++) {
            String address;
            int port;
            if (netns != null) {
                address = Netns.address(n);
                port = 7777; // each node has its namespace to itself: o2net's own port
            } else {
                address = "127.0.0." + n;
                // below the ephemeral range, released just before the node process binds it again
                try (ServerSocketChannel ch = ListenPorts.belowEphemeralRange(address)) {
                    port = O2netNode.port(ch);
                }
            }
            conf.append("\nnode:\n\tip_port = ")
                    .append(port)
                    .append("\n\tip_address = ")
                    .append(address)
                    .append("\n\tnumber = ")
                    .append(n)
                    .append("\n\tname = n")
                    .append(n)
                    .append("\n\tcluster = demo\n");
        }
        Path clusterConf = Files.writeString(dir.resolve("cluster.conf"), conf);
        Path sysconfig = Files.writeString(
                dir.resolve("o2cb"),
                "O2CB_BOOTCLUSTER=demo\nO2CB_HEARTBEAT_THRESHOLD=7\nO2CB_IDLE_TIMEOUT_MS=10000\n"
                        + "O2CB_KEEPALIVE_DELAY_MS=2000\nO2CB_RECONNECT_DELAY_MS=200\n");
        Path region = dir.resolve("region");
        Files.write(region, new byte[(1 + 255) * 512]);
        List<DemoNode> nodes = new ArrayList<>();
        for (int n = 1; n <= s.nodes(); n++) {
            nodes.add(new DemoNode(
                    n,
                    dir,
                    s.classPath(),
                    netns != null ? netns.exec(n) : List.of(),
                    List.of(
                            "--config",
                            clusterConf.toString(),
                            "--sysconfig",
                            sysconfig.toString(),
                            "--region",
                            region.toString(),
                            "--hb-interval-ms",
                            "200",
                            "--allow-short-timeouts",
                            "--protocol",
                            protocol.name())));
        }
        return nodes;
    }

    /**
     * Waits until {@code node} answers, is connected to every other node, and every other node is connected to it and
     * (v12 and later) has seen its current incarnation in a handshake.
     */
    private void awaitSettled(List<DemoNode> nodes, DemoNode node) throws Exception {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MS);
        while (!settled(nodes, node)) {
            if (!node.alive()) {
                throw new CliException(ExitCodes.FAILED, "node " + node.number + " exited: see " + node.logFile());
            }
            if (System.nanoTime() - end > 0) {
                throw new CliException(
                        ExitCodes.FAILED,
                        "node " + node.number + " was not connected to every node within " + SETTLE_MS / 1000
                                + " s: see " + node.logFile());
            }
            Thread.sleep(50);
        }
    }

    private static boolean settled(List<DemoNode> nodes, DemoNode node) {
        JsonNode st = node.request("status", null);
        if (st == null || st.path("connectedNodes").size() != nodes.size() - 1) {
            return false;
        }
        String inc = st.path("node").path("incarnation").asText();
        boolean reliable = !"v11".equals(st.path("node").path("protocol").asText());
        for (DemoNode other : nodes) {
            if (other == node) {
                continue;
            }
            JsonNode o = other.request("status", null);
            if (o == null) {
                return false;
            }
            boolean seen = false;
            for (JsonNode p : o.path("peers")) {
                if (p.path("node").asInt() == node.number) {
                    seen = "connected".equals(p.path("state").asText())
                            && (!reliable
                                    || inc.equals(p.path("peerIncarnation").asText()));
                }
            }
            if (!seen) {
                return false;
            }
        }
        return true;
    }

    /** Waits (bounded) until no node holds a message or a Message Holder; returns what is left {MHs, held}. */
    private long[] awaitQuiet(List<DemoNode> nodes) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(s.drainMillis());
        while (true) {
            long mh = 0;
            long held = 0;
            for (DemoNode n : nodes) {
                JsonNode st = n.request("status", null);
                if (st == null) {
                    continue;
                }
                for (JsonNode p : st.path("peers")) {
                    mh += p.path("stats").path("mhCount").asLong();
                    held += p.path("stats").path("heldCount").asLong();
                }
            }
            if ((mh == 0 && held == 0) || System.nanoTime() - end > 0) {
                return new long[] {mh, held};
            }
            Thread.sleep(50);
        }
    }

    private void restart(List<DemoNode> nodes, DemoNode victim, Windows windows, Stats stats, RunRecord record)
            throws Exception {
        stats.sample(victim);
        stats.retire(victim);
        int w = windows.open(victim.number);
        long killedAt = System.nanoTime();
        victim.kill();
        out.printf("   SIGKILL node %d; starting it again%n", victim.number);
        out.flush();
        victim.start();
        awaitSettled(nodes, victim);
        setFaults(victim, s.resetPerMille());
        windows.close(victim.number, w);
        record.fault("restart " + victim.number + " " + killedAt + " " + System.nanoTime());
    }

    private static void setFaults(DemoNode n, int perMille) {
        ObjectNode a = AdminServer.JSON.createObjectNode().put("resetPerMille", perMille);
        n.request("faults", a);
    }

    /** One progress line; with {@code nodes} the live counts, without them the checker's. */
    private void progress(Result r, List<DemoNode> nodes, double secs) {
        long calls;
        long lost;
        long twice = 0;
        if (nodes != null) {
            calls = r.liveCalls.get();
            lost = r.liveLost.get();
            Map<String, Integer> runs = new HashMap<>();
            for (DemoNode n : nodes) {
                try {
                    Ledger.readAll(n.ledger, runs);
                } catch (IOException e) {
                    // not written yet
                }
            }
            for (int v : runs.values()) {
                if (v > 1) {
                    twice++;
                }
            }
        } else {
            calls = r.verdict.calls;
            lost = r.verdict.lost;
            twice = r.verdict.runTwice;
        }
        out.printf(
                Locale.ROOT,
                "   %-4s %6.1f s  calls %,8d (%,5.0f/s)  resets %,5d  restarts %3d%s  resends %,6d"
                        + "  dups suppressed %,5d  lost %,5d  run twice %,5d%n",
                r.protocol.name(),
                secs,
                calls,
                calls / Math.max(secs, 0.001),
                r.resets,
                r.restarts,
                s.partitionEveryMillis() > 0 ? String.format(Locale.ROOT, "  partitions %3d", r.partitions) : "",
                r.resends,
                r.duplicatesSuppressed,
                lost,
                twice);
        out.flush();
    }

    static String verdict(RunRecord.Verdict v) {
        if (v.kept()) {
            return "every call returned its own status or failed only with its node's restart; no handler ran twice;"
                    + " nothing left held";
        }
        List<String> broken = new ArrayList<>();
        if (v.lost > 0) {
            broken.add(v.lost + " calls failed while their target kept heartbeating (o2dlm would wait for a"
                    + " node-down that never comes)");
        }
        if (v.runTwice > 0) {
            broken.add(v.runTwice + " handlers ran twice");
        }
        if (v.wrongStatus > 0 || v.okWithoutRun > 0) {
            broken.add((v.wrongStatus + v.okWithoutRun) + " calls returned a status not their handler's");
        }
        if (v.hung > 0) {
            broken.add(v.hung + " callers hung");
        }
        if (v.mhLeft > 0 || v.heldLeft > 0) {
            broken.add(v.mhLeft + " Message Holders and " + v.heldLeft + " held messages left");
        }
        return String.join("; ", broken);
    }

    // --------------------------------------------------------------------------------------------------------------
    // The callers
    // --------------------------------------------------------------------------------------------------------------

    /** One caller: calls one random other node after another through its node's admin socket. */
    private final class Caller implements Runnable {
        final Thread thread;
        private final Result r;
        private final RunRecord record;
        private final List<DemoNode> nodes;
        private final DemoNode from;
        private final Windows windows;
        private final Random random;
        private final String prefix;
        private long k;
        private volatile String current;
        private volatile int currentTo;
        private volatile long currentT0;

        Caller(
                Result r,
                RunRecord record,
                List<DemoNode> nodes,
                DemoNode from,
                Windows windows,
                Random random,
                int phase,
                int c) {
            this.r = r;
            this.record = record;
            this.nodes = nodes;
            this.from = from;
            this.windows = windows;
            this.random = random;
            this.prefix = "p" + phase + "-n" + from.number + "c" + c + "-";
            this.thread = new Thread(this, "o2net caller " + from.number + "." + c);
            this.thread.setDaemon(true);
        }

        /** Records the call this caller is blocked in as hung (the faults stopped long ago). */
        void hung() {
            String p = current;
            if (p != null) {
                current = null;
                record.call(p, from.number, currentTo, "hung", "-", currentT0, -1);
            }
        }

        @Override
        public void run() {
            String retry = null;
            DemoNode retryTarget = null;
            int attempts = 0;
            while (!stop) {
                DemoNode to = retryTarget;
                String id = retry;
                if (id == null) {
                    do {
                        to = nodes.get(random.nextInt(nodes.size()));
                    } while (to == from);
                    id = prefix + k++;
                    attempts = 0;
                }
                retry = null;
                retryTarget = null;
                byte[] payload = id.getBytes(StandardCharsets.US_ASCII);
                ObjectNode a = AdminServer.JSON
                        .createObjectNode()
                        .put("to", to.number)
                        .put("type", LedgerHandlers.LEDGER)
                        .put("key", TestHandlers.KEY)
                        .put("payloadHex", HexFormat.of().formatHex(payload));
                int fromEpoch = from.epoch;
                long t0 = System.nanoTime();
                currentTo = to.number;
                currentT0 = t0;
                current = id;
                JsonNode answer = from.request("call", a);
                long t1 = System.nanoTime();
                if (current == null) {
                    return; // recorded as hung by the driver
                }
                current = null;
                r.liveCalls.incrementAndGet();
                if (answer == null || from.epoch != fromEpoch) {
                    // this caller's node died under it (or is restarting): the call's fate went with it
                    record.call(id, from.number, to.number, "died", "-", t0, t1);
                    awaitNode(from);
                    continue;
                }
                if (answer.path("ok").asBoolean() && answer.has("status")) {
                    record.call(
                            id,
                            from.number,
                            to.number,
                            "ok",
                            answer.path("status").asText(),
                            t0,
                            t1);
                    continue;
                }
                record.call(
                        id, from.number, to.number, "err", answer.path("errno").asText("?"), t0, t1);
                if (!windows.overlaps(to.number, t0, t1) && !windows.overlaps(from.number, t0, t1)) {
                    r.liveLost.incrementAndGet();
                    if (s.retryLost() && attempts++ < 5) {
                        // the application cannot know whether the handler ran: it sends the same request again
                        retry = id;
                        retryTarget = to;
                    }
                }
            }
        }

        private void awaitNode(DemoNode n) {
            while (!stop && n.request("status", null) == null) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    // --------------------------------------------------------------------------------------------------------------
    // Restart windows, statistics, ledgers
    // --------------------------------------------------------------------------------------------------------------

    /**
     * Per node, the intervals from a kill until the cluster had the restarted node back: a call that overlaps one of
     * its target's (or its own node's) may fail with EHOSTDOWN, as o2net promises.
     */
    static final class Windows {
        private final List<List<long[]>> byNode = new ArrayList<>();

        Windows(int nodes) {
            for (int n = 0; n <= nodes; n++) {
                byNode.add(new ArrayList<>());
            }
        }

        synchronized int open(int node) {
            List<long[]> l = byNode.get(node);
            l.add(new long[] {System.nanoTime(), Long.MAX_VALUE});
            return l.size() - 1;
        }

        synchronized void close(int node, int window) {
            byNode.get(node).get(window)[1] = System.nanoTime();
        }

        synchronized boolean overlaps(int node, long from, long to) {
            for (long[] w : byNode.get(node)) {
                if (w[0] <= to && w[1] >= from) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The nodes' counters, summed over peers and over the processes each node has had. */
    static final class Stats {
        private final Map<Integer, Map<String, Long>> current = new HashMap<>();
        private final Map<String, Long> retired = new HashMap<>();
        private final List<DemoNode> nodes;

        Stats(List<DemoNode> nodes) {
            this.nodes = nodes;
        }

        synchronized void sampleAll() {
            for (DemoNode n : nodes) {
                sample(n);
            }
        }

        synchronized void sample(DemoNode n) {
            JsonNode st = n.request("status", null);
            if (st == null) {
                return;
            }
            Map<String, Long> m = new HashMap<>();
            m.put("resets", st.path("faults").path("resets").asLong());
            for (JsonNode p : st.path("peers")) {
                for (String f : new String[] {"resends", "duplicates", "handlerRuns"}) {
                    m.merge(f, p.path("stats").path(f).asLong(), Long::sum);
                }
            }
            current.put(n.number, m);
        }

        /** The node's process is about to die: its last sample counts for ever. */
        synchronized void retire(DemoNode n) {
            Map<String, Long> m = current.remove(n.number);
            if (m != null) {
                m.forEach((k, v) -> retired.merge(k, v, Long::sum));
            }
        }

        synchronized long sum(String field) {
            long v = retired.getOrDefault(field, 0L);
            for (Map<String, Long> m : current.values()) {
                v += m.getOrDefault(field, 0L);
            }
            return v;
        }

        long resets() {
            return sum("resets");
        }
    }

    /** Reads ledger files: one line per handler run, {@code <payload> <from>}. */
    static final class Ledger {
        private Ledger() {}

        /** Adds every run in {@code file} to {@code runs} (payload to count); a partial last line is ignored. */
        static void readAll(Path file, Map<String, Integer> runs) throws IOException {
            if (!Files.exists(file)) {
                return;
            }
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                byte[] all = new byte[(int) f.length()];
                f.readFully(all);
                int start = 0;
                for (int i = 0; i < all.length; i++) {
                    if (all[i] == '\n') {
                        String line = new String(all, start, i - start, StandardCharsets.US_ASCII);
                        int sp = line.indexOf(' ');
                        runs.merge(sp < 0 ? line : line.substring(0, sp), 1, Integer::sum);
                        start = i + 1;
                    }
                }
            }
        }
    }
}
