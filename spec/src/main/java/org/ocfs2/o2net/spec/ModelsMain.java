// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.ocfs2.o2net.spec.chart.SequenceChart;
import org.ocfs2.o2net.spec.chart.SvgChart;

/**
 * The command line of the harness, run by {@code bin/o2net-check}; {@code --help} lists the options.
 * Without {@code --table} or {@code --write-readme-table} it model-checks the selected models,
 * prints a table, what differed and the counterexamples, and the property table as measured. The
 * system properties {@code tlc.set}, {@code tlc.models}, {@code tlc.updateManifest},
 * {@code tlc.timeout}, {@code tlc.parallel}, {@code tlc.heap} and {@code tlc.jar} give defaults.
 * With {@code --distributed} each model runs on distributed TLC ({@link DistributedTlcRun}).
 *
 * <p>Exit status: 0 all as expected, 1 a model differs from the manifest, 2 wrong usage or an
 * unreadable file.
 */
public final class ModelsMain {

    private static final String USAGE = """
            usage: o2net-check [--set ci|deep|all] [--models A,B] [--update] [--timeout SECONDS]
                               [--parallel N] [--heap SIZE] [--dir DIR]
                               [--distributed [--workers N | --server-only] [--host ADDR] [--port P]]
                   o2net-check --table | --write-readme-table [--readme FILE] [--dir DIR]
            Model-checks the models of DIR/models.json with TLC and compares verdict and state counts.
              --set ci|deep|all     which models (default ci)
              --models A,B          only these models
              --update              record the measured counts of models whose verdict is as expected
              --table               print the property table of the manifest (Markdown), run nothing
              --write-readme-table  rewrite that table in README.md, run nothing
              --timeout SECONDS     per model (default 600)
              --parallel N          TLC runs at once (default 2)
              --heap SIZE           -Xmx of each TLC JVM (default 4g)
              --dir DIR             the spec module (default: . if it has models.json, else spec)
              --readme FILE         default: README.md beside DIR
              --distributed         run each model on distributed TLC: a TLCServer JVM and worker JVMs
                                    of one thread each (models that need liveness checking, which
                                    distributed TLC does not do, run in one JVM); compares the verdict
                                    and the distinct states only
              --workers N           worker JVMs on this machine per model (default 2)
              --server-only         no local worker: each server waits for workers started on other
                                    hosts (one model at a time; it prints their command line)
              --host ADDR           address the server listens on and gives its workers (default
                                    127.0.0.1; the server host's address when workers join from elsewhere)
              --port P              the server's RMI registry port (default: one the OS picks per run;
                                    10997 with --server-only)
            Exit status: 0 as expected, 1 a model differs from the manifest, 2 usage or file error.""";

    private final PrintStream out;
    private String set = System.getProperty("tlc.set", "ci");
    private List<String> names = Manifest.parseNames(System.getProperty("tlc.models", ""));
    private boolean update = Boolean.getBoolean("tlc.updateManifest");
    private String mode = "check";
    private Path dir = Files.exists(Path.of("models.json")) ? Path.of(".") : Path.of("spec");
    private Path readme;
    private String timeout;
    private String parallel;
    private String heap;
    private boolean distributed;
    private int workers = 2;
    private boolean serverOnly;
    private String host = "127.0.0.1";
    private Integer port;

    private ModelsMain(PrintStream out) {
        this.out = out;
    }

    /** Runs the command line and exits with its code; TLC runs still going when the JVM stops are killed. */
    public static void main(String[] args) {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly)));
        System.exit(run(args, System.out));
    }

    /** Runs the command line, printing to {@code out}; returns the exit code. */
    static int run(String[] args, PrintStream out) {
        ModelsMain main = new ModelsMain(out);
        try {
            if (!main.parse(args)) {
                out.println(USAGE);
                return 2;
            }
            if (main.mode.equals("--help")) {
                out.println(USAGE);
                return 0;
            }
            return main.execute();
        } catch (IllegalArgumentException | IllegalStateException | IOException e) {
            out.println("o2net-check: " + e.getMessage());
            return 2;
        }
    }

    private boolean parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            boolean hasValue = i + 1 < args.length;
            switch (arg) {
                case "--update" -> update = true;
                case "--distributed" -> distributed = true;
                case "--server-only" -> serverOnly = true;
                case "--table", "--write-readme-table", "--help" -> mode = arg;
                case "-h" -> mode = "--help";
                case "--set",
                        "--models",
                        "--timeout",
                        "--parallel",
                        "--heap",
                        "--dir",
                        "--readme",
                        "--workers",
                        "--host",
                        "--port" -> {
                    if (!hasValue) {
                        return false;
                    }
                    String value = args[++i];
                    switch (arg) {
                        case "--set" -> set = value;
                        case "--models" -> names = Manifest.parseNames(value);
                        case "--dir" -> dir = Path.of(value);
                        case "--readme" -> readme = Path.of(value);
                        case "--timeout" -> timeout = value;
                        case "--parallel" -> parallel = value;
                        case "--workers" -> workers = Integer.parseInt(value);
                        case "--host" -> host = value;
                        case "--port" -> port = Integer.parseInt(value);
                        default -> heap = value;
                    }
                }
                default -> {
                    return false;
                }
            }
        }
        if (!distributed && (serverOnly || port != null || !host.equals("127.0.0.1") || workers != 2)) {
            throw new IllegalArgumentException("--workers, --server-only, --host and --port go with --distributed");
        }
        return true;
    }

    private int execute() throws IOException {
        Manifest manifest = Manifest.read(dir.resolve("models.json"));
        Path tlaDir = dir.resolve("tla");
        Path readmeFile =
                readme != null ? readme : dir.toAbsolutePath().normalize().resolveSibling("README.md");
        switch (mode) {
            case "--table" -> {
                out.print(PropertyTable.markdown(PropertyTable.recorded(manifest, tlaDir)));
                return 0;
            }
            case "--write-readme-table" -> {
                String table = PropertyTable.markdown(PropertyTable.recorded(manifest, tlaDir));
                String before = Files.readString(readmeFile);
                String after = PropertyTable.replaceSection(before, table);
                Files.writeString(readmeFile, after);
                out.println(readmeFile + ": property table " + (after.equals(before) ? "unchanged" : "rewritten"));
                return 0;
            }
            default -> {
                return check(manifest, tlaDir);
            }
        }
    }

    /** Writes each counterexample's chart as {@code <model>.svg} into {@code charts}, and says where. */
    private void writeCharts(List<Check> checks, Path charts) throws IOException {
        int written = 0;
        for (Check c : checks) {
            SequenceChart chart = Report.chart(c);
            if (chart != null) {
                Files.createDirectories(charts);
                Files.writeString(charts.resolve(c.model().name() + ".svg"), SvgChart.render(chart));
                written++;
            }
        }
        if (written > 0) {
            out.println();
            out.printf("Message sequence charts of the %d counterexample(s) as SVG: %s%n", written, charts);
        }
    }

    private int check(Manifest manifest, Path tlaDir) throws IOException {
        List<ModelSpec> models = manifest.select(set, names);
        if (models.isEmpty()) {
            out.println("No models to check: " + manifest.file() + " has no model in set " + set + ".");
            return 0;
        }
        RunSettings settings =
                tuned(RunSettings.fromSystemProperties(dir.resolve("target").resolve("tlc")));
        out.printf(
                "Checking %d model(s) of set %s with TLC (%s), %d at a time, timeout %d s, logs in %s%n",
                models.size(),
                set,
                settings.tlcJar().getFileName(),
                settings.parallel(),
                settings.timeout().toSeconds(),
                settings.workDir());
        RunSettings.Distributed d = settings.distributed();
        if (d != null) {
            out.printf(
                    "Distributed TLC: a server on %s, port %s, and %s per model%n",
                    d.host(),
                    d.port() == 0 ? "chosen by the OS" : d.port(),
                    d.workers() == 0 ? "workers started elsewhere" : d.workers() + " local worker(s) of one thread");
            if (d.workers() == 0) {
                out.printf(
                        "Start workers on other hosts (each exits when its model is done; loop them for several"
                                + " models):%n  %s%n",
                        workerCommand(d, settings.tlcJar()));
            }
        }
        List<Check> checks;
        try (ModelRunner runner = new ModelRunner(tlaDir, settings)) {
            // Progress lines as each model finishes; then the results in manifest order.
            checks = runner.start(models).stream().map(f -> f.whenComplete((c, e) -> progress(c))).toList().stream()
                    .map(CompletableFuture::join)
                    .toList();
        }
        out.println();
        out.print(Report.full(checks));
        writeCharts(checks, settings.workDir().resolveSibling("charts"));
        Path fragment = HtmlReport.writeModels(checks, settings.workDir().getParent());
        out.println("The models part of the HTML report: " + fragment);
        List<PropertyTable.Column> columns = checks.stream()
                .filter(c -> c.cfg() != null)
                .map(PropertyTable.Column::measured)
                .toList();
        out.println();
        out.println("Properties, as measured:");
        out.print(PropertyTable.markdown(columns));
        if (update) {
            return update(manifest, checks);
        }
        return checks.stream().allMatch(Check::ok) ? 0 : 1;
    }

    /** The command line of a worker on another host, for a server on {@code d}. */
    static String workerCommand(RunSettings.Distributed d, Path tlcJar) {
        return "java -Djava.rmi.server.hostname=<this worker's address> -D" + DistributedTlcRun.PORT_PROPERTY + "="
                + d.port() + " -D" + DistributedTlcRun.THREADS_PROPERTY + "=<threads> -cp " + tlcJar.getFileName()
                + " " + DistributedTlcRun.WORKER + " " + d.host();
    }

    private int update(Manifest manifest, List<Check> checks) throws IOException {
        List<String> updated = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Check c : checks) {
            if (c.result().distributed()) {
                // Distributed TLC establishes the distinct states only: record them where none are recorded.
                Long known = c.model().distinctStates();
                Long measured = c.result().distinctStates();
                if (!c.result().outcome().equals(c.model().expect())
                        || measured == null
                        || (known != null && !known.equals(measured))) {
                    refused.add(c.model().name());
                } else if (known == null) {
                    manifest.recordDistinctStates(c.model().name(), measured);
                    updated.add(c.model().name() + " (distinct states)");
                }
                continue;
            }
            if (c.result().outcome().equals(c.model().expect())) {
                manifest.record(c.model().name(), c.result());
                updated.add(c.model().name());
            } else {
                refused.add(c.model().name());
            }
        }
        if (!updated.isEmpty()) {
            manifest.write();
        }
        out.println();
        out.println(manifest.file() + ": figures recorded for "
                + (updated.isEmpty() ? "no model" : String.join(", ", updated)));
        if (!refused.isEmpty()) {
            out.println("Not recorded, the verdict is not the expected one (fix the spec or \"expect\"),"
                    + " or distributed TLC counted other distinct states than recorded: "
                    + String.join(", ", refused));
            return 1;
        }
        return 0;
    }

    private void progress(Check c) {
        if (c != null) {
            out.printf(
                    "  %-8s %s (%.1f s%s)%n",
                    c.ok() ? "OK" : "MISMATCH",
                    c.model().name(),
                    c.result().time().toMillis() / 1000.0,
                    distributed && !c.result().distributed() ? ", in one JVM: it needs liveness checking" : "");
        }
    }

    private RunSettings tuned(RunSettings settings) {
        RunSettings s = settings;
        if (timeout != null) {
            s = s.withTimeout(Duration.ofSeconds(Long.parseLong(timeout)));
        }
        if (parallel != null) {
            s = s.withParallel(Integer.parseInt(parallel));
        }
        if (distributed) {
            int p = port != null ? port : serverOnly ? 10997 : 0;
            s = s.withDistributed(new RunSettings.Distributed(serverOnly ? 0 : workers, host, p));
            if (serverOnly || p != 0) {
                s = s.withParallel(1); // one server at a time on the one port
            }
        }
        return heap == null ? s : s.withHeap(heap);
    }
}
