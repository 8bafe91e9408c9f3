// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A table of results, printed as Markdown both on the terminal and in {@code BENCHMARKS.md}: a title, a header row,
 * rows of cells already formatted, and notes printed under it.
 */
public final class Table {
    private final String title;
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public Table(String title, String... header) {
        this.title = title;
        this.header = List.of(header);
    }

    /** Adds a row; it must have one cell per column. */
    public Table row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException(
                    "row of " + cells.length + " cells in a table of " + header.size() + " columns: " + title);
        }
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(String.valueOf(c));
        }
        rows.add(r);
        return this;
    }

    /** Adds a line printed under the table. */
    public Table note(String note) {
        notes.add(note);
        return this;
    }

    public String title() {
        return title;
    }

    public List<List<String>> rows() {
        return rows;
    }

    /** The table as Markdown, columns padded so that it also reads well as plain text. */
    public String markdown() {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.max(3, header.get(i).length());
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("### ").append(title).append("\n\n");
        line(sb, header, w);
        sb.append('|');
        for (int i = 0; i < w.length; i++) {
            sb.append(i == 0 ? "-".repeat(w[i] + 2) : "-".repeat(w[i] + 1) + ":")
                    .append('|');
        }
        sb.append('\n');
        for (List<String> r : rows) {
            line(sb, r, w);
        }
        if (!notes.isEmpty()) {
            sb.append('\n');
            for (String n : notes) {
                sb.append(n).append('\n');
            }
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] w) {
        sb.append('|');
        for (int i = 0; i < w.length; i++) {
            String c = cells.get(i);
            sb.append(' ');
            if (i == 0) {
                sb.append(c).append(" ".repeat(w[i] - c.length()));
            } else {
                sb.append(" ".repeat(w[i] - c.length())).append(c);
            }
            sb.append(" |");
        }
        sb.append('\n');
    }

    /** Formats {@code v} with thousands separators. */
    public static String count(long v) {
        return String.format("%,d", v);
    }

    /** Formats {@code v} with {@code digits} decimals. */
    public static String fixed(double v, int digits) {
        return String.format("%." + digits + "f", v);
    }
}
