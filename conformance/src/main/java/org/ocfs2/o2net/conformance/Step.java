// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.StringJoiner;

/**
 * One step of a spec behaviour: the action taken, its parameters, and the spec's state after it. The first step of
 * every {@link Trace} is {@code Init} (no parameters) with the initial state.
 * <p>
 * JSON: {@code {"action": "RunHandler", "params": {"s": 2}, "state": {"callNo": {...}, ...}}}. Parameters are named
 * as in the spec: {@code c} (a caller of {@code Send}), {@code n} (a node of {@code Restart}, {@code HbNodeDown},
 * {@code HbNodeUp}), {@code s} (the {@code msg_seq} of the MH whose handler {@code RunHandler} ran), {@code x} (the
 * call whose orphan {@code RunOrphan} finished). Values are in the JSON form of {@link TlaValue}, and so is the
 * state: one field per variable of {@code ReliableO2net}, in name order.
 *
 * @param action the spec's name of the action ({@code Reset}, not the model's {@code MCReset})
 * @param params the action's parameters
 * @param state  every variable after the step
 */
public record Step(String action, ObjectNode params, ObjectNode state) {
    /** The action of the first step of every trace. */
    public static final String INIT = "Init";

    public Step {
        requireNonNull(action, "action");
        requireNonNull(params, "params");
        requireNonNull(state, "state");
    }

    /**
     * The parameter {@code name}.
     *
     * @throws IllegalArgumentException if the step has none of that name
     */
    public JsonNode param(String name) {
        JsonNode v = params.get(name);
        if (v == null) {
            throw new IllegalArgumentException(action + " has no parameter " + name + ": " + params);
        }
        return v;
    }

    /** The action as the spec writes it: {@code Send(c1)}, {@code RunOrphan(<<c1, 1>>)}, {@code Reset}. */
    public String label() {
        return label(action, params);
    }

    /** The label of {@code action} with {@code params}: see {@link #label()}. */
    public static String label(String action, ObjectNode params) {
        if (params.isEmpty()) {
            return action;
        }
        StringJoiner j = new StringJoiner(", ", action + "(", ")");
        params.fields().forEachRemaining(e -> j.add(TlaValue.text(e.getValue())));
        return j.toString();
    }
}
