// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ocfs2.o2net.spec.chart.SequenceChart;
import org.ocfs2.o2net.spec.chart.SvgChart;

/**
 * The main job's report: one static HTML page, {@code target/report/index.html}, self-contained (inline CSS, the
 * charts inline as SVG, no script, nothing fetched), in two steps of {@code bin/o2net-check}:
 * <ol>
 *   <li>{@link #writeModels}, at the end of the model check ({@link ModelsMain}): the models part, as an HTML fragment
 *       {@code spec/target/report/models.html}: per spec module its models (verdict, states, time) and its property
 *       table; then every finding (a model whose expected verdict is a violation) with its paragraph (the model's
 *       note in {@code models.json}), the violated property and its message sequence chart;</li>
 *   <li>{@link #main}, after the conformance suite: the page, from that fragment and what the other parts left in
 *       the tree: the conformance coverage (the trace generators' figures {@code conformance/target/traces/*.json}
 *       and the suites' results, surefire's {@code conformance/target/surefire-reports/TEST-*.xml}, with any
 *       conformance failure kept in {@code conformance/target/failures/}), the kernel interoperation results
 *       ({@code kernel-lab/target/surefire-reports}) and the benchmark ratios (the tables of {@code BENCHMARKS.md}).
 *       A part whose files are missing says "not run" and the command that runs it; nothing is made up.</li>
 * </ol>
 */
public final class HtmlReport {
    /** Where the models part goes, under the spec module's {@code target}. */
    static final String MODELS_FRAGMENT = "report/models.html";

    private static final String CSS = """
            body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#1b1f24;\
            background:#fff}
            header{background:#14324a;color:#fff;padding:18px 32px}header h1{margin:0;font-size:24px}
            header p{margin:4px 0 0;color:#c9d7e3}
            nav{padding:8px 32px;background:#eef3f7;border-bottom:1px solid #d5dee6}nav a{margin-right:18px;\
            color:#14324a;text-decoration:none;font-weight:600}
            main{padding:8px 32px 40px;max-width:1400px}
            h2{border-bottom:2px solid #14324a;padding-bottom:4px;margin-top:32px}h3{margin-top:26px}
            table{border-collapse:collapse;margin:10px 0;font-size:13px}
            th,td{border:1px solid #cfd8e0;padding:3px 8px;text-align:left;vertical-align:top}
            th{background:#eef3f7}td.num{text-align:right;font-variant-numeric:tabular-nums}td.small{font-size:12px}
            .ok{color:#0a6b2b;font-weight:600}.bad{color:#a4161a;font-weight:700}.muted{color:#66707a}
            .holds{background:#eaf6ee}.violated{background:#fde8e8}.stopped{background:#f4f4f4}
            .finding{border:1px solid #d5dee6;border-radius:6px;padding:8px 16px;margin:18px 0}
            .chart{overflow-x:auto;border-top:1px solid #e3e8ed;padding-top:8px}.wide{overflow-x:auto}
            code,pre{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:13px}
            pre{background:#f6f8fa;padding:8px;overflow-x:auto}
            """;

    private HtmlReport() {}

    // ----------------------------------------------------------------------------------------------------------------
    // Step 1: the models part
    // ----------------------------------------------------------------------------------------------------------------

    /** Writes the models part of {@code checks} to {@code <target>/report/models.html}; returns the file. */
    public static Path writeModels(List<Check> checks, Path target) throws IOException {
        Path file = target.resolve(MODELS_FRAGMENT);
        Files.createDirectories(file.getParent());
        Files.writeString(file, modelsSection(checks), StandardCharsets.UTF_8);
        return file;
    }

    /** The models part: a table and a property table per spec module, then the findings with their charts. */
    static String modelsSection(List<Check> checks) {
        StringBuilder h = new StringBuilder();
        long ok = checks.stream().filter(Check::ok).count();
        h.append("<section id=\"models\"><h2>Models checked by TLC</h2>\n<p>")
                .append(checks.size())
                .append(" models, <span class=\"")
                .append(ok == checks.size() ? "ok\">all as expected" : "bad\">" + (checks.size() - ok) + " differ")
                .append("</span> (verdict and state counts against <code>spec/models.json</code>).</p>\n");
        Map<String, List<Check>> byModule = new LinkedHashMap<>();
        for (Check c : checks) {
            byModule.computeIfAbsent(c.model().module(), m -> new ArrayList<>()).add(c);
        }
        for (Map.Entry<String, List<Check>> e : byModule.entrySet()) {
            h.append("<h3 id=\"module-")
                    .append(escape(e.getKey()))
                    .append("\">")
                    .append(escape(e.getKey()));
            h.append("</h3>\n<table><tr><th>model</th><th>set</th><th>expected</th><th>outcome</th>"
                    + "<th>distinct states</th><th>states generated</th><th>depth / length</th><th>time s</th>"
                    + "<th>verdict</th></tr>\n");
            for (Check c : e.getValue()) {
                TlcResult r = c.result();
                h.append("<tr><td>")
                        .append(anchorIfFinding(c))
                        .append("</td><td>")
                        .append(escape(c.model().set()))
                        .append("</td><td>")
                        .append(escape(c.model().expect().toString()))
                        .append("</td><td>")
                        .append(escape(r.outcome().toString()))
                        .append("</td><td class=\"num\">")
                        .append(number(r.distinctStates()))
                        .append("</td><td class=\"num\">")
                        .append(number(r.statesGenerated()))
                        .append("</td><td class=\"num\">")
                        .append(number(r.depth()))
                        .append("</td><td class=\"num\">")
                        .append(String.format("%.1f", r.time().toMillis() / 1000.0))
                        .append("</td><td>")
                        .append(
                                c.ok()
                                        ? "<span class=\"ok\">as expected</span>"
                                        : "<span class=\"bad\">differs: " + escape(String.join("; ", c.differences()))
                                                + "</span>")
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
            List<PropertyTable.Column> columns = e.getValue().stream()
                    .filter(c -> c.cfg() != null)
                    .map(PropertyTable.Column::measured)
                    .toList();
            if (!columns.isEmpty()) {
                h.append("<p class=\"muted\">Properties of ")
                        .append(escape(e.getKey()))
                        .append(":</p>\n");
                h.append("<div class=\"wide\">")
                        .append(propertyTable(PropertyTable.rows(columns)))
                        .append("</div>\n");
            }
        }
        List<Check> findings =
                checks.stream().filter(c -> c.model().expect().isViolation()).toList();
        h.append("<h2 id=\"findings\">Findings: the counterexamples</h2>\n<p>")
                .append(findings.size())
                .append(" models are expected to fail: each shows why a piece of the protocol is needed."
                        + " Lanes: the callers, S's o2net, R's o2net and R's handler; frames as arrows; a reset as a"
                        + " cut that the lost frames end at.</p>\n");
        for (Check c : findings) {
            h.append(finding(c));
        }
        return h.append("</section>\n").toString();
    }

    private static String anchorIfFinding(Check c) {
        String name = escape(c.model().name());
        return c.model().expect().isViolation() ? "<a href=\"#finding-" + name + "\">" + name + "</a>" : name;
    }

    private static String finding(Check c) {
        StringBuilder h = new StringBuilder();
        String name = escape(c.model().name());
        h.append("<div class=\"finding\" id=\"finding-")
                .append(name)
                .append("\"><h3>")
                .append(name);
        h.append(" <span class=\"muted\">(").append(escape(c.model().module())).append(", ");
        h.append(escape(c.model().config())).append(")</span></h3>\n");
        if (c.model().note() != null) {
            h.append("<p>").append(escape(c.model().note())).append("</p>\n");
        }
        h.append("<p>TLC: <b>").append(escape(c.result().outcome().toString())).append("</b>");
        if (c.result().depth() != null) {
            h.append(", a behaviour of ").append(c.result().depth()).append(" states");
        }
        h.append(c.ok() ? " <span class=\"ok\">as expected</span>" : " <span class=\"bad\">not as expected</span>");
        h.append("</p>\n");
        SequenceChart chart = c.result().counterexample() == null ? null : Report.chart(c);
        if (chart != null) {
            h.append("<div class=\"chart\">")
                    .append(inlineSvg(SvgChart.render(chart)))
                    .append("</div>\n");
        } else {
            h.append("<p class=\"muted\">No counterexample to chart (TLC printed none).</p>\n");
        }
        return h.append("</div>\n").toString();
    }

    /** An SVG document as an inline element: without its XML declaration. */
    static String inlineSvg(String svg) {
        String s = svg.strip();
        if (s.startsWith("<?xml")) {
            s = s.substring(s.indexOf("?>") + 2).strip();
        }
        return s;
    }

    private static String propertyTable(List<List<String>> rows) {
        StringBuilder h = new StringBuilder("<table>");
        for (int r = 0; r < rows.size(); r++) {
            h.append("<tr>");
            for (String cell : rows.get(r)) {
                if (r == 0) {
                    h.append("<th>").append(escape(cell)).append("</th>");
                } else {
                    String cls = cell.startsWith("holds")
                            ? " class=\"holds\""
                            : cell.startsWith("violated")
                                    ? " class=\"violated\""
                                    : cell.startsWith("(") ? " class=\"stopped\"" : "";
                    h.append("<td").append(cls).append(">").append(escape(cell)).append("</td>");
                }
            }
            h.append("</tr>\n");
        }
        return h.append("</table>\n").toString();
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Step 2: the page
    // ----------------------------------------------------------------------------------------------------------------

    /**
     * {@code HtmlReport [--root DIR] [--out FILE]}: assembles the page from what the parts left under {@code DIR} (the
     * repository, default {@code .}) into {@code FILE} (default {@code DIR/target/report/index.html}); prints where.
     */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(".");
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--root" -> root = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: HtmlReport [--root DIR] [--out FILE]");
                    System.exit(2);
                }
            }
        }
        if (out == null) {
            out = root.resolve("target/report/index.html");
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, page(root), StandardCharsets.UTF_8);
        System.out.println("Report: " + out.toAbsolutePath().normalize());
    }

    /** The whole page, from what is under {@code root}. */
    public static String page(Path root) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>o2net-reliable: report</title><style>")
                .append(CSS)
                .append("</style></head><body>\n<header><h1>o2net-reliable: the main job's report</h1><p>")
                .append("Written ")
                .append(escape(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))))
                .append(" by <code>bin/o2net-check</code>: the models, the findings, conformance, the kernel lab,"
                        + " the benchmark ratios.</p></header>\n")
                .append("<nav><a href=\"#models\">Models</a><a href=\"#findings\">Findings</a>"
                        + "<a href=\"#conformance\">Conformance</a><a href=\"#kernel\">Kernel lab</a>"
                        + "<a href=\"#benchmarks\">Benchmarks</a></nav>\n<main>\n");
        Path models = root.resolve("spec/target").resolve(MODELS_FRAGMENT);
        if (Files.exists(models)) {
            h.append(Files.readString(models, StandardCharsets.UTF_8));
        } else {
            h.append(notRun("models", "Models checked by TLC", "bin/o2net-check"));
            h.append("<h2 id=\"findings\">Findings: the counterexamples</h2><p class=\"muted\">See above.</p>\n");
        }
        h.append(conformance(root));
        h.append(kernel(root));
        h.append(benchmarks(root));
        return h.append("</main></body></html>\n").toString();
    }

    private static String notRun(String id, String title, String command) {
        return "<section id=\"" + id + "\"><h2>" + escape(title) + "</h2><p class=\"bad\">Not run in this tree."
                + "</p><p>Run it with <code>" + escape(command)
                + "</code>, then write the report again.</p></section>\n";
    }

    static String conformance(Path root) throws IOException {
        Path traces = root.resolve("conformance/target/traces");
        Path replays = root.resolve("conformance/target/coverage");
        List<Suite> suites = suites(root.resolve("conformance/target/surefire-reports"));
        if (suites.isEmpty() && !Files.isDirectory(traces) && !Files.isDirectory(replays)) {
            return notRun("conformance", "Conformance", "mvn -B -pl conformance -am verify");
        }
        StringBuilder h = new StringBuilder("<section id=\"conformance\"><h2>Conformance</h2>\n");
        h.append("<p>TLC's traces replayed on the protocol core and on two real nodes over loopback TCP, the"
                + " implementation's state compared with the spec's after every step; logs of real runs checked by"
                + " TLC. The generators' figures (what there is to cover):</p>\n");
        h.append("<table><tr><th>traces</th><th>module / cfg</th><th>states</th><th>edges</th><th>paths</th>"
                + "<th>steps</th><th>actions</th></tr>\n");
        int rows = 0;
        for (String name : List.of("cover", "ack-cover")) {
            Path f = traces.resolve(name + ".json");
            if (Files.exists(f)) {
                String json = Files.readString(f);
                h.append("<tr><td><code>")
                        .append(name)
                        .append(".jsonl</code></td><td>")
                        .append(escape(field(json, "module")))
                        .append(" / ")
                        .append(escape(field(json, "config")))
                        .append("</td><td class=\"num\">")
                        .append(count(field(json, "states")))
                        .append("</td><td class=\"num\">")
                        .append(count(field(json, "edges")))
                        .append("</td><td class=\"num\">")
                        .append(count(field(json, "paths")))
                        .append("</td><td class=\"num\">")
                        .append(count(field(json, "steps")))
                        .append("</td><td>")
                        .append(escape(field(json, "actions")))
                        .append("</td></tr>\n");
                rows++;
            }
        }
        h.append("</table>\n");
        if (rows == 0) {
            h.append("<p class=\"muted\">No edge cover generated in this tree.</p>\n");
        }
        h.append(replayTable(replays));
        h.append("<p>The suites' results (each replays every trace named in <code>conformance/README.md</code> and"
                + " asserts every edge and state of the edge cover replayed; a suite fails on any divergence):</p>\n");
        h.append(suiteTable(suites));
        List<Path> failures = new ArrayList<>();
        Path kept = root.resolve("conformance/target/failures");
        if (Files.isDirectory(kept)) {
            try (Stream<Path> s = Files.walk(kept)) {
                s.filter(p -> p.toString().endsWith(".txt")).sorted().forEach(failures::add);
            }
        }
        if (failures.isEmpty()) {
            h.append("<p class=\"ok\">No conformance failure kept.</p>\n");
        } else {
            h.append("<p class=\"bad\">").append(failures.size()).append(" conformance failure(s) kept:</p>\n");
            for (Path f : failures) {
                h.append("<h3>").append(escape(kept.relativize(f).toString())).append("</h3>\n");
                Path svg = f.resolveSibling(f.getFileName().toString().replaceAll("\\.txt$", ".svg"));
                if (Files.exists(svg)) {
                    h.append("<div class=\"chart\">")
                            .append(inlineSvg(Files.readString(svg)))
                            .append("</div>\n");
                }
                h.append("<details><summary>the failure as the suite reported it</summary><pre>")
                        .append(escape(head(Files.readString(f), 60)))
                        .append("</pre></details>\n");
            }
        }
        h.append(seededBugs(replays.resolve("seeded-bugs")));
        return h.append("</section>\n").toString();
    }

    /**
     * What each suite replayed, from the summaries the suites write ({@code conformance/target/coverage/*.json}, the
     * test class {@code CoverageSummary}): traces, steps, and the states and edges gone through, of the model's.
     */
    static String replayTable(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
            }
        }
        if (files.isEmpty()) {
            return "<p class=\"muted\">What the suites replayed: not run in this tree (the suites write it to"
                    + " <code>conformance/target/coverage/</code>; run <code>mvn -B -pl conformance -am verify</code>)."
                    + "</p>\n";
        }
        StringBuilder h = new StringBuilder("<p>What the suites replayed (results of ")
                .append(escape(modified(files)))
                .append("): the states and edges of the spec's state graph the replays went through, against the"
                        + " model's whole graph for an edge cover:</p>\n");
        h.append("<table><tr><th>suite</th><th>tier</th><th>traces</th><th>replayed</th><th>steps</th>"
                + "<th>states</th><th>edges</th><th>actions taken (steps)</th><th>failures</th><th>time s</th></tr>\n");
        ObjectMapper json = new ObjectMapper();
        for (Path f : files) {
            JsonNode o = json.readTree(f.toFile());
            boolean bad = o.path("failures").asLong() != 0;
            StringBuilder actions = new StringBuilder();
            o.path("actions")
                    .fields()
                    .forEachRemaining(a -> actions.append(actions.length() == 0 ? "" : ", ")
                            .append(escape(a.getKey()))
                            .append("&nbsp;")
                            .append(number(a.getValue().asLong())));
            h.append("<tr><td>")
                    .append(escape(o.path("suite").asText()))
                    .append("</td><td>")
                    .append(escape(o.path("tier").asText()))
                    .append("</td><td>")
                    .append(escape(o.path("traces").asText()))
                    .append("</td><td class=\"num\">")
                    .append(number(o.path("replayedTraces").asLong()))
                    .append(
                            o.has("modelPaths")
                                    ? " of " + number(o.path("modelPaths").asLong())
                                    : "")
                    .append("</td><td class=\"num\">")
                    .append(number(o.path("steps").asLong()))
                    .append("</td><td class=\"num\">")
                    .append(ofModel(o, "states", "modelStates"))
                    .append("</td><td class=\"num\">")
                    .append(ofModel(o, "edges", "modelEdges"))
                    .append("</td><td class=\"small\">")
                    .append(actions)
                    .append("</td><td class=\"num")
                    .append(bad ? " bad" : "")
                    .append("\">")
                    .append(number(o.path("failures").asLong()))
                    .append("</td><td class=\"num\">")
                    .append(String.format("%.1f", o.path("seconds").asDouble()))
                    .append("</td></tr>\n");
        }
        return h.append("</table>\n").toString();
    }

    /**
     * The seeded bugs and where the conformance suite caught each, with the chart of the divergence (written by the
     * conformance test {@code SeededBugsTest} to {@code conformance/target/coverage/seeded-bugs/}): what a failure of
     * this suite looks like, on a core with a known bug.
     */
    static String seededBugs(Path dir) throws IOException {
        Path list = dir.resolve("bugs.json");
        if (!Files.exists(list)) {
            return "<p class=\"muted\">Seeded bugs: not run in this tree (<code>SeededBugsTest</code> writes"
                    + " <code>conformance/target/coverage/seeded-bugs/</code>).</p>\n";
        }
        JsonNode bugs = new ObjectMapper().readTree(list.toFile());
        StringBuilder h = new StringBuilder(
                "<h3 id=\"seeded-bugs\">Seeded bugs</h3>\n<p>Each a small edit to one spec action of the protocol"
                        + " core, compiled alone and replayed on the core-tier traces until the first divergence; the"
                        + " chart is the spec's behaviour up to the step the bugged core could not follow.</p>\n");
        h.append("<table><tr><th>bug</th><th>what it changes</th><th>traces</th><th>edge cover: first divergence</th>"
                + "<th>simulation: first divergence</th></tr>\n");
        for (JsonNode b : bugs) {
            h.append("<tr><td><a href=\"#bug-")
                    .append(escape(b.path("bug").asText()))
                    .append("\"><code>")
                    .append(escape(b.path("bug").asText()))
                    .append("</code></a></td><td class=\"small\">")
                    .append(escape(b.path("description").asText()))
                    .append("</td><td>")
                    .append(escape(b.path("traces").asText()))
                    .append("</td>")
                    .append(detection(b.path("cover")))
                    .append(detection(b.path("sim")))
                    .append("</tr>\n");
        }
        h.append("</table>\n");
        for (JsonNode b : bugs) {
            String bug = b.path("bug").asText();
            h.append("<details id=\"bug-")
                    .append(escape(bug))
                    .append("\"><summary><code>")
                    .append(escape(bug));
            h.append("</code>: ")
                    .append(escape(b.path(b.path("chartOf").asText("cover"))
                            .path("problem")
                            .asText()));
            h.append("</summary>\n");
            Path svg = dir.resolve(b.path("chart").asText("-"));
            if (b.has("chart") && Files.exists(svg)) {
                h.append("<div class=\"chart\">")
                        .append(inlineSvg(Files.readString(svg)))
                        .append("</div>\n");
            } else {
                h.append("<p class=\"bad\">No chart of this divergence.</p>\n");
            }
            h.append("</details>\n");
        }
        return h.toString();
    }

    private static String detection(JsonNode d) {
        if (!d.hasNonNull("trace")) {
            return "<td class=\"bad\">not caught ("
                    + number(d.path("tracesReplayed").asLong()) + " traces)</td>";
        }
        return "<td><code>" + escape(d.path("trace").asText()) + "</code> step "
                + d.path("step").asInt() + " (<code>" + escape(d.path("label").asText()) + "</code>)</td>";
    }

    private static String ofModel(JsonNode o, String field, String model) {
        String n = number(o.path(field).asLong());
        return o.has(model) ? n + " of " + number(o.path(model).asLong()) : n;
    }

    /** The latest modification time of {@code files}, to the minute: how old the results shown are. */
    static String modified(List<Path> files) throws IOException {
        long latest = 0;
        for (Path f : files) {
            latest = Math.max(latest, Files.getLastModifiedTime(f).toMillis());
        }
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
                .format(LocalDateTime.ofInstant(
                        java.time.Instant.ofEpochMilli(latest), java.time.ZoneId.systemDefault()));
    }

    static String kernel(Path root) throws IOException {
        List<Suite> suites = suites(root.resolve("kernel-lab/target/surefire-reports"));
        if (suites.isEmpty()) {
            return notRun(
                    "kernel", "Kernel lab: our nodes and the Linux kernel's o2net", "mvn -B -pl kernel-lab -am verify");
        }
        StringBuilder h = new StringBuilder("<section id=\"kernel\"><h2>Kernel lab: our nodes and the Linux kernel's"
                + " o2net</h2>\n<p>Debian's kernel in qemu (user-mode network, <code>restrict=on</code>): our v11 node"
                + " and the kernel's o2net handshake, keep alive, time out and reconnect; o2hb blocks written by each"
                + " read by the other.</p>\n");
        h.append(suiteTable(suites));
        Path summary = root.resolve("kernel-lab/target/kernel-lab/summary.txt");
        if (Files.exists(summary)) {
            h.append("<p>The kernel, the notes and the timings of that run:</p>\n<pre>")
                    .append(escape(head(Files.readString(summary, StandardCharsets.UTF_8), 80)))
                    .append("</pre>\n");
        }
        for (Suite s : suites) {
            h.append("<h3>")
                    .append(escape(s.name))
                    .append("</h3><table><tr><th>check</th><th>result</th>" + "<th>time s</th></tr>\n");
            for (String[] t : s.cases) {
                h.append("<tr><td>")
                        .append(escape(t[0]))
                        .append("</td><td>")
                        .append(
                                t[2].isEmpty()
                                        ? "<span class=\"ok\">passed</span>"
                                        : "<span class=\"bad\">" + escape(t[2]) + "</span>")
                        .append("</td><td class=\"num\">")
                        .append(escape(t[1]))
                        .append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        return h.append("</section>\n").toString();
    }

    /** The headings of BENCHMARKS.md whose first table holds ratios. */
    private static final Pattern RATIO_HEADING = Pattern.compile("#{2,4} (One round trip|Ratios|Fast path)\\b.*");

    static String benchmarks(Path root) throws IOException {
        Path file = root.resolve("BENCHMARKS.md");
        if (!Files.exists(file)) {
            return notRun("benchmarks", "Benchmarks", "bin/o2net-bench");
        }
        String md = Files.readString(file);
        StringBuilder h = new StringBuilder("<section id=\"benchmarks\"><h2>Benchmarks</h2>\n<p>Ratios measured"
                + " side by side in one run (<code>bin/o2net-bench</code>; every table and its command in"
                + " <code>BENCHMARKS.md</code>):</p>\n");
        int tables = 0;
        String[] lines = md.split("\n", -1);
        String command = null;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("Command: ")) {
                command = lines[i];
            }
            if (!RATIO_HEADING.matcher(lines[i]).matches()) {
                continue;
            }
            // the section's text up to its first table (how it was measured), then that table
            List<String> note = new ArrayList<>();
            List<String> table = new ArrayList<>();
            for (int j = i + 1; j < lines.length && !lines[j].startsWith("#"); j++) {
                if (lines[j].startsWith("|")) {
                    table.add(lines[j]);
                } else if (!table.isEmpty()) {
                    break;
                } else if (!lines[j].isBlank()) {
                    note.add(lines[j].strip());
                }
            }
            if (table.size() < 2) {
                continue;
            }
            h.append("<h3>").append(escape(lines[i].replaceFirst("^#+ ", ""))).append("</h3>\n");
            if (!note.isEmpty()) {
                h.append("<p class=\"muted\">")
                        .append(inline(escape(String.join(" ", note))))
                        .append("</p>\n");
            } else if (command != null) {
                h.append("<p class=\"muted\">").append(inline(escape(command))).append("</p>\n");
            }
            h.append(markdownTable(String.join("\n", table)));
            tables++;
        }
        if (tables == 0) {
            h.append("<p class=\"muted\">BENCHMARKS.md has no ratio table yet.</p>\n");
        }
        return h.append("</section>\n").toString();
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Helpers
    // ----------------------------------------------------------------------------------------------------------------

    /** A test suite's surefire report: name, counts, and each case as {name, seconds, failure message or ""}. */
    record Suite(
            String name,
            int tests,
            int failures,
            int errors,
            int skipped,
            double seconds,
            List<String[]> cases,
            Path file) {}

    static List<Suite> suites(Path dir) throws IOException {
        List<Suite> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml"))
                    .sorted()
                    .toList();
        }
        javax.xml.parsers.DocumentBuilder parser = surefireParser();
        for (Path f : files) {
            org.w3c.dom.Element suite;
            try {
                suite = parser.parse(f.toFile()).getDocumentElement();
            } catch (org.xml.sax.SAXException e) {
                // shown as a suite in error, named by its file: the rest of the report is still written
                out.add(new Suite(
                        f.getFileName() + " (not a well-formed report: " + e.getMessage() + ")",
                        0,
                        0,
                        1,
                        0,
                        0,
                        List.of(),
                        f));
                continue;
            }
            if (!suite.getTagName().equals("testsuite")) {
                continue;
            }
            List<String[]> cases = new ArrayList<>();
            org.w3c.dom.NodeList list = suite.getElementsByTagName("testcase");
            for (int i = 0; i < list.getLength(); i++) {
                org.w3c.dom.Element c = (org.w3c.dom.Element) list.item(i);
                String failure = firstMessage(c, "failure");
                if (failure == null) {
                    failure = firstMessage(c, "error");
                }
                if (failure == null) {
                    failure = c.getElementsByTagName("skipped").getLength() > 0 ? "skipped" : "";
                }
                cases.add(new String[] {attr(c, "name", "?"), attr(c, "time", ""), failure});
            }
            String name = attr(suite, "name", f.getFileName().toString());
            out.add(new Suite(
                    name.substring(name.lastIndexOf('.') + 1),
                    intAttr(suite, "tests"),
                    intAttr(suite, "failures"),
                    intAttr(suite, "errors"),
                    intAttr(suite, "skipped"),
                    Double.parseDouble(attr(suite, "time", "0").replace(",", "")),
                    cases,
                    f));
        }
        return out;
    }

    /** The JDK's DOM parser, with no DTD and no external entity: a report is read, nothing it names is fetched. */
    private static javax.xml.parsers.DocumentBuilder surefireParser() throws IOException {
        try {
            javax.xml.parsers.DocumentBuilderFactory f = javax.xml.parsers.DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(javax.xml.XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            f.setXIncludeAware(false);
            javax.xml.parsers.DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(
                    new org.xml.sax.ErrorHandler() { // the parser's own stderr lines: none, the report says it
                        @Override
                        public void warning(org.xml.sax.SAXParseException e) {}

                        @Override
                        public void error(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXException {
                            throw e;
                        }

                        @Override
                        public void fatalError(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXException {
                            throw e;
                        }
                    });
            return b;
        } catch (javax.xml.parsers.ParserConfigurationException e) {
            throw new IOException("no XML parser: " + e.getMessage(), e);
        }
    }

    /** The message of the case's first {@code <failure>} or {@code <error>} (its text if it has no message). */
    private static String firstMessage(org.w3c.dom.Element testcase, String tag) {
        org.w3c.dom.NodeList l = testcase.getElementsByTagName(tag);
        if (l.getLength() == 0) {
            return null;
        }
        org.w3c.dom.Element e = (org.w3c.dom.Element) l.item(0);
        return e.hasAttribute("message")
                ? e.getAttribute("message")
                : e.getTextContent().strip();
    }

    private static String attr(org.w3c.dom.Element e, String name, String otherwise) {
        return e.hasAttribute(name) ? e.getAttribute(name) : otherwise;
    }

    private static String suiteTable(List<Suite> suites) throws IOException {
        if (suites.isEmpty()) {
            return "<p class=\"muted\">No test results in this tree.</p>\n";
        }
        StringBuilder h = new StringBuilder("<p class=\"muted\">Test results of ")
                .append(escape(modified(suites.stream().map(Suite::file).toList())))
                .append(
                        " (surefire's reports):</p>\n<table><tr><th>suite</th><th>tests</th><th>failures</th><th>errors</th>"
                                + "<th>skipped</th><th>time s</th></tr>\n");
        for (Suite s : suites) {
            boolean bad = s.failures + s.errors > 0;
            h.append("<tr><td>")
                    .append(escape(s.name))
                    .append("</td><td class=\"num\">")
                    .append(s.tests)
                    .append("</td><td class=\"num")
                    .append(bad ? " bad" : "")
                    .append("\">")
                    .append(s.failures)
                    .append("</td><td class=\"num")
                    .append(bad ? " bad" : "")
                    .append("\">")
                    .append(s.errors)
                    .append("</td><td class=\"num\">")
                    .append(s.skipped)
                    .append("</td><td class=\"num\">")
                    .append(String.format("%.1f", s.seconds))
                    .append("</td></tr>\n");
        }
        return h.append("</table>\n").toString();
    }

    private static int intAttr(org.w3c.dom.Element e, String name) {
        return Integer.parseInt(attr(e, name, "0"));
    }

    /** A top-level field of a small JSON object, as text: a string's value, a number, or an array's items. */
    static String field(String json, String name) throws IOException {
        JsonNode v = new ObjectMapper().readTree(json).path(name);
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(e -> items.add(e.asText()));
            return String.join(", ", items);
        }
        return v.isMissingNode() ? "" : v.asText();
    }

    /** The first Markdown table in {@code text} (consecutive lines starting with '|'), or null. */
    static String firstTable(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("|")) {
                lines.add(line);
            } else if (!lines.isEmpty()) {
                break;
            }
        }
        return lines.size() < 2 ? null : String.join("\n", lines);
    }

    /** A Markdown table as an HTML table; {@code **bold**} and {@code `code`} in cells are kept. */
    static String markdownTable(String md) {
        StringBuilder h = new StringBuilder("<table>");
        String[] lines = md.strip().split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (i == 1 && lines[i].matches("[|\\s:-]+")) {
                continue;
            }
            String line = lines[i].strip();
            String[] cells = line.substring(1, line.endsWith("|") ? line.length() - 1 : line.length())
                    .split("\\|", -1);
            h.append("<tr>");
            for (String cell : cells) {
                String tag = i == 0 ? "th" : "td";
                String text = inline(escape(cell.strip()));
                boolean num = i > 0 && cell.strip().matches("\\**[-+0-9.,×÷≤≥ ]+\\**( ?[µ%a-zA-Z/]+)?");
                h.append('<')
                        .append(tag)
                        .append(num ? " class=\"num\"" : "")
                        .append('>')
                        .append(text);
                h.append("</").append(tag).append('>');
            }
            h.append("</tr>\n");
        }
        return h.append("</table>\n").toString();
    }

    private static String inline(String escaped) {
        return escaped.replaceAll("\\*\\*([^*]+)\\*\\*", "<b>$1</b>").replaceAll("`([^`]+)`", "<code>$1</code>");
    }

    private static String head(String text, int lines) {
        List<String> all = text.lines().toList();
        return all.size() <= lines
                ? text
                : String.join("\n", all.subList(0, lines)) + "\n... (" + (all.size() - lines) + " more lines)";
    }

    /** A count as text with thousands separators, or the text as it is if it is not one. */
    private static String count(String text) {
        return text.matches("-?[0-9]+") ? number(Long.parseLong(text)) : escape(text);
    }

    private static String number(Number n) {
        return n == null ? "—" : String.format("%,d", n.longValue());
    }

    /** HTML-escapes text for element content and attribute values. */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
