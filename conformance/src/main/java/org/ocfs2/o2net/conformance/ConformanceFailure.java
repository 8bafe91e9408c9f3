// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import java.util.List;
import org.ocfs2.o2net.spec.chart.SequenceChart;
import org.ocfs2.o2net.spec.chart.TextChart;

/**
 * A trace the implementation does not follow: at step {@link #step()} of trace {@link #trace()}, it could not take
 * the step, or its state after the step differs from the spec's. The message gives the trace, the step and its
 * action, what went wrong, the difference, the spec's state and the implementation's, and the behaviour up to that
 * step as a message sequence chart ({@link DivergenceChart}).
 */
public final class ConformanceFailure extends AssertionError {
    private static final long serialVersionUID = 1L;

    private final String trace;
    private final int step;
    private final String label;
    private final List<String> difference;
    private final List<Step> steps;
    private final String problem;

    /**
     * @param trace      the trace's name
     * @param steps      the trace's steps
     * @param step       index of the failing step ({@code Init} is 0)
     * @param problem    what went wrong
     * @param difference the difference of the states, empty if not compared
     * @param impl       the implementation's state, or null if it could not be had
     */
    ConformanceFailure(
            String trace, List<Step> steps, int step, String problem, List<String> difference, AbstractState impl) {
        super(message(trace, steps, step, problem, difference, impl));
        this.trace = trace;
        this.step = step;
        this.label = steps.get(step).label();
        this.difference = List.copyOf(difference);
        this.steps = List.copyOf(steps);
        this.problem = problem;
    }

    private static String message(
            String trace, List<Step> steps, int step, String problem, List<String> difference, AbstractState impl) {
        StringBuilder sb = new StringBuilder("trace ")
                .append(trace)
                .append(", step ")
                .append(step)
                .append(" of ")
                .append(steps.size() - 1)
                .append(": ")
                .append(steps.get(step).label())
                .append('\n')
                .append(problem)
                .append('\n');
        if (!difference.isEmpty()) {
            sb.append("difference:\n");
            difference.forEach(d -> sb.append("  ").append(d).append('\n'));
        }
        sb.append("steps:");
        for (int i = 0; i <= step; i++) {
            sb.append(i == 0 ? " " : ", ").append(steps.get(i).label());
        }
        sb.append("\nspec state:\n")
                .append(indent(AbstractState.of(steps.get(step).state()).toString()))
                .append("spec state (all variables): ")
                .append(steps.get(step).state())
                .append('\n')
                .append("implementation state:\n")
                .append(impl == null ? "  (not available)\n" : indent(impl.toString()));
        sb.append("chart:\n").append(indent(chart(trace, steps, step, DivergenceChart.what(problem, difference))));
        return sb.toString();
    }

    /** The text chart of the failure; a failure's report must not fail, so a chart that cannot be drawn says why. */
    private static String chart(String trace, List<Step> steps, int step, String problem) {
        try {
            SequenceChart c = DivergenceChart.of(trace, steps, step, problem);
            return c == null ? "(the spec's states have no frame queues to draw)\n" : TextChart.render(c);
        } catch (RuntimeException e) {
            return "(no chart: " + e + ")\n";
        }
    }

    private static String indent(String lines) {
        return lines.replaceAll("(?m)^", "  ");
    }

    /** The trace's name, {@code <file>#<index>}. */
    public String trace() {
        return trace;
    }

    /** Index of the failing step in the trace ({@code Init} is 0). */
    public int step() {
        return step;
    }

    /** The trace's steps, {@code Init} first; the failing one is {@link #step()}. */
    public List<Step> steps() {
        return steps;
    }

    /** What went wrong at the failing step, in a line or more. */
    public String problem() {
        return problem;
    }

    /** The failing step's action and parameters. */
    public String label() {
        return label;
    }

    /** The differences of the states, one per line; empty if the step could not be taken. */
    public List<String> difference() {
        return difference;
    }
}
