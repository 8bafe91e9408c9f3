// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench.load;

import java.time.Duration;

/**
 * How long a phase of a {@link LoadRun} (warm-up or measurement) lasts. The benchmark measures over a fixed time,
 * since calls per second need a known window. A test needs a number of calls instead, however slowly a loaded machine
 * makes them: a counted span ends once its callers together have completed {@code calls} calls, and its {@code limit}
 * only turns a hang into a failure (the run then ends with fewer calls, which the test sees).
 *
 * @param time  a timed span: its length; null for a counted span
 * @param calls a counted span: the calls it waits for; 0 for a timed span
 * @param limit a counted span: the longest it waits; null for a timed span
 */
public record Span(Duration time, int calls, Duration limit) {
    public Span {
        if (time == null ? calls <= 0 || limit == null : calls != 0 || limit != null) {
            throw new IllegalArgumentException("a span is a time, or a number of calls with a limit");
        }
    }

    /** A span of {@code time}. */
    public static Span of(Duration time) {
        return new Span(time, 0, null);
    }

    /** A span that ends after {@code calls} calls, or after {@code limit} if they take longer. */
    public static Span calls(int calls, Duration limit) {
        return new Span(null, calls, limit);
    }

    /** Whether the span is counted in calls. */
    public boolean counted() {
        return time == null;
    }

    @Override
    public String toString() {
        return counted() ? calls + " calls (at most " + limit + ")" : time.toString();
    }
}
