// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code o2net torture}: a Jepsen-style run of the reliable protocol with separate node processes, each in its own
 * network namespace, under a seeded random schedule of injected connection resets (real RSTs), SIGKILL restarts and
 * network partitions (blackhole routes), every handler run and every call outcome recorded durably; then the
 * checker of {@link RunRecord} proves from the record that no call was lost, no handler ran twice, no caller hung
 * after the faults stopped and nothing was left held. Exit 0 if so, 1 if not.
 */
@Command(
        name = "torture",
        mixinStandardHelpOptions = true,
        versionProvider = O2netCli.Version.class,
        description = {
            "Run node processes, each in its own network namespace, under random connection resets (real RSTs),"
                    + " SIGKILL restarts and network partitions, recording every handler run and call outcome; then"
                    + " check the record: no call lost, no handler run twice, no caller hung, nothing left held.",
            "Needs root for the network namespaces (--no-netns: loopback, no partitions). Exit 0 if every check"
                    + " passed, 1 if one failed."
        })
final class TortureCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--seed",
            defaultValue = "1",
            paramLabel = "N",
            description = "the schedule's seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--duration",
            defaultValue = "10m",
            paramLabel = "D",
            description = "how long the faults go on, at least: 90s, 10m, 1h (default ${DEFAULT-VALUE})")
    String duration;

    @Option(
            names = "--nodes",
            defaultValue = "3",
            paramLabel = "N",
            description = "node processes (default ${DEFAULT-VALUE})")
    int nodes;

    @Option(
            names = "--callers",
            defaultValue = "3",
            paramLabel = "N",
            description = "callers per node (default ${DEFAULT-VALUE})")
    int callers;

    @Option(
            names = "--protocol",
            defaultValue = "v13",
            paramLabel = "P",
            description =
                    "the protocol under test (default ${DEFAULT-VALUE}; v12: the RFC's; v11 shows what the checker"
                            + " finds in today's o2net)")
    Protocol protocol;

    @Option(
            names = "--reset-per-mille",
            defaultValue = "4",
            paramLabel = "P",
            description =
                    "each MSG or STATUS frame resets its connection with probability P/1000 (default ${DEFAULT-VALUE})")
    int resetPerMille;

    @Option(
            names = "--restart-every",
            defaultValue = "20",
            paramLabel = "S",
            description =
                    "SIGKILL and restart a random node about every S seconds; 0: never (default ${DEFAULT-VALUE})")
    double restartEvery;

    @Option(
            names = "--partition-every",
            defaultValue = "30",
            paramLabel = "S",
            description = "partition two random nodes about every S seconds; 0: never (default ${DEFAULT-VALUE})")
    double partitionEvery;

    @Option(
            names = "--partition-max",
            defaultValue = "15",
            paramLabel = "S",
            description = "a partition lasts 1 to S seconds (default ${DEFAULT-VALUE})")
    double partitionMax;

    @Option(
            names = "--no-netns",
            description =
                    "run the nodes on loopback (127.0.0.N) without network namespaces: no root needed, no partitions")
    boolean noNetns;

    @Option(
            names = "--min-resets",
            defaultValue = "0",
            paramLabel = "N",
            description = "go on past --duration until N resets")
    int minResets;

    @Option(
            names = "--min-restarts",
            defaultValue = "0",
            paramLabel = "N",
            description = "go on past --duration until N restarts")
    int minRestarts;

    @Option(
            names = "--min-partitions",
            defaultValue = "0",
            paramLabel = "N",
            description = "go on past --duration until N partitions")
    int minPartitions;

    @Option(
            names = "--drain-seconds",
            defaultValue = "60",
            paramLabel = "S",
            description = "after the faults stop, how long a caller may stay blocked before it counts as hung (default"
                    + " ${DEFAULT-VALUE})")
    double drainSeconds;

    @Option(
            names = "--progress-seconds",
            defaultValue = "5",
            paramLabel = "S",
            description = "a progress line every S seconds (default ${DEFAULT-VALUE})")
    double progressSeconds;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "where the record goes (default: a new temporary directory, kept)")
    Path dir;

    @Option(
            names = "--check",
            paramLabel = "DIR",
            description = "only check the record of an earlier run (the directory holding its faults.log)")
    Path check;

    @Option(names = "--class-path", hidden = true, description = "the node processes' class path (tests)")
    String classPath;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (check != null) {
            if (!Files.exists(check.resolve("faults.log"))) {
                throw new CliException(ExitCodes.USAGE, "--check " + check + ": no faults.log there");
            }
            RunRecord.Verdict v = RunRecord.check(check);
            out.print(table(v, null));
            return report(out, v);
        }
        Duration d = parse(duration);
        if (nodes < 3 || nodes > 8 || callers < 1 || resetPerMille < 0 || resetPerMille > 1000) {
            throw new CliException(ExitCodes.USAGE, "--nodes 3..8, --callers >= 1, --reset-per-mille 0..1000, please");
        }
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("o2net-torture-");
        Demo.Settings settings = new Demo.Settings(
                nodes,
                callers,
                d.toMillis(),
                resetPerMille,
                (long) (restartEvery * 1000),
                List.of(protocol),
                seed,
                work,
                minResets,
                minRestarts,
                (long) (drainSeconds * 1000),
                classPath != null ? classPath : DemoNode.ownClassPath(),
                !noNetns,
                noNetns ? 0 : (long) (partitionEvery * 1000),
                (long) (partitionMax * 1000),
                noNetns ? 0 : minPartitions,
                false,
                (long) (progressSeconds * 1000));
        out.printf("o2net torture: seed %d, %s, record in %s%n", seed, d, work);
        Demo.Result r = new Demo(settings, out, () -> {}).run().get(0);
        out.println();
        out.print(table(r.verdict, r));
        out.println("the record: " + work.resolve(protocol.name()) + " (check again: bin/o2net torture --check DIR)");
        return report(out, r.verdict);
    }

    private static int report(PrintWriter out, RunRecord.Verdict v) {
        out.println(
                v.kept()
                        ? "PASS: 0 lost, 0 run twice, 0 wrong statuses, 0 hung, 0 left held"
                        : "FAIL: " + Demo.verdict(v));
        for (String e : v.examples) {
            out.println("  e.g. " + e);
        }
        out.flush();
        return v.kept() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    static String table(RunRecord.Verdict v, Demo.Result r) {
        StringBuilder b = new StringBuilder();
        if (r != null) {
            line(b, "protocol", r.protocol.name());
            line(b, "seconds of faults", String.format(Locale.ROOT, "%.0f", r.seconds));
            line(b, "resets injected (RST)", r.resets);
        }
        line(b, "SIGKILL restarts", v.restarts);
        line(b, "partitions", v.partitions);
        if (r != null) {
            line(b, "faults in all", r.resets + v.restarts + v.partitions);
            line(b, "messages re-sent", r.resends);
            line(b, "duplicates suppressed", r.duplicatesSuppressed);
        }
        line(b, "calls", v.calls);
        line(b, "handler runs", v.handlerRuns);
        line(b, "returned their own status", v.ok);
        line(b, "EHOSTDOWN: target or caller restarted", v.restartErrors);
        line(b, "calls whose node died under them", v.died);
        line(b, "lost", v.lost);
        line(b, "handlers run twice", v.runTwice);
        line(b, "wrong status", v.wrongStatus + v.okWithoutRun);
        line(b, "callers hung after the faults", v.hung);
        line(b, "left held (MHs + messages)", v.mhLeft + v.heldLeft);
        return b.toString();
    }

    private static void line(StringBuilder b, String name, Object value) {
        String v = value instanceof Long l ? String.format(Locale.ROOT, "%,d", l) : String.valueOf(value);
        b.append(String.format(Locale.ROOT, "%-40s %12s%n", name, v));
    }

    /** {@code 90s}, {@code 10m}, {@code 1h}, or an ISO-8601 duration. */
    static Duration parse(String s) {
        try {
            String t = s.trim().toLowerCase(Locale.ROOT);
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            char unit = t.charAt(t.length() - 1);
            String n = t.substring(0, t.length() - 1);
            return switch (unit) {
                case 's' -> Duration.ofMillis((long) (Double.parseDouble(n) * 1000));
                case 'm' -> Duration.ofMillis((long) (Double.parseDouble(n) * 60_000));
                case 'h' -> Duration.ofMillis((long) (Double.parseDouble(n) * 3_600_000));
                default -> Duration.parse(s);
            };
        } catch (RuntimeException e) {
            throw new CliException(ExitCodes.USAGE, "--duration " + s + ": say 90s, 10m or 1h");
        }
    }
}
