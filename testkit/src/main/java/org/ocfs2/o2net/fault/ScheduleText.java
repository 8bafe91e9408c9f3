// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.fault;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reader of the text form of a {@link FaultSchedule}; see the package documentation for the grammar.
 */
final class ScheduleText {
    private static final String HEADER = "header 'seed=S nodes=N'";
    private static final Pattern BLANKS = Pattern.compile("\\s+");
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    private static final Pattern ARROW = Pattern.compile("(\\d+)->(\\d+)");
    private static final Pattern DASH = Pattern.compile("(\\d+)-(\\d+)");
    private static final Pattern TIMES = Pattern.compile("x(\\d+)");
    private static final Pattern MILLIS = Pattern.compile("(\\d+)ms");

    private ScheduleText() {}

    /** One non-empty {@code ';'}-separated piece of a line. */
    private record Entry(int line, int index, boolean several, String text) {
        ScheduleFormatException error(String detail) {
            return new ScheduleFormatException(line, index, several, detail);
        }
    }

    static FaultSchedule parse(String text) {
        requireNonNull(text, "text");
        List<Entry> entries = entries(text);
        if (entries.isEmpty()) {
            int lines = text.split("\n", -1).length;
            throw new ScheduleFormatException(lines, 1, false, "expected " + HEADER + ", found no text");
        }
        Entry head = entries.get(0);
        long seed = 0;
        int nodes = 0;
        boolean seenSeed = false;
        boolean seenNodes = false;
        for (String token : BLANKS.split(head.text())) {
            if (token.startsWith("seed=") && !seenSeed) {
                seed = longValue(head, token.substring(5), "seed");
                seenSeed = true;
            } else if (token.startsWith("nodes=") && !seenNodes) {
                nodes = intValue(head, token.substring(6), "nodes");
                seenNodes = true;
            } else {
                throw head.error("expected " + HEADER + ", found '" + token + "'");
            }
        }
        if (!seenSeed || !seenNodes) {
            throw head.error("expected " + HEADER + ", missing " + (seenSeed ? "nodes=N" : "seed=S"));
        }
        if (nodes < FaultSchedule.MIN_NODES || nodes > FaultSchedule.MAX_NODES) {
            throw head.error("expected nodes=" + FaultSchedule.MIN_NODES + ".." + FaultSchedule.MAX_NODES
                    + ", found nodes=" + nodes);
        }
        List<Fault> faults = new ArrayList<>();
        int previous = 0;
        for (Entry e : entries.subList(1, entries.size())) {
            Fault f = event(e);
            String problem = FaultSchedule.problem(f, previous, nodes);
            if (problem != null) {
                throw e.error(problem);
            }
            faults.add(f);
            previous = f.step();
        }
        return new FaultSchedule(seed, nodes, faults);
    }

    private static List<Entry> entries(String text) {
        List<Entry> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            String[] pieces = line.split(";", -1);
            for (int j = 0; j < pieces.length; j++) {
                String piece = pieces[j].strip();
                if (!piece.isEmpty()) {
                    out.add(new Entry(i + 1, j + 1, pieces.length > 1, piece));
                }
            }
        }
        return out;
    }

    private static Fault event(Entry e) {
        String[] tokens = BLANKS.split(e.text());
        int step = intValue(e, tokens[0], "a step number");
        if (tokens.length < 2) {
            throw e.error("expected an event keyword (" + FaultKind.keywords() + ") after the step, found nothing");
        }
        Optional<FaultKind> found = FaultKind.byKeyword(tokens[1]);
        if (found.isEmpty()) {
            throw e.error("expected an event keyword (" + FaultKind.keywords() + "), found '" + tokens[1] + "'");
        }
        FaultKind kind = found.get();
        if (tokens.length - 2 != kind.arity()) {
            throw e.error("expected 'STEP " + kind.keyword() + " " + kind.usage() + "', found '" + e.text() + "'");
        }
        try {
            switch (kind) {
                case CALL: {
                    int[] pair = pair(e, ARROW, tokens[2], "A->B");
                    return new Fault.Call(step, pair[0], pair[1], number(e, TIMES, tokens[3], "xN"));
                }
                case RESET: {
                    int[] pair = pair(e, DASH, tokens[2], "A-B");
                    return new Fault.Reset(step, pair[0], pair[1]);
                }
                case RESTART:
                    return new Fault.Restart(step, intValue(e, tokens[2], "a node number"));
                case NODE_DOWN:
                    return new Fault.NodeDown(step, intValue(e, tokens[2], "a node number"));
                case PAUSE:
                    return new Fault.Pause(step, number(e, MILLIS, tokens[2], "Nms"));
                case HOLD_FRAMES: {
                    int[] pair = pair(e, ARROW, tokens[2], "A->B");
                    return new Fault.HoldFrames(step, pair[0], pair[1], number(e, TIMES, tokens[3], "xN"));
                }
                default:
                    throw new AssertionError(kind);
            }
        } catch (ScheduleFormatException x) {
            throw x;
        } catch (IllegalArgumentException x) {
            throw e.error(kind.keyword() + ": " + x.getMessage());
        }
    }

    private static int[] pair(Entry e, Pattern p, String token, String shape) {
        Matcher m = p.matcher(token);
        if (!m.matches()) {
            throw e.error("expected '" + shape + "' (two node numbers), found '" + token + "'");
        }
        return new int[] {intValue(e, m.group(1), "a node number"), intValue(e, m.group(2), "a node number")};
    }

    private static int number(Entry e, Pattern p, String token, String shape) {
        Matcher m = p.matcher(token);
        if (!m.matches()) {
            throw e.error("expected '" + shape + "', found '" + token + "'");
        }
        return intValue(e, m.group(1), "'" + shape + "'");
    }

    private static int intValue(Entry e, String token, String what) {
        if (!NUMBER.matcher(token).matches()) {
            throw e.error("expected " + what + " (digits), found '" + token + "'");
        }
        if (token.length() > 10 || Long.parseLong(token) > Integer.MAX_VALUE) {
            throw e.error("expected " + what + " up to " + Integer.MAX_VALUE + ", found " + token);
        }
        return Integer.parseInt(token);
    }

    private static long longValue(Entry e, String token, String what) {
        try {
            return Long.parseLong(token);
        } catch (NumberFormatException x) {
            throw e.error("expected " + what + " to be a 64-bit integer, found '" + token + "'");
        }
    }
}
