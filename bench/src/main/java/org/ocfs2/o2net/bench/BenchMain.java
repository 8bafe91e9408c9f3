// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.ocfs2.o2net.bench.flood.FloodBench;
import org.ocfs2.o2net.bench.load.LoadBench;
import org.ocfs2.o2net.bench.load.LoadRun;
import org.ocfs2.o2net.bench.load.SyscallCounter;
import org.ocfs2.o2net.bench.memory.MemoryBench;
import org.ocfs2.o2net.bench.micro.MicroBench;
import org.ocfs2.o2net.bench.profile.ProfileBench;
import org.ocfs2.o2net.bench.recovery.RecoveryBench;

/**
 * The benchmark harness, {@code bin/o2net-bench}: runs the sections, prints each table as it is done, and writes them
 * with the machine and the command between the markers of {@code BENCHMARKS.md} (the text outside the markers is
 * kept). Exit status 1 if any call failed or returned a wrong status, or anything was left held after a run.
 *
 * <pre>
 *   --sections load,recovery,flood,memory,micro,profile   which sections (default: all)
 *   --targets off,reliable,v13,v13-executor,grpc   the systems besides the floor (default: all)
 *   --concurrency 1,8,64  --payloads 64,4072
 *   --warmup 3 --measure 5                  seconds per load cell
 *   --recovery-runs 5                       recoveries per recovery cell (the median is shown)
 *   --flame-dir docs/flame                  where the profile section writes its flame graphs
 *   --quick                                 short everything (a smoke run; figures not meaningful)
 *   --out FILE | --no-write                 where the tables go (default BENCHMARKS.md)
 * </pre>
 */
public final class BenchMain {
    static final String BEGIN = "<!-- bench:begin (written by bin/o2net-bench; edit outside the markers) -->";
    static final String END = "<!-- bench:end -->";

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("o2net-bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run(o, String.join(" ", args)));
    }

    /** Runs the sections of {@code o}; returns the exit status. */
    static int run(Options o, String argLine) throws Exception {
        List<String> problems = new ArrayList<>();
        StringBuilder md = new StringBuilder();
        md.append("Command: `bin/o2net-bench")
                .append(argLine.isEmpty() ? "" : " " + argLine)
                .append("`, ")
                .append(LocalDate.now())
                .append(".\n\n")
                .append(machine())
                .append('\n');
        if (o.sections.contains("load")) {
            System.out.println("== End to end (" + o.warmup.toSeconds() + " s warm-up, " + o.measure.toMillis() / 1000.0
                    + " s measured per cell) ==");
            List<String> left = new ArrayList<>();
            List<LoadRun.Result> results =
                    LoadBench.run(o.targets, o.concurrency, o.payloads, o.warmup, o.measure, left);
            Table t = LoadBench.table(results);
            t.note("Closed loop: each caller thread makes one blocking call after another; client and server in this "
                    + "JVM on loopback. Payload → 4-byte status. Floor: a connection per caller; o2net and gRPC: one "
                    + "shared connection. × floor = calls/s over the floor's at the same callers and payload. CPU, "
                    + "allocation and system calls are per call, both ends together.");
            t.note("Left held after the runs (MHs + held messages + orphans, both nodes): " + left + ".");
            Table ratios = LoadBench.ratios(results);
            emit(md, t);
            emit(md, ratios);
            Table fast = LoadBench.fastPath(results);
            fast.note("Goals (issue 12): p50 at 1 caller ≤ 1.5× the floor, p99 ≤ 2×; calls/s at 64 callers ≥ 0.8× the "
                    + "floor and ≥ 2.5× gRPC, p99 ≤ 1/3 of gRPC's; CPU per call ≤ 1.5× the floor's; ≤ 256 B allocated "
                    + "per call at 64 B.");
            emit(md, fast);
            Table frames = LoadBench.framesTable(LoadBench.frames(o.targets, o.concurrency, o.quick ? 2000 : 20000));
            frames.note("Every frame either node wrote (MSG, STATUS, MH_REMOVE, MH_REMOVED, ACK, keepalives) during a "
                    + "counted run of that many calls, after a warm-up, the nodes quiet before and after.");
            emit(md, frames);
            for (LoadRun.Result r : results) {
                if (r.errors() > 0) {
                    problems.add(r.target() + " at " + r.concurrency() + " callers, " + r.payloadBytes() + " B: "
                            + r.errors() + " errors, first: " + r.firstError());
                }
            }
            for (String l : left) {
                if (!l.endsWith(": 0")) {
                    problems.add("left held after the load: " + l);
                }
            }
        }
        if (o.sections.contains("profile")) {
            System.out.println("== Profile: flame graphs of a call (one caller, 64 B) ==");
            List<String> keys = new ArrayList<>();
            for (String k : List.of("off", "v13-executor", "v13")) {
                if (o.targets.contains(k)) {
                    keys.add(k);
                }
            }
            List<ProfileBench.Result> results = ProfileBench.run(keys, o.warmup, o.measure, o.flameDir);
            Table t = new Table(
                    "Profiles: CPU samples of every thread during one caller's closed loop (64 B)",
                    "target",
                    "calls",
                    "seconds",
                    "samples",
                    "samples per call",
                    "flame graph",
                    "B allocated per call (sampled)",
                    "allocation flame graph");
            for (ProfileBench.Result r : results) {
                t.row(
                        r.target(),
                        Table.count(r.calls()),
                        Table.fixed(r.seconds(), 1),
                        Table.count(r.samples()),
                        Table.fixed((double) r.samples() / r.calls(), 3),
                        "`" + r.svg() + "`",
                        Table.count(Math.round(r.bytesPerCall())),
                        "`" + r.allocSvg() + "`");
                System.out.println("  " + r.target() + ": " + r.svg());
            }
            emit(md, t);
        }
        if (o.sections.contains("recovery")) {
            System.out.println("== Recovery ==");
            int[] ks = o.quick ? new int[] {1, 100} : new int[] {1, 100, 1000};
            int[] delays = o.quick ? new int[] {100} : new int[] {2000, 100};
            List<RecoveryBench.Cell> results = RecoveryBench.runAll(ks, delays, o.quick ? 1 : o.recoveryRuns);
            Table t = RecoveryBench.table(results);
            t.note("Node 2 has K calls (64 B) in flight to node 1; the fault injector holds the K requests (or the K "
                    + "status replies) on the connection, then node 2 resets it with a real RST, losing them. "
                    + "Times from the reset. 2000 ms is the kernel's default reconnect delay. Each protocol first "
                    + "recovers once per loss at the largest K and the shortest delay, not recorded (JIT warm-up); "
                    + "then each cell runs `runs` times, the protocols' runs interleaved, and the row is the run "
                    + "with the median time to the last return. Reliable: every call "
                    + "returned its own handler's status and every handler ran once (checked). Off (v11): every call "
                    + "fails with EHOSTDOWN, whether or not its handler ran.");
            emit(md, t);
            for (RecoveryBench.Cell r : results) {
                if (r.leftOver() != 0) {
                    problems.add("recovery " + r + ": " + r.leftOver() + " left held");
                }
            }
        }
        if (o.sections.contains("flood")) {
            long fresh = o.quick ? 100_000 : 1_000_000;
            System.out.println("== Message Holder flood (" + fresh + " fresh msg_seq) ==");
            List<FloodBench.Result> results = FloodBench.runAll(fresh, Duration.ofMinutes(3));
            emit(md, FloodBench.table(results, fresh));
            for (FloodBench.Result r : results) {
                if (r.window() > 0 && r.mhMax() > r.window()) {
                    problems.add("flood " + r + ": more Message Holders than the window");
                }
                if (r.legitimateFailures() > 0) {
                    problems.add("flood " + r + ": node 3's calls failed");
                }
            }
        }
        if (o.sections.contains("memory")) {
            System.out.println("== Memory ==");
            for (Table t : MemoryBench.run(o.quick)) {
                emit(md, t);
            }
        }
        if (o.sections.contains("micro")) {
            System.out.println("== JMH micro-benchmarks ==");
            emit(md, MicroBench.run(o.quick));
        }
        if (!problems.isEmpty()) {
            md.append("**Problems:**\n\n");
            for (String p : problems) {
                md.append("- ").append(p).append('\n');
                System.out.println("PROBLEM: " + p);
            }
        }
        if (o.out != null) {
            write(o.out, md.toString());
            System.out.println("written to " + o.out);
        }
        return problems.isEmpty() ? 0 : 1;
    }

    private static void emit(StringBuilder md, Table t) {
        String s = t.markdown();
        System.out.println(s);
        md.append(s).append('\n');
    }

    /** Replaces what is between the markers of {@code file} (created with the markers if missing). */
    static void write(Path file, String body) throws IOException {
        String text = Files.exists(file)
                ? Files.readString(file, StandardCharsets.UTF_8)
                : "# Benchmarks\n\n" + BEGIN + "\n" + END + "\n";
        int b = text.indexOf(BEGIN);
        int e = text.indexOf(END);
        if (b < 0 || e < b) {
            throw new IOException(file + " has no " + BEGIN + " ... " + END + " markers");
        }
        Files.writeString(
                file, text.substring(0, b + BEGIN.length()) + "\n" + body + text.substring(e), StandardCharsets.UTF_8);
    }

    /** The machine, as a Markdown list. */
    static String machine() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse(cpu);
        } catch (IOException | RuntimeException e) {
            // not Linux: leave it unknown
        }
        return "Machine: " + Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
                + String.format("%.1f", os.getTotalMemorySize() / (1024.0 * 1024 * 1024)) + " GiB memory, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + "; JDK "
                + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version") + ", heap max "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB, JVM flags "
                + ManagementFactory.getRuntimeMXBean().getInputArguments() + "; system calls counted by perf: "
                + (SyscallCounter.available() ? "yes" : "no") + ".\n";
    }

    /** The command line. */
    static final class Options {
        List<String> sections = List.of("load", "recovery", "flood", "memory", "micro", "profile");
        List<String> targets = List.of("off", "reliable", "v13", "v13-executor", "grpc");
        int[] concurrency = LoadBench.CONCURRENCY;
        int[] payloads = LoadBench.PAYLOADS;
        Duration warmup = Duration.ofSeconds(3);
        Duration measure = Duration.ofSeconds(5);
        boolean quick;
        int recoveryRuns = 5;
        Path out = Path.of("BENCHMARKS.md");
        Path flameDir = Path.of("docs/flame");

        static Options parse(String... args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> {
                        o.quick = true;
                        o.warmup = Duration.ofMillis(300);
                        o.measure = Duration.ofMillis(700);
                    }
                    case "--no-write" -> o.out = null;
                    case "--out" -> o.out = Path.of(value(args, ++i, a));
                    case "--flame-dir" -> o.flameDir = Path.of(value(args, ++i, a));
                    case "--sections" ->
                        o.sections = list(
                                value(args, ++i, a),
                                List.of("load", "recovery", "flood", "memory", "micro", "profile"),
                                a);
                    case "--targets" ->
                        o.targets =
                                list(value(args, ++i, a), List.of("off", "reliable", "v13", "v13-executor", "grpc"), a);
                    case "--concurrency" -> o.concurrency = ints(value(args, ++i, a), a);
                    case "--payloads" -> o.payloads = ints(value(args, ++i, a), a);
                    case "--warmup" -> o.warmup = seconds(value(args, ++i, a), a);
                    case "--measure" -> o.measure = seconds(value(args, ++i, a), a);
                    case "--recovery-runs" -> o.recoveryRuns = Math.max(1, ints(value(args, ++i, a), a)[0]);
                    case "--help", "-h" ->
                        throw new IllegalArgumentException(
                                "options: --sections load,recovery,flood,"
                                        + "memory,micro,profile --targets off,reliable,v13,v13-executor,grpc --concurrency 1,8,64 --payloads 64,4072 "
                                        + "--warmup S --measure S --recovery-runs N --flame-dir DIR --quick --out FILE --no-write");
                    default -> throw new IllegalArgumentException("unknown option " + a + " (--help lists them)");
                }
            }
            return o;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static List<String> list(String v, List<String> allowed, String option) {
            List<String> l = Arrays.asList(v.split(","));
            for (String s : l) {
                if (!allowed.contains(s)) {
                    throw new IllegalArgumentException(option + ": " + s + " is not one of " + allowed);
                }
            }
            return l;
        }

        private static int[] ints(String v, String option) {
            try {
                return Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": not a list of numbers: " + v);
            }
        }

        private static Duration seconds(String v, String option) {
            try {
                return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": not a number of seconds: " + v);
            }
        }
    }
}
