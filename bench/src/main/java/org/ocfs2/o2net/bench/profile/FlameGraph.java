// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench.profile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A flame graph as a static SVG picture (no script, so that it shows as an image in Markdown), from a profile in the
 * "collapsed stacks" form async-profiler and Brendan Gregg's tools share: one line per distinct stack,
 * {@code root;caller;callee count}. Each frame is a box as wide as the samples that pass through it, on top of its
 * caller; boxes too narrow to read are drawn without a label; frames are coloured by kind (Java, native and kernel,
 * Netty, this project).
 */
public final class FlameGraph {
    static final int WIDTH = 1200;
    static final int ROW = 16;
    static final int MARGIN = 10;
    static final double MIN_LABEL_PX = 30;

    /** A frame of the merged tree. */
    static final class Node {
        final String name;
        long samples;
        final Map<String, Node> children = new LinkedHashMap<>();

        Node(String name) {
            this.name = name;
        }

        int depth() {
            int d = 0;
            for (Node c : children.values()) {
                d = Math.max(d, c.depth());
            }
            return d + 1;
        }
    }

    private FlameGraph() {}

    /**
     * Merges the collapsed stacks into one tree under a root named {@code all}.
     *
     * @throws IllegalArgumentException on a line that is not {@code frames count}
     */
    static Node parse(String collapsed) {
        Node root = new Node("all");
        for (String line : collapsed.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int sp = line.lastIndexOf(' ');
            long n;
            try {
                n = sp < 0 ? -1 : Long.parseLong(line.substring(sp + 1).trim());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0) {
                throw new IllegalArgumentException("not a collapsed stack (frames count): " + line);
            }
            root.samples += n;
            Node at = root;
            for (String frame : line.substring(0, sp).split(";")) {
                at = at.children.computeIfAbsent(frame, Node::new);
                at.samples += n;
            }
        }
        return root;
    }

    /** The SVG picture of {@code collapsed} under {@code title}; {@code unit} names what the counts count. */
    public static String svg(String title, String unit, String collapsed) {
        return svg(title, unit, parse(collapsed));
    }

    /** The SVG picture of a tree {@link #parse} made. */
    static String svg(String title, String unit, Node root) {
        int depth = root.depth();
        int height = MARGIN * 2 + ROW * (depth + 2);
        StringBuilder s = new StringBuilder();
        s.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"monospace\""
                        + " font-size=\"11\">%n",
                WIDTH,
                height));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#fdfdf8\"/>%n", WIDTH, height));
        text(s, MARGIN, MARGIN + 11, title + " (" + root.samples + " " + unit + ")", "font-weight=\"bold\"");
        if (root.samples > 0) {
            double scale = (WIDTH - 2.0 * MARGIN) / root.samples;
            draw(s, root, MARGIN, height - MARGIN - ROW, scale, root.samples, unit);
        }
        return s.append("</svg>\n").toString();
    }

    private static void draw(StringBuilder s, Node n, double x, double y, double scale, long total, String unit) {
        double w = n.samples * scale;
        if (w < 0.3) {
            return;
        }
        String pct = String.format(Locale.ROOT, "%.1f%%", 100.0 * n.samples / total);
        s.append(String.format(
                Locale.ROOT,
                "<g><title>%s (%d %s, %s)</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\""
                        + " fill=\"%s\" stroke=\"#fff\" stroke-width=\"0.5\"/>",
                escape(n.name),
                n.samples,
                unit,
                pct,
                x,
                y,
                w,
                ROW - 1,
                colour(n.name)));
        if (w >= MIN_LABEL_PX) {
            int chars = (int) ((w - 4) / 6.6);
            String label = n.name.length() <= chars ? n.name : n.name.substring(0, Math.max(0, chars - 2)) + "..";
            text(s, x + 2, y + 11, label, "");
        }
        s.append("</g>\n");
        double cx = x;
        for (Node c : sorted(n)) {
            draw(s, c, cx, y - ROW, scale, total, unit);
            cx += c.samples * scale;
        }
    }

    /** Children in name order, as flame graphs draw them (the x axis is not time). */
    private static List<Node> sorted(Node n) {
        List<Node> l = new ArrayList<>(n.children.values());
        l.sort((a, b) -> a.name.compareTo(b.name));
        return l;
    }

    /** Kernel frames orange, native yellow, Netty blue, this project green, other Java red-ish. */
    static String colour(String frame) {
        if (frame.endsWith("_[k]")) {
            return "#f0a050";
        }
        if (frame.startsWith("org/ocfs2") || frame.startsWith("org.ocfs2")) {
            return "#7fc97f";
        }
        if (frame.startsWith("io/netty") || frame.startsWith("io.netty")) {
            return "#80b1d3";
        }
        if (!frame.contains("/") && !frame.contains(".")) {
            return "#e5d55a";
        }
        return "#f28e6f";
    }

    private static void text(StringBuilder s, double x, double y, String t, String attrs) {
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\"%s>", x, y, attrs.isEmpty() ? "" : " " + attrs))
                .append(escape(t))
                .append("</text>");
    }

    static String escape(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
