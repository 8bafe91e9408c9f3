// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.ocfs2.o2net.spec.Counterexample;
import org.ocfs2.o2net.spec.chart.SequenceChart;

/**
 * The message sequence chart of a conformance failure: the spec's behaviour from {@code Init} up to the step the
 * implementation could not follow, drawn as the spec module draws a TLC counterexample ({@link SequenceChart}, rendered
 * by {@code TextChart} and {@code SvgChart}), ending with a {@code DIVERGED} band that says what went wrong there.
 * <p>
 * The chart is built from the spec's states, which a {@link Trace} holds in the JSON form of {@link TlaValue}; they
 * are written back as TLA+ text, the form the chart reads. That form loses one distinction, which the chart does not
 * need: a string and a model value of the same name are both written as a bare name.
 */
public final class DivergenceChart {
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private DivergenceChart() {}

    /**
     * The chart of {@code f}, its band naming the problem and the first difference of the states; null if its states
     * cannot be drawn (a spec without {@code toR} and {@code toS}).
     */
    public static SequenceChart of(ConformanceFailure f) {
        return of(f.trace(), f.steps(), f.step(), what(f.problem(), f.difference()));
    }

    /** The band's text: the problem, and the first difference of the states if there is one. */
    static String what(String problem, List<String> difference) {
        String first = difference.isEmpty() ? "" : difference.get(0);
        if (first.length() > 100) {
            first = first.substring(0, 97) + "...";
        }
        String more = difference.size() > 1 ? " (and " + (difference.size() - 1) + " more)" : "";
        return difference.isEmpty() ? firstLine(problem) : firstLine(problem) + ": " + first + more;
    }

    /**
     * The chart of trace {@code trace}'s steps {@code 0..step}, ending with {@code DIVERGED: problem}; null if the
     * states cannot be drawn.
     *
     * @param step index of the step the implementation did not follow ({@code Init} is 0)
     */
    public static SequenceChart of(String trace, List<Step> steps, int step, String problem) {
        if (step < 0 || step >= steps.size()) {
            throw new IllegalArgumentException("step " + step + " of a trace of " + steps.size() + " steps");
        }
        SequenceChart chart = SequenceChart.of(
                "conformance: trace " + trace + " diverges at step " + step + ", "
                        + steps.get(step).label(),
                counterexample(steps.subList(0, step + 1)),
                null);
        return chart == null ? null : chart.diverged(firstLine(problem));
    }

    /**
     * The steps as a behaviour of the spec module's kind, its states numbered as the trace's steps ({@code Init} is 0,
     * where a TLC counterexample starts at 1), so that the chart's step numbers are the failure's.
     */
    static Counterexample counterexample(List<Step> steps) {
        List<Counterexample.State> states = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            Map<String, String> values = new LinkedHashMap<>();
            s.state().fields().forEachRemaining(e -> values.put(e.getKey(), tla(e.getValue())));
            states.add(new Counterexample.State(i, i == 0 ? "Initial predicate" : s.label(), values));
        }
        return new Counterexample(states, null, false);
    }

    /**
     * A value in {@link TlaValue}'s JSON form as TLA+ text: an array as a tuple, an object as a record when every key
     * is a name and as a function ({@code (k :> v @@ ...)}) otherwise, a string as a bare name when it is one.
     */
    static String tla(JsonNode v) {
        if (v.isArray()) {
            StringBuilder sb = new StringBuilder("<<");
            for (int i = 0; i < v.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(tla(v.get(i)));
            }
            return sb.append(">>").toString();
        }
        if (v.isObject()) {
            if (v.isEmpty()) {
                return "<<>>";
            }
            boolean record = true;
            for (Iterator<String> k = v.fieldNames(); k.hasNext(); ) {
                record &= IDENT.matcher(k.next()).matches();
            }
            StringBuilder sb = new StringBuilder(record ? "[" : "(");
            Iterator<Map.Entry<String, JsonNode>> it = v.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                sb.append(e.getKey()).append(record ? " |-> " : " :> ").append(tla(e.getValue()));
                if (it.hasNext()) {
                    sb.append(record ? ", " : " @@ ");
                }
            }
            return sb.append(record ? "]" : ")").toString();
        }
        if (v.isBoolean()) {
            return v.booleanValue() ? "TRUE" : "FALSE";
        }
        if (v.isTextual() && !IDENT.matcher(v.textValue()).matches()) {
            return '"' + v.textValue().replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        return v.asText();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
