// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ocfs2.o2net.spec.chart.SequenceChart;
import org.ocfs2.o2net.spec.chart.TextChart;

/** Text reports of checked models: a summary table, what differed, and the counterexamples. */
public final class Report {

    private static final List<String> HEADER =
            List.of("model", "set", "expected", "outcome", "distinct", "generated", "depth/cex", "time", "verdict");

    private Report() {}

    /** One row per model: name, set, expected and actual verdict, counts, depth, time, OK or MISMATCH. */
    public static String table(List<Check> checks) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (Check c : checks) {
            TlcResult r = c.result();
            String outcome = r.outcome().kind() == Outcome.Kind.ERROR
                    ? "error"
                    : r.outcome().toString();
            rows.add(List.of(
                    c.model().name(),
                    c.model().set(),
                    c.model().expect().toString(),
                    outcome,
                    number(r.distinctStates()),
                    r.distributed() ? uncompared(r.statesGenerated()) : number(r.statesGenerated()),
                    r.distributed() ? uncompared(r.depth()) : number(r.depth()),
                    seconds(r.time()),
                    c.ok() ? "OK" : "MISMATCH"));
        }
        int[] width = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                boolean numeric = i >= 4 && i <= 7;
                String cell = row.get(i);
                String pad = " ".repeat(width[i] - cell.length());
                line.append(numeric ? pad + cell : cell + pad).append("  ");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        if (checks.stream().anyMatch(c -> c.result().distributed())) {
            out.append("(in parentheses: figures of distributed TLC, which depend on how its server handed out"
                    + " work; not compared)\n");
        }
        return out.toString();
    }

    private static String uncompared(Number n) {
        return n == null ? number(null) : "(" + number(n) + ")";
    }

    /**
     * Everything a reader needs about one model beyond the table: its note, what differed from the
     * manifest, TLC's words on an error, and the counterexample if there is one.
     */
    public static String explain(Check c) {
        StringBuilder out = new StringBuilder();
        TlcResult r = c.result();
        out.append(c.model().name())
                .append(": ")
                .append(c.ok() ? "OK" : "MISMATCH")
                .append(", ")
                .append(r.outcome())
                .append('\n');
        if (c.model().note() != null) {
            out.append("  note: ").append(c.model().note()).append('\n');
        }
        for (String d : c.differences()) {
            out.append("  - ").append(d).append('\n');
        }
        if (!r.detail().isEmpty()) {
            out.append("  TLC said:\n").append(r.detail().indent(4));
        }
        if (!c.ok() && r.log() != null) {
            out.append("  TLC's output: ").append(r.log()).append('\n');
        }
        if (r.counterexample() != null) {
            int n = r.counterexample().length();
            out.append("  counterexample, ")
                    .append(n)
                    .append(n == 1 ? " state:\n" : " states:\n")
                    .append(r.counterexample().format());
            SequenceChart chart = chart(c);
            if (chart != null) {
                out.append("  message sequence chart:\n")
                        .append(TextChart.render(chart).indent(2));
            }
        }
        return out.toString();
    }

    /** The message sequence chart of a model's counterexample, or null if it has none or the spec has no frames. */
    public static SequenceChart chart(Check c) {
        TlcResult r = c.result();
        Outcome o = r.outcome();
        String violated = switch (o.kind()) {
            case INVARIANT, PROPERTY -> o.name();
            case DEADLOCK -> "deadlock freedom";
            default -> null;
        };
        return SequenceChart.of(c.model().name() + ": " + o, r.counterexample(), violated);
    }

    /**
     * The full report: the table, then the explanation of every model that did not match or that
     * has a counterexample, then a closing line {@code N passed, N failed}.
     */
    public static String full(List<Check> checks) {
        StringBuilder out = new StringBuilder(table(checks));
        for (Check c : checks) {
            if (!c.ok() || c.result().counterexample() != null) {
                out.append('\n').append(explain(c));
            }
        }
        long failed = checks.stream().filter(c -> !c.ok()).count();
        out.append('\n')
                .append("models: ")
                .append(checks.size() - failed)
                .append(" passed, ")
                .append(failed)
                .append(" failed\n");
        return out.toString();
    }

    private static String number(Number n) {
        return n == null ? "-" : String.format(Locale.ROOT, "%,d", n.longValue());
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
