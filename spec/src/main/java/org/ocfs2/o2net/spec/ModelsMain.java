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
 *
 * <p>Exit status: 0 all as expected, 1 a model differs from the manifest, 2 wrong usage or an
 * unreadable file.
 */
public final class ModelsMain {

    private static final String USAGE = """
            usage: o2net-check [--set ci|deep|all] [--models A,B] [--update] [--timeout SECONDS]
                               [--parallel N] [--heap SIZE] [--dir DIR]
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
                case "--table", "--write-readme-table", "--help" -> mode = arg;
                case "-h" -> mode = "--help";
                case "--set", "--models", "--timeout", "--parallel", "--heap", "--dir", "--readme" -> {
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
                        default -> heap = value;
                    }
                }
                default -> {
                    return false;
                }
            }
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

    private int update(Manifest manifest, List<Check> checks) throws IOException {
        List<String> updated = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Check c : checks) {
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
            out.println("Not recorded, the verdict is not the expected one (fix the spec or \"expect\"): "
                    + String.join(", ", refused));
            return 1;
        }
        return 0;
    }

    private void progress(Check c) {
        if (c != null) {
            out.printf(
                    "  %-8s %s (%.1f s)%n",
                    c.ok() ? "OK" : "MISMATCH",
                    c.model().name(),
                    c.result().time().toMillis() / 1000.0);
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
        return heap == null ? s : s.withHeap(heap);
    }
}
