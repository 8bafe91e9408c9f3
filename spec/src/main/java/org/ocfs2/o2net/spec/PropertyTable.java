// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The Markdown table of which model checks which property, and with what result. Rows are the
 * invariants, then the temporal and action properties, then "Deadlock freedom"; columns are the
 * models. A cell says {@code holds}, {@code violated (N states)} (N the length of the
 * counterexample), {@code (stopped)} when the model stopped at another violation before this
 * property was established, {@code error} when the run established nothing, or {@code —} when the
 * model does not check the property.
 */
public final class PropertyTable {

    /** The line before the table in README.md. */
    public static final String BEGIN = "<!-- property-table:begin -->";
    /** The line after the table in README.md. */
    public static final String END = "<!-- property-table:end -->";

    static final String DEADLOCK_ROW = "Deadlock freedom";

    /**
     * One model's column.
     *
     * @param model   the manifest entry
     * @param cfg     what its cfg checks
     * @param outcome the recorded or measured verdict
     * @param length  the counterexample length of a violation, or null
     */
    public record Column(ModelSpec model, CfgFile cfg, Outcome outcome, Integer length) {

        /** The column of a manifest entry as recorded: its expected verdict and depth. */
        public static Column recorded(ModelSpec model, CfgFile cfg) {
            return new Column(model, cfg, model.expect(), model.depth());
        }

        /** The column of a model as just checked. */
        public static Column measured(Check check) {
            return new Column(
                    check.model(),
                    check.cfg(),
                    check.result().outcome(),
                    check.result().depth());
        }
    }

    private PropertyTable() {}

    /**
     * The columns of every model of the manifest, as recorded there.
     *
     * @throws IllegalArgumentException if a model expects the violation of something its cfg does not check
     */
    public static List<Column> recorded(Manifest manifest, Path tlaDir) throws IOException {
        List<Column> columns = new ArrayList<>();
        for (ModelSpec model : manifest.models()) {
            CfgFile cfg = CfgFile.read(tlaDir.resolve(model.config()));
            Outcome expect = model.expect();
            boolean checked = switch (expect.kind()) {
                case INVARIANT -> cfg.invariants().contains(expect.name());
                case PROPERTY -> cfg.properties().contains(expect.name());
                case DEADLOCK -> model.checksDeadlock(cfg);
                default -> true;
            };
            if (!checked) {
                throw new IllegalArgumentException("model " + model.name() + " expects " + expect + ", which its cfg "
                        + model.config() + " does not check");
            }
            columns.add(Column.recorded(model, cfg));
        }
        return columns;
    }

    /** The table in Markdown, columns padded so that the text reads as a table too. */
    public static String markdown(List<Column> columns) {
        if (columns.isEmpty()) {
            return "_No models yet._\n";
        }
        return render(rows(columns));
    }

    /**
     * The table's cells, a header row first (a "Property" column, then one per model), then a row per property;
     * {@code columns} must not be empty.
     */
    public static List<List<String>> rows(List<Column> columns) {
        Set<String> invariants = new LinkedHashSet<>();
        Set<String> properties = new LinkedHashSet<>();
        boolean deadlock = false;
        for (Column c : columns) {
            invariants.addAll(c.cfg().invariants());
            properties.addAll(c.cfg().properties());
            deadlock |= c.model().checksDeadlock(c.cfg());
        }
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("Property"));
        columns.forEach(c -> header.add(c.model().name() + " (" + c.model().set() + ")"));
        rows.add(header);
        for (String name : invariants) {
            rows.add(row(name, columns, c -> c.cfg().invariants().contains(name), Outcome.invariant(name)));
        }
        for (String name : properties) {
            rows.add(row(name, columns, c -> c.cfg().properties().contains(name), Outcome.property(name)));
        }
        if (deadlock) {
            rows.add(row(DEADLOCK_ROW, columns, c -> c.model().checksDeadlock(c.cfg()), Outcome.DEADLOCK));
        }
        return rows;
    }

    /** The text between the markers in {@code readme}, or empty if the markers are not there. */
    public static Optional<String> section(String readme) {
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        if (begin < 0 || end < begin) {
            return Optional.empty();
        }
        return Optional.of(readme.substring(begin + BEGIN.length(), end).strip() + "\n");
    }

    /**
     * {@code readme} with the text between the markers replaced by {@code table}.
     *
     * @throws IllegalArgumentException if the markers are not there
     */
    public static String replaceSection(String readme, String table) {
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("README has no " + BEGIN + " ... " + END + " section");
        }
        return readme.substring(0, begin + BEGIN.length()) + "\n" + table.strip() + "\n" + readme.substring(end);
    }

    private static List<String> row(String label, List<Column> columns, Predicate<Column> checks, Outcome violation) {
        List<String> row = new ArrayList<>(List.of(label));
        for (Column c : columns) {
            String cell;
            if (!checks.test(c)) {
                cell = "—";
            } else if (c.outcome().equals(violation)) {
                cell = c.length() == null
                        ? "violated"
                        : "violated (" + c.length() + (c.length() == 1 ? " state)" : " states)");
            } else if (c.outcome().isViolation()) {
                cell = "(stopped)";
            } else if (c.outcome().kind() == Outcome.Kind.ERROR) {
                cell = "error";
            } else {
                cell = "holds";
            }
            row.add(cell);
        }
        return row;
    }

    private static String render(List<List<String>> rows) {
        int[] width = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(Math.max(width[i], row.get(i).length()), 3);
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            out.append(line(rows.get(r), width));
            if (r == 0) {
                List<String> rule = new ArrayList<>();
                for (int w : width) {
                    rule.add("-".repeat(w));
                }
                out.append(line(rule, width));
            }
        }
        return out.toString();
    }

    private static String line(List<String> cells, int[] width) {
        StringBuilder line = new StringBuilder("|");
        for (int i = 0; i < cells.size(); i++) {
            line.append(' ')
                    .append(cells.get(i))
                    .append(" ".repeat(width[i] - cells.get(i).length()))
                    .append(" |");
        }
        return line.append('\n').toString();
    }
}
