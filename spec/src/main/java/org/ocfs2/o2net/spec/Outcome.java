// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The verdict of one model-checking run, in the vocabulary of the manifest's {@code "expect"} field:
 * {@code pass}, {@code invariant:NAME}, {@code property:NAME} (a temporal or action property,
 * refinement included) or {@code deadlock}. A run whose verdict cannot be established (a parse
 * error, an evaluation error, a failed {@code Assert}, a timeout, output that contradicts the exit
 * code) is an {@link Kind#ERROR}, which no manifest entry can expect.
 *
 * @param kind the kind of verdict
 * @param name the invariant or property violated, or the reason of an error; null otherwise
 */
public record Outcome(Kind kind, String name) {

    /** The kinds of verdict. */
    public enum Kind {
        PASS,
        INVARIANT,
        PROPERTY,
        DEADLOCK,
        ERROR
    }

    /** No error found. */
    public static final Outcome PASS = new Outcome(Kind.PASS, null);

    /** A reachable state without successor, deadlock checking on. */
    public static final Outcome DEADLOCK = new Outcome(Kind.DEADLOCK, null);

    private static final Pattern EXPECT = Pattern.compile("(invariant|property):([A-Za-z0-9_]+)");

    public Outcome {
        Objects.requireNonNull(kind);
        if ((kind == Kind.PASS || kind == Kind.DEADLOCK) != (name == null)) {
            throw new IllegalArgumentException(kind + " with name " + name);
        }
    }

    /** The invariant named {@code name} is violated. */
    public static Outcome invariant(String name) {
        return new Outcome(Kind.INVARIANT, name);
    }

    /** The temporal or action property named {@code name} is violated. */
    public static Outcome property(String name) {
        return new Outcome(Kind.PROPERTY, name);
    }

    /** The run established nothing, for the given reason. */
    public static Outcome error(String reason) {
        return new Outcome(Kind.ERROR, reason);
    }

    /**
     * Reads an {@code "expect"} value of the manifest.
     *
     * @throws IllegalArgumentException if it is none of the four forms
     */
    public static Outcome parse(String text) {
        if ("pass".equals(text)) {
            return PASS;
        }
        if ("deadlock".equals(text)) {
            return DEADLOCK;
        }
        Matcher m = EXPECT.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("expect must be pass, deadlock, invariant:NAME or property:NAME, not "
                    + (text == null ? "missing" : "\"" + text + "\""));
        }
        return m.group(1).equals("invariant") ? invariant(m.group(2)) : property(m.group(2));
    }

    /** True for an invariant, property or deadlock violation: then TLC printed a counterexample. */
    public boolean isViolation() {
        return kind == Kind.INVARIANT || kind == Kind.PROPERTY || kind == Kind.DEADLOCK;
    }

    /** The manifest form, or {@code error: reason}. */
    @Override
    public String toString() {
        return switch (kind) {
            case PASS -> "pass";
            case DEADLOCK -> "deadlock";
            case INVARIANT -> "invariant:" + name;
            case PROPERTY -> "property:" + name;
            case ERROR -> "error: " + name;
        };
    }
}
