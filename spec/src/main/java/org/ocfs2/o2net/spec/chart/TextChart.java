// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec.chart;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link SequenceChart} for the terminal, in plain ASCII so that it survives any log and locale. One line per
 * row: the step and action in the left margin, the lanes as {@code |}, and the row's label on the right.
 * <pre>
 *  step action            c1  c2  S                R       handler
 *   3 Connect             |   |   |================|       |       connected
 *                         |   |   |. . . . . . . .&gt;|       |       #1 MSG seq=1 val=&lt;&lt;c1,1&gt;&gt; sent
 *   4 RecvMsg             |   |   |---------------&gt;|       |       #1 MSG seq=1 val=&lt;&lt;c1,1&gt;&gt; received
 * </pre>
 * A sent frame is a dotted arrow, a received one a solid arrow, a connection that goes away a row of {@code x}
 * naming the frames it lost, a note a {@code *} on its lane, the violated property a row of {@code !}.
 */
public final class TextChart {
    private static final int MARGIN = 24;
    private static final int CALLER_GAP = 4;
    private static final int NETWORK_GAP = 18;
    private static final int HANDLER_GAP = 8;

    private TextChart() {}

    /** Renders the chart, a title line first. */
    public static String render(SequenceChart chart) {
        List<String> lanes = chart.lanes();
        Map<String, Integer> x = new HashMap<>();
        int pos = 0;
        for (String lane : lanes) {
            x.put(lane, pos);
            int gap = lane.equals(SequenceChart.S)
                    ? NETWORK_GAP
                    : lane.equals(SequenceChart.R) ? HANDLER_GAP : Math.max(CALLER_GAP, lane.length() + 2);
            pos += gap;
        }
        int width = x.get(SequenceChart.HANDLER) + 1;
        StringBuilder out = new StringBuilder();
        out.append(chart.title()).append('\n');
        StringBuilder header = new StringBuilder(pad(" step action", MARGIN));
        char[] names = blank(width + SequenceChart.HANDLER.length());
        for (String lane : lanes) {
            lane.getChars(0, lane.length(), names, x.get(lane));
        }
        header.append(new String(names).stripTrailing());
        out.append(header).append('\n');
        String pendingMargin = null;
        for (SequenceChart.Row row : chart.rows()) {
            if (row.kind() == SequenceChart.Kind.STEP) {
                if (pendingMargin != null) {
                    out.append(lanesOnly(pendingMargin, lanes, x, width)).append('\n');
                }
                // The step's number and action go on the line of its first event.
                pendingMargin = String.format("%3d %s", row.step(), row.text());
                continue;
            }
            char[] canvas = blank(width);
            for (String lane : lanes) {
                canvas[x.get(lane)] = '|';
            }
            String margin = pendingMargin == null ? "" : pendingMargin;
            pendingMargin = null;
            String label = row.text();
            switch (row.kind()) {
                case STEP -> throw new AssertionError("handled above");
                case CALL, RETURN, RECEIVE -> arrow(canvas, x.get(row.from()), x.get(row.to()), '-');
                case SEND -> arrow(canvas, x.get(row.from()), x.get(row.to()), '.');
                case CUT -> fill(canvas, x.get(row.from()), x.get(row.to()), 'x');
                case CONNECT -> fill(canvas, x.get(row.from()), x.get(row.to()), '=');
                case NOTE -> {
                    canvas[x.get(row.from())] = '*';
                    label = row.from() + ": " + row.text();
                }
                case VIOLATION -> {
                    Arrays.fill(canvas, '!');
                    label = row.text();
                }
            }
            if (row.kind() == SequenceChart.Kind.SEND) {
                label = label + " sent";
            } else if (row.kind() == SequenceChart.Kind.RECEIVE) {
                label = label + " received";
            }
            String line = pad(margin, MARGIN) + new String(canvas) + (label.isEmpty() ? "" : "  " + label);
            out.append(line.stripTrailing()).append('\n');
        }
        if (pendingMargin != null) {
            out.append(lanesOnly(pendingMargin, lanes, x, width)).append('\n');
        }
        return out.toString();
    }

    /** A line with only the lanes: a step in which nothing the chart shows happened. */
    private static String lanesOnly(String margin, List<String> lanes, Map<String, Integer> x, int width) {
        char[] canvas = blank(width);
        for (String lane : lanes) {
            canvas[x.get(lane)] = '|';
        }
        return (pad(margin, MARGIN) + new String(canvas)).stripTrailing();
    }

    private static void arrow(char[] canvas, int from, int to, char body) {
        int lo = Math.min(from, to);
        int hi = Math.max(from, to);
        for (int i = lo + 1; i < hi; i++) {
            canvas[i] = body == '.' && ((i - lo) % 2 == 0) ? ' ' : body;
        }
        if (to > from) {
            canvas[hi - 1] = '>';
        } else {
            canvas[lo + 1] = '<';
        }
    }

    private static void fill(char[] canvas, int from, int to, char c) {
        for (int i = Math.min(from, to) + 1; i < Math.max(from, to); i++) {
            canvas[i] = c;
        }
    }

    private static char[] blank(int width) {
        char[] c = new char[width];
        Arrays.fill(c, ' ');
        return c;
    }

    private static String pad(String s, int width) {
        if (s.length() >= width) {
            return s.substring(0, width - 1) + " ";
        }
        return s + " ".repeat(width - s.length());
    }
}
