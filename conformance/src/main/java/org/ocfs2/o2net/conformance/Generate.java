// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ocfs2.o2net.spec.CfgFile;
import org.ocfs2.o2net.spec.ModelSpec;
import org.ocfs2.o2net.spec.Outcome;
import org.ocfs2.o2net.spec.RunSettings;
import org.ocfs2.o2net.spec.TlcResult;
import org.ocfs2.o2net.spec.TlcRun;

/**
 * Generates the traces, each kind with TLC in a JVM of its own:
 * <ul>
 *   <li>{@link #simulation}: {@code tlc2.TLC -simulate num=N,file=<out>/sim/trace -depth D -seed S} on
 *       {@value #SIM_MODULE} with {@value #SIM_CONFIG}, then the trace files TLC wrote are parsed
 *       ({@link TlaParser}) and written as {@code <out>/sim.jsonl}. The variable {@code act} names each step's
 *       action and parameters; it becomes the step's action, the other variables its state. A {@code Done} step
 *       right after a {@code Done} step (TLC's simulation stutters on until the depth) is left out.</li>
 *   <li>{@link #edgeCover}: {@link EdgeCover} on {@value #COVER_MODULE} with {@value #COVER_CONFIG}, writing
 *       {@code <out>/cover.jsonl} and its figures, {@code <out>/cover.json}.</li>
 * </ul>
 */
public final class Generate {
    /** The module and cfg of the random traces. */
    public static final String SIM_MODULE = "ConfReliableO2net";

    public static final String SIM_CONFIG = "ConfReliableSim.cfg";
    /** The module and cfg of the edge cover. */
    public static final String COVER_MODULE = "MCReliableO2net";

    public static final String COVER_CONFIG = "ConfReliableCover.cfg";
    /** The module and cfg of the one-round-trip protocol's random traces (AckO2net, v13). */
    public static final String ACK_SIM_MODULE = "ConfAckO2net";

    public static final String ACK_SIM_CONFIG = "ConfAckSim.cfg";
    /** The module and cfg of the one-round-trip protocol's edge cover. */
    public static final String ACK_COVER_MODULE = "MCAckO2net";

    public static final String ACK_COVER_CONFIG = "ConfAckCover.cfg";

    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final Pattern SIM_FILE = Pattern.compile("trace_(\\d+)_(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Generate() {}

    /**
     * Runs TLC's random simulation and writes its traces to {@code <out>/sim.jsonl}.
     *
     * @param tla    the directory of the specs
     * @param out    where the traces go
     * @param traces how many behaviours TLC simulates
     * @param depth  the length of each, in states
     * @param seed   TLC's seed: the same seed gives the same traces
     * @return the trace file
     * @throws IllegalStateException if TLC fails (an invariant violated included) or writes another number of traces
     */
    public static Path simulation(Path tla, Path out, int traces, int depth, long seed)
            throws IOException, InterruptedException {
        return simulation(tla, out, "sim", SIM_MODULE, SIM_CONFIG, traces, depth, seed);
    }

    /**
     * Runs TLC's random simulation of {@code module} with {@code config} and writes its traces to
     * {@code <out>/<name>.jsonl} (TLC's files in {@code <out>/<name>/}).
     */
    public static Path simulation(
            Path tla, Path out, String name, String module, String config, int traces, int depth, long seed)
            throws IOException, InterruptedException {
        Path dir = out.resolve(name).toAbsolutePath();
        deleteTree(dir);
        Files.createDirectories(dir);
        ModelSpec model = new ModelSpec(
                config.replace(".cfg", ""),
                module,
                config,
                "ci",
                Outcome.PASS,
                null,
                null,
                null,
                List.of(
                        "-simulate",
                        "num=" + traces + ",file=" + dir.resolve("trace"),
                        "-depth",
                        Integer.toString(depth),
                        "-seed",
                        Long.toString(seed)),
                null);
        RunSettings settings = new RunSettings(RunSettings.locateTlcJar(), "1g", TIMEOUT, 1, out.resolve("tlc"));
        TlcResult r = new TlcRun(settings).run(model, tla, CfgFile.read(tla.resolve(config)));
        if (r.exitCode() != 0) {
            throw new IllegalStateException("TLC -simulate failed (exit " + r.exitCode() + ", " + r.outcome() + "): "
                    + r.detail() + "; log " + r.log());
        }
        List<Trace> result = new ArrayList<>();
        for (Path f : simFiles(dir)) {
            result.add(simTrace(f, Files.readString(f)));
        }
        if (result.size() != traces) {
            throw new IllegalStateException("TLC wrote " + result.size() + " traces, not " + traces + ", to " + dir);
        }
        Path file = out.resolve(name + ".jsonl");
        Trace.write(file, result);
        return file;
    }

    /** TLC's trace files, in the order it wrote them. */
    private static List<Path> simFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(
                            f -> SIM_FILE.matcher(f.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong((Path f) -> number(f, 1)).thenComparingLong(f -> number(f, 2)))
                    .toList();
        }
    }

    private static long number(Path f, int group) {
        Matcher m = SIM_FILE.matcher(f.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(group)) : -1;
    }

    /** One TLC trace file as a trace: {@code act} gives each step's action and parameters. */
    static Trace simTrace(Path file, String text) {
        List<Step> steps = new ArrayList<>();
        for (Map<String, TlaValue> vars : TlaParser.trace(text)) {
            TlaValue act = vars.remove("act");
            if (!(act instanceof TlaValue.Rec rec) || !(rec.fields().get("name") instanceof TlaValue.Str name)) {
                throw new IllegalArgumentException(file + ": a state without a record act naming its action");
            }
            ObjectNode params = JSON.createObjectNode();
            rec.fields().forEach((k, v) -> {
                if (!k.equals("name")) {
                    params.set(k, v.json());
                }
            });
            boolean repeat = name.value().equals("Done")
                    && !steps.isEmpty()
                    && steps.get(steps.size() - 1).action().equals("Done");
            if (!repeat) {
                steps.add(new Step(name.value(), params, TlaValue.state(vars)));
            }
        }
        return new Trace(file.getFileName().toString(), steps);
    }

    /**
     * Explores the state graph and writes paths through every edge to {@code <out>/cover.jsonl}, its figures to
     * {@code <out>/cover.json}, TLC's output to {@code <out>/cover.log}.
     *
     * @return the figures: {@code states}, {@code edges}, {@code paths}, {@code steps}, {@code actions} (every action
     *         of the spec's next-state relation), {@code seconds}
     */
    public static JsonNode edgeCover(Path tla, Path out) throws IOException, InterruptedException {
        return edgeCover(tla, out, "cover", COVER_MODULE, COVER_CONFIG);
    }

    /**
     * The edge cover of {@code module} with {@code config}: {@code <out>/<name>.jsonl}, its figures
     * {@code <out>/<name>.json}, TLC's output {@code <out>/<name>.log}.
     */
    public static JsonNode edgeCover(Path tla, Path out, String name, String module, String config)
            throws IOException, InterruptedException {
        Path tmp = out.resolve("tmp-" + name).toAbsolutePath();
        Files.createDirectories(tmp);
        Path summary = out.resolve(name + ".json").toAbsolutePath();
        Files.deleteIfExists(summary);
        Path log = out.resolve(name + ".log");
        List<String> cmd = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseParallelGC",
                "-Xmx1g",
                "-Djava.io.tmpdir=" + tmp,
                "-cp",
                System.getProperty("java.class.path"),
                EdgeCover.class.getName(),
                tla.toAbsolutePath().toString(),
                module,
                config,
                out.resolve(name + ".jsonl").toAbsolutePath().toString(),
                summary.toString());
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("EdgeCover did not finish in " + TIMEOUT + "; log " + log);
            }
        } finally {
            p.destroyForcibly();
        }
        if (p.exitValue() != 0 || !Files.exists(summary)) {
            throw new IllegalStateException(
                    "EdgeCover failed (exit " + p.exitValue() + "); log " + log + ":\n" + tail(Files.readString(log)));
        }
        deleteTree(tmp);
        return JSON.readTree(summary.toFile());
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
