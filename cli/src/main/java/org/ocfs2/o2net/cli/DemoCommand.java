// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code o2net demo}: the problem of the 2017 RFC and its fix, seen on a local cluster of node processes: today's
 * o2net loses calls and runs handlers twice under resets and restarts; the reliable protocol does neither. See
 * {@link Demo}. Exit 0 if every reliable run kept every promise, 1 if one did not.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = O2netCli.Version.class,
        description = {
            "Start a local cluster of o2net node processes on one o2hb region file, run calls while injecting"
                    + " connection resets (real RSTs) and SIGKILL restarts, first with today's o2net (v11), then"
                    + " with the reliable protocol, and show both side by side.",
            "Exit 0 if the reliable protocol kept every promise: no call lost, no handler run twice, every call"
                    + " its own status, no caller hung, nothing left held."
        })
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--nodes",
            defaultValue = "3",
            paramLabel = "N",
            description = "node processes (default ${DEFAULT-VALUE})")
    int nodes;

    @Option(
            names = "--callers",
            defaultValue = "4",
            paramLabel = "N",
            description = "callers per node (default ${DEFAULT-VALUE})")
    int callers;

    @Option(
            names = "--seconds",
            defaultValue = "20",
            paramLabel = "S",
            description = "how long each protocol runs, at least (default ${DEFAULT-VALUE})")
    double seconds;

    @Option(
            names = "--reset-per-mille",
            defaultValue = "4",
            paramLabel = "P",
            description = "each MSG or STATUS frame resets its connection with probability P/1000 (default"
                    + " ${DEFAULT-VALUE})")
    int resetPerMille;

    @Option(
            names = "--restart-every",
            defaultValue = "7",
            paramLabel = "S",
            description =
                    "SIGKILL and restart a random node about every S seconds; 0: never (default ${DEFAULT-VALUE})")
    double restartEvery;

    @Option(
            names = "--protocols",
            split = ",",
            defaultValue = "v11,v13",
            paramLabel = "P",
            description = "the protocols to run, in order (default ${DEFAULT-VALUE})")
    List<Protocol> protocols;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "the workload's and faults' seed")
    long seed;

    @Option(
            names = "--min-resets",
            defaultValue = "0",
            paramLabel = "N",
            description = "run each protocol past --seconds until at least N resets were injected")
    int minResets;

    @Option(
            names = "--min-restarts",
            defaultValue = "0",
            paramLabel = "N",
            description = "run each protocol past --seconds until at least N restarts were made")
    int minRestarts;

    @Option(
            names = "--drain-seconds",
            defaultValue = "30",
            paramLabel = "S",
            description = "after the faults stop, how long a caller may stay blocked before it counts as hung")
    double drainSeconds;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "where the nodes' files go (cluster.conf, region, ledgers, logs); default: a temporary"
                    + " directory, removed at the end unless --keep")
    Path dir;

    @Option(names = "--keep", description = "keep the directory of the nodes' files")
    boolean keep;

    @Option(names = "--class-path", hidden = true, description = "the node processes' class path (tests)")
    String classPath;

    @Override
    public Integer call() throws Exception {
        if (nodes < 2 || nodes > 8) {
            throw new CliException(ExitCodes.USAGE, "--nodes must be 2..8, got " + nodes);
        }
        if (callers < 1 || seconds <= 0 || resetPerMille < 0 || resetPerMille > 1000 || restartEvery < 0) {
            throw new CliException(
                    ExitCodes.USAGE,
                    "--callers >= 1, --seconds > 0, --reset-per-mille 0..1000 and --restart-every >= 0, please");
        }
        boolean temp = dir == null;
        Path work = temp ? Files.createTempDirectory("o2net-demo-") : Files.createDirectories(dir);
        PrintWriter out = spec.commandLine().getOut();
        Demo.Settings settings = new Demo.Settings(
                nodes,
                callers,
                (long) (seconds * 1000),
                resetPerMille,
                (long) (restartEvery * 1000),
                protocols,
                seed,
                work,
                minResets,
                minRestarts,
                (long) (drainSeconds * 1000),
                classPath != null ? classPath : DemoNode.ownClassPath(),
                false, // loopback, no network namespaces
                0, // no partitions
                0,
                0,
                true, // a lost call is re-sent, as an application must
                2000);
        List<Demo.Result> results;
        try {
            results = new Demo(settings, out, () -> {
                        if (temp && !keep) {
                            quietlyDelete(work);
                        }
                    })
                    .run();
        } finally {
            if (temp && !keep) {
                deleteTree(work);
            }
        }
        out.println();
        out.print(table(results));
        boolean kept = true;
        for (Demo.Result r : results) {
            if (r.protocol.reliable() && !r.keptPromises()) {
                kept = false;
            }
        }
        out.println();
        out.println(
                kept
                        ? "the reliable protocol kept every promise (exit 0)"
                        : "the reliable protocol broke a promise (exit 1): see the table");
        if (!temp || keep) {
            out.println("the nodes' files: " + work);
        }
        out.flush();
        return kept ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** The runs side by side, a row per figure. */
    static String table(List<Demo.Result> results) {
        List<String[]> rows = new ArrayList<>();
        row(rows, results, "", r -> r.protocol.name());
        row(rows, results, "seconds", r -> String.format(Locale.ROOT, "%.1f", r.seconds));
        row(rows, results, "calls", r -> num(r.verdict.calls));
        row(rows, results, "calls/s", r -> num(Math.round(r.verdict.calls / Math.max(r.seconds, 0.001))));
        row(rows, results, "resets injected (RST)", r -> num(r.resets));
        row(rows, results, "SIGKILL restarts", r -> num(r.restarts));
        if (results.stream().anyMatch(r -> r.partitions > 0)) {
            row(rows, results, "partitions", r -> num(r.partitions));
        }
        row(rows, results, "messages re-sent", r -> num(r.resends));
        row(rows, results, "duplicates suppressed", r -> num(r.duplicatesSuppressed));
        row(rows, results, "returned their own status", r -> num(r.verdict.ok));
        row(rows, results, "EHOSTDOWN: target or caller restarted", r -> num(r.verdict.restartErrors));
        row(rows, results, "lost: error from a live node", r -> num(r.verdict.lost));
        row(rows, results, "handlers run twice", r -> num(r.verdict.runTwice));
        row(rows, results, "wrong status", r -> num(r.verdict.wrongStatus + r.verdict.okWithoutRun));
        row(rows, results, "callers hung after the faults", r -> num(r.verdict.hung));
        row(rows, results, "left held (MHs + messages)", r -> num(r.verdict.mhLeft + r.verdict.heldLeft));
        row(rows, results, "calls whose node died under them", r -> num(r.verdict.died));
        int[] w = new int[results.size() + 1];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                w[i] = Math.max(w[i], row[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] row : rows) {
            b.append(String.format("%-" + w[0] + "s", row[0]));
            for (int i = 1; i < row.length; i++) {
                b.append("  ").append(String.format("%" + w[i] + "s", row[i]));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String num(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    private static void row(
            List<String[]> rows, List<Demo.Result> results, String name, Function<Demo.Result, String> cell) {
        String[] row = new String[results.size() + 1];
        row[0] = name;
        for (int i = 0; i < results.size(); i++) {
            row[i + 1] = cell.apply(results.get(i));
        }
        rows.add(row);
    }

    private static void quietlyDelete(Path root) {
        try {
            deleteTree(root);
        } catch (IOException e) {
            // the JVM is stopping; a temporary directory left behind is harmless
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
