// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A behaviour printed by TLC: the states of an invariant, deadlock or property violation, and for a
 * liveness violation how it goes on for ever (a loop back to an earlier state, or stuttering).
 *
 * @param states the states, numbered from 1
 * @param loop   for a lasso: the state the last one loops back to, and by which action; else null
 * @param stutters true if the behaviour ends by stuttering for ever in its last state
 */
public record Counterexample(List<State> states, Loop loop, boolean stutters) {

    /** Values longer than this are printed old and new on lines of their own. */
    private static final int SHORT = 60;

    private static final Pattern LOCATION =
            Pattern.compile("(.*?) line \\d+, col \\d+ to line \\d+, col \\d+ of module \\S+");
    private static final Pattern CONJUNCT = Pattern.compile("/\\\\ (\\S+) = (.*)");
    private static final Pattern ASSIGNMENT = Pattern.compile("(\\S+) = (.*)");

    /**
     * One state of the behaviour.
     *
     * @param number its position, from 1
     * @param action the action that led to it ({@code Initial predicate} for the first), as TLC names it,
     *               with parameters when TLC shows them
     * @param values the value of every variable as TLA+ text, in TLC's order
     */
    public record State(int number, String action, Map<String, String> values) {
        public State {
            values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        }
    }

    /**
     * Where a lasso-shaped behaviour loops.
     *
     * @param state  the number of the state that follows the last one again
     * @param action the action taking the last state to it
     */
    public record Loop(int state, String action) {}

    public Counterexample {
        states = List.copyOf(states);
    }

    /** The number of states, not counting the loop back or the final stuttering. */
    public int length() {
        return states.size();
    }

    /**
     * Reads the action name out of a TLC state label such as
     * {@code <Send(c1) line 10, col 1 to line 12, col 20 of module X>} or {@code <Initial predicate>}.
     */
    public static String actionName(String label) {
        String s = label.strip();
        if (s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1);
        }
        Matcher m = LOCATION.matcher(s);
        return m.matches() && !m.group(1).isEmpty() ? m.group(1) : s;
    }

    /**
     * Reads the variables of a state printed by TLC: {@code /\ var = value} lines, a value going on
     * over the following indented lines; a spec with a single variable prints {@code var = value}.
     */
    public static Map<String, String> parseValues(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> lines = text.strip().lines().toList();
        boolean conjunction = lines.stream().anyMatch(l -> l.startsWith("/\\ "));
        String name = null;
        StringBuilder value = new StringBuilder();
        for (String line : lines) {
            Matcher m = (conjunction ? CONJUNCT : ASSIGNMENT).matcher(line);
            boolean starts = conjunction ? line.startsWith("/\\ ") && m.matches() : name == null && m.matches();
            if (starts) {
                if (name != null) {
                    values.put(name, value.toString().strip());
                }
                name = m.group(1);
                value.setLength(0);
                value.append(m.group(2));
            } else if (name != null) {
                value.append('\n').append(line);
            }
        }
        if (name != null) {
            values.put(name, value.toString().strip());
        }
        return values;
    }

    /**
     * The behaviour for a reader: per step its number, action and only the variables that changed,
     * as {@code var: old -> new}; the first state in full.
     */
    public String format() {
        StringBuilder out = new StringBuilder();
        State previous = null;
        for (State state : states) {
            out.append("  ")
                    .append(state.number())
                    .append(": ")
                    .append(state.action())
                    .append('\n');
            if (previous == null) {
                state.values().forEach((var, value) -> {
                    String head = "      " + var + " = ";
                    out.append(head).append(indent(value, head.length())).append('\n');
                });
            } else {
                int changed = 0;
                for (Map.Entry<String, String> e : state.values().entrySet()) {
                    String old = previous.values().get(e.getKey());
                    if (!Objects.equals(old, e.getValue())) {
                        changed++;
                        appendChange(out, e.getKey(), old, e.getValue());
                    }
                }
                if (changed == 0) {
                    out.append("      (no variable changed)\n");
                }
            }
            previous = state;
        }
        if (loop != null) {
            out.append("  -> back to state ")
                    .append(loop.state())
                    .append(" by ")
                    .append(loop.action())
                    .append(": states ")
                    .append(loop.state())
                    .append("..")
                    .append(states.size())
                    .append(" repeat for ever\n");
        }
        if (stutters) {
            out.append("  ")
                    .append(states.size() + 1)
                    .append(": stuttering: state ")
                    .append(states.size())
                    .append(" repeats for ever\n");
        }
        return out.toString();
    }

    /** {@code var: old -> new}, or old and new on lines of their own when they are long. */
    private static void appendChange(StringBuilder out, String var, String old, String now) {
        String before = old == null ? "(absent)" : old;
        if (before.contains("\n") || now.contains("\n") || before.length() + now.length() > SHORT) {
            out.append("      ")
                    .append(var)
                    .append(":\n")
                    .append("          ")
                    .append(indent(before, 10))
                    .append('\n')
                    .append("       -> ")
                    .append(indent(now, 10))
                    .append('\n');
        } else {
            out.append("      ")
                    .append(var)
                    .append(": ")
                    .append(before)
                    .append(" -> ")
                    .append(now)
                    .append('\n');
        }
    }

    /** The value with its continuation lines moved right by {@code column}, as TLC indents them from 0. */
    private static String indent(String value, int column) {
        return value.replace("\n", "\n" + " ".repeat(column));
    }
}
