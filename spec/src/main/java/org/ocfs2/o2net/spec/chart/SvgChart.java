// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec.chart;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link SequenceChart} as a standalone SVG picture for the report: lanes as vertical lines, a frame as an arrow
 * from the row that sent it down to the row that received it (slanted, so frames overtaking or crossing show as
 * such), a lost frame ending in a cross on the cut that lost it, a frame still in flight at the end as a dashed
 * arrow off the bottom, notes beside their lane, the violated property as a red band.
 */
public final class SvgChart {
    private static final int LEFT = 170;
    private static final int TOP = 60;
    private static final int ROW = 22;
    private static final int CALLER_GAP = 90;
    private static final int NETWORK_GAP = 380;
    private static final int HANDLER_GAP = 170;
    private static final int RIGHT = 330;

    private SvgChart() {}

    /** Renders the chart as an SVG document. */
    public static String render(SequenceChart chart) {
        List<String> lanes = chart.lanes();
        Map<String, Integer> x = new HashMap<>();
        int pos = LEFT;
        for (String lane : lanes) {
            x.put(lane, pos);
            pos += lane.equals(SequenceChart.S) ? NETWORK_GAP : lane.equals(SequenceChart.R) ? HANDLER_GAP : CALLER_GAP;
        }
        int width = x.get(SequenceChart.HANDLER) + RIGHT;
        int bottom = y(chart.rows().size()) + ROW;
        StringBuilder s = new StringBuilder();
        s.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"monospace\" font-size=\"12\">%n",
                width,
                bottom + 10,
                width,
                bottom + 10));
        s.append(
                "<defs><marker id=\"head\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\""
                        + " markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\"/></marker></defs>\n");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(s, 10, 20, chart.title(), "font-weight=\"bold\" font-size=\"14\"");
        for (String lane : lanes) {
            int lx = x.get(lane);
            text(s, lx, TOP - 12, lane, "text-anchor=\"middle\" font-weight=\"bold\"");
            line(s, lx, TOP - 6, lx, bottom, "stroke=\"#888\"");
        }
        List<SequenceChart.Row> rows = chart.rows();
        for (int i = 0; i < rows.size(); i++) {
            SequenceChart.Row row = rows.get(i);
            int y = y(i);
            switch (row.kind()) {
                case STEP -> {
                    line(s, 5, y - ROW / 2 + 2, width - 5, y - ROW / 2 + 2, "stroke=\"#eee\"");
                    text(s, 10, y + 4, row.step() + " " + row.text(), "fill=\"#333\"");
                }
                case CALL, RETURN -> {
                    line(s, x.get(row.from()), y, x.get(row.to()), y, "stroke=\"#06c\" marker-end=\"url(#head)\"");
                    text(s, Math.min(x.get(row.from()), x.get(row.to())) + 4, y - 4, row.text(), "fill=\"#06c\"");
                }
                case SEND, RECEIVE -> {
                    // drawn with its frame below
                }
                case CUT -> {
                    line(
                            s,
                            x.get(SequenceChart.S),
                            y,
                            x.get(SequenceChart.R),
                            y,
                            "stroke=\"#c00\" stroke-width=\"3\" stroke-dasharray=\"6,4\"");
                    text(s, x.get(SequenceChart.R) + 6, y + 4, row.text(), "fill=\"#c00\"");
                }
                case CONNECT -> {
                    line(s, x.get(SequenceChart.S), y, x.get(SequenceChart.R), y, "stroke=\"#080\" stroke-width=\"3\"");
                    text(s, x.get(SequenceChart.R) + 6, y + 4, row.text(), "fill=\"#080\"");
                }
                case NOTE -> {
                    int lx = x.get(row.from());
                    s.append(
                            String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"#a60\"/>%n", lx, y));
                    text(s, lx + 8, y + 4, row.text(), "fill=\"#a60\"");
                }
                case VIOLATION -> {
                    s.append(String.format(
                            Locale.ROOT,
                            "<rect x=\"5\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fdd\" stroke=\"#c00\"/>%n",
                            y - ROW / 2,
                            width - 10,
                            ROW));
                    text(s, 10, y + 4, row.text(), "fill=\"#c00\" font-weight=\"bold\"");
                }
            }
        }
        for (SequenceChart.Frame f : chart.frames().values()) {
            int x1 = x.get(f.from());
            int y1 = y(f.sentRow());
            int x2 = x.get(f.to());
            String colour = f.from().equals(SequenceChart.S) ? "#000" : "#555";
            if (f.endRow() < 0) {
                line(
                        s,
                        x1,
                        y1,
                        x2,
                        bottom,
                        "stroke=\"" + colour + "\" stroke-dasharray=\"4,3\" marker-end=\"url(#head)\"");
            } else if (f.lost()) {
                int xm = (x1 + x2) / 2;
                int ym = y(f.endRow());
                line(s, x1, y1, xm, ym, "stroke=\"" + colour + "\"");
                line(s, xm - 5, ym - 5, xm + 5, ym + 5, "stroke=\"#c00\" stroke-width=\"2\"");
                line(s, xm - 5, ym + 5, xm + 5, ym - 5, "stroke=\"#c00\" stroke-width=\"2\"");
            } else {
                line(s, x1, y1, x2, y(f.endRow()), "stroke=\"" + colour + "\" marker-end=\"url(#head)\"");
            }
            int tx = f.from().equals(SequenceChart.S) ? x1 + 6 : x1 - 6;
            String anchor = f.from().equals(SequenceChart.S) ? "" : "text-anchor=\"end\" ";
            text(s, tx, y1 - 3, "#" + f.id() + " " + f.label(), anchor + "fill=\"" + colour + "\"");
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static int y(int row) {
        return TOP + ROW / 2 + row * ROW;
    }

    private static void line(StringBuilder s, int x1, int y1, int x2, int y2, String attrs) {
        s.append(String.format(
                Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" %s/>%n", x1, y1, x2, y2, attrs));
    }

    private static void text(StringBuilder s, int x, int y, String text, String attrs) {
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" %s>%s</text>%n", x, y, attrs, escape(text)));
    }

    /** Escapes text for XML character data. */
    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
