// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A model's run compared with its manifest entry. The model passes iff the verdict is the expected
 * one and the distinct states, states generated and depth (counterexample length for a violation)
 * are exactly those of the manifest. A run of distributed TLC is compared by its verdict and distinct
 * states only: its states generated and depth depend on how the server handed out work (see
 * {@link TlcOutputParser#parseDistributed}).
 *
 * @param model       the manifest entry
 * @param cfg         its parsed cfg file, or null if that could not be read
 * @param result      what TLC established
 * @param differences one line per difference, {@code field: expected X, got Y}; empty if the model passes
 */
public record Check(ModelSpec model, CfgFile cfg, TlcResult result, List<String> differences) {

    public Check {
        differences = List.copyOf(differences);
    }

    /** Compares a result with the manifest entry. */
    public static Check of(ModelSpec model, CfgFile cfg, TlcResult result) {
        List<String> diffs = new ArrayList<>();
        if (!model.expect().equals(result.outcome())) {
            diffs.add("outcome: expected " + model.expect() + ", got " + result.outcome());
        }
        compare(diffs, "distinctStates", model.distinctStates(), result.distinctStates());
        if (result.distributed()) {
            return new Check(model, cfg, result, diffs);
        }
        compare(diffs, "statesGenerated", model.statesGenerated(), result.statesGenerated());
        compare(
                diffs,
                result.outcome().isViolation() ? "depth (counterexample length)" : "depth",
                model.depth(),
                result.depth());
        return new Check(model, cfg, result, diffs);
    }

    /** True if the run matches the manifest entry. */
    public boolean ok() {
        return differences.isEmpty();
    }

    private static void compare(List<String> diffs, String field, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            diffs.add(field + ": expected " + orNone(expected) + ", got " + orNone(actual));
        }
    }

    private static String orNone(Object value) {
        return value == null ? "none" : value.toString();
    }
}
