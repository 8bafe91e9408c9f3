// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.fault;

import static java.util.Objects.requireNonNull;

/**
 * What one run of a schedule showed: it passed, or it failed and why.
 *
 * @param failed      whether the run failed
 * @param description {@code "pass"}, or what went wrong (not blank)
 */
public record Outcome(boolean failed, String description) {
    private static final Outcome PASS = new Outcome(false, "pass");

    public Outcome {
        requireNonNull(description, "description");
        if (failed && description.isBlank()) {
            throw new IllegalArgumentException("a failure needs a description");
        }
    }

    /** Returns the passing outcome. */
    public static Outcome pass() {
        return PASS;
    }

    /** Returns a failing outcome. */
    public static Outcome fail(String description) {
        return new Outcome(true, description);
    }

    public boolean passed() {
        return !failed;
    }

    @Override
    public String toString() {
        return failed ? "fail: " + description : "pass";
    }
}
