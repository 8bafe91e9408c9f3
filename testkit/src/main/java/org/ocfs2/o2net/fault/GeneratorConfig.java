// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.fault;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * What {@link ScheduleGenerator} produces: the cluster size, how many steps, the largest values of the event fields,
 * and how often each kind of event is chosen. Immutable; change it with the {@code with...} methods.
 *
 * @param nodes          the cluster size, {@value FaultSchedule#MIN_NODES}..{@value FaultSchedule#MAX_NODES}
 * @param steps          the number of steps, 0 or more; each step gets one event (two for {@link FaultKind#NODE_DOWN})
 * @param maxCalls       the largest {@link Fault.Call#count()}, 1 or more
 * @param maxPauseMillis the longest {@link Fault.Pause#millis()}, 1 or more
 * @param maxHoldFrames  the largest {@link Fault.HoldFrames#frames()}, 1 or more
 * @param weights        the relative weight of each kind, 0 or more; a kind with weight 0 or no entry is disabled,
 *                       at least one kind must be enabled; the chance of a kind at a step is its weight divided by
 *                       the sum of the weights
 */
public record GeneratorConfig(
        int nodes, int steps, int maxCalls, int maxPauseMillis, int maxHoldFrames, Map<FaultKind, Integer> weights) {
    /** The weights of {@link #defaults()}: calls 6, reset 2, restart 1, down 1, pause 2, hold 2. */
    public static final Map<FaultKind, Integer> DEFAULT_WEIGHTS = Collections.unmodifiableMap(new EnumMap<>(Map.of(
            FaultKind.CALL,
            6,
            FaultKind.RESET,
            2,
            FaultKind.RESTART,
            1,
            FaultKind.NODE_DOWN,
            1,
            FaultKind.PAUSE,
            2,
            FaultKind.HOLD_FRAMES,
            2)));

    /**
     * Returns a config.
     *
     * @throws IllegalArgumentException if a value is out of range; the message names it
     */
    public GeneratorConfig {
        if (nodes < FaultSchedule.MIN_NODES || nodes > FaultSchedule.MAX_NODES) {
            throw new IllegalArgumentException(
                    "nodes must be " + FaultSchedule.MIN_NODES + ".." + FaultSchedule.MAX_NODES + ", was " + nodes);
        }
        atLeast("steps", steps, 0);
        atLeast("maxCalls", maxCalls, 1);
        atLeast("maxPauseMillis", maxPauseMillis, 1);
        atLeast("maxHoldFrames", maxHoldFrames, 1);
        EnumMap<FaultKind, Integer> copy = new EnumMap<>(FaultKind.class);
        long total = 0;
        for (Map.Entry<FaultKind, Integer> e :
                requireNonNull(weights, "weights").entrySet()) {
            FaultKind kind = requireNonNull(e.getKey(), "weights key");
            int w = requireNonNull(e.getValue(), "weights value");
            atLeast("weight of " + kind.keyword(), w, 0);
            total += w;
            if (w > 0) {
                copy.put(kind, w);
            }
        }
        if (total == 0) {
            throw new IllegalArgumentException("at least one kind needs a weight above 0, weights were " + weights);
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the weights must add up to at most " + Integer.MAX_VALUE);
        }
        weights = Collections.unmodifiableMap(copy);
    }

    /** Returns 3 nodes, 12 steps, up to 4 calls, 200 ms and 3 frames, the {@link #DEFAULT_WEIGHTS}. */
    public static GeneratorConfig defaults() {
        return new GeneratorConfig(3, 12, 4, 200, 3, DEFAULT_WEIGHTS);
    }

    public GeneratorConfig withNodes(int nodes) {
        return new GeneratorConfig(nodes, steps, maxCalls, maxPauseMillis, maxHoldFrames, weights);
    }

    public GeneratorConfig withSteps(int steps) {
        return new GeneratorConfig(nodes, steps, maxCalls, maxPauseMillis, maxHoldFrames, weights);
    }

    public GeneratorConfig withMaxCalls(int maxCalls) {
        return new GeneratorConfig(nodes, steps, maxCalls, maxPauseMillis, maxHoldFrames, weights);
    }

    public GeneratorConfig withMaxPauseMillis(int maxPauseMillis) {
        return new GeneratorConfig(nodes, steps, maxCalls, maxPauseMillis, maxHoldFrames, weights);
    }

    public GeneratorConfig withMaxHoldFrames(int maxHoldFrames) {
        return new GeneratorConfig(nodes, steps, maxCalls, maxPauseMillis, maxHoldFrames, weights);
    }

    /** Returns this config with one kind's weight changed; 0 disables the kind. */
    public GeneratorConfig withWeight(FaultKind kind, int weight) {
        EnumMap<FaultKind, Integer> copy = new EnumMap<>(FaultKind.class);
        copy.putAll(weights);
        copy.put(requireNonNull(kind, "kind"), weight);
        return new GeneratorConfig(nodes, steps, maxCalls, maxPauseMillis, maxHoldFrames, copy);
    }

    /** Returns this config with every kind not listed disabled; the listed kinds keep their weight, or get 1. */
    public GeneratorConfig only(FaultKind... kinds) {
        EnumMap<FaultKind, Integer> copy = new EnumMap<>(FaultKind.class);
        for (FaultKind kind : kinds) {
            copy.put(kind, Math.max(1, weight(kind)));
        }
        return new GeneratorConfig(nodes, steps, maxCalls, maxPauseMillis, maxHoldFrames, copy);
    }

    /** Returns this config with the listed kinds disabled. */
    public GeneratorConfig without(FaultKind... kinds) {
        EnumMap<FaultKind, Integer> copy = new EnumMap<>(FaultKind.class);
        copy.putAll(weights);
        for (FaultKind kind : kinds) {
            copy.remove(kind);
        }
        return new GeneratorConfig(nodes, steps, maxCalls, maxPauseMillis, maxHoldFrames, copy);
    }

    /** Returns the weight of a kind, 0 if it is disabled. */
    public int weight(FaultKind kind) {
        return weights.getOrDefault(kind, 0);
    }

    /** Returns the kinds with a weight above 0. */
    public Set<FaultKind> enabled() {
        return weights.isEmpty() ? EnumSet.noneOf(FaultKind.class) : EnumSet.copyOf(weights.keySet());
    }

    /** Returns e.g. {@code nodes=3 steps=12 maxCalls=4 maxPauseMillis=200 maxHoldFrames=3 weights={call=6, ...}}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<FaultKind, Integer> e : weights.entrySet()) {
            b.append(b.length() == 0 ? "" : ", ")
                    .append(e.getKey().keyword())
                    .append('=')
                    .append(e.getValue());
        }
        return "nodes=" + nodes + " steps=" + steps + " maxCalls=" + maxCalls + " maxPauseMillis=" + maxPauseMillis
                + " maxHoldFrames=" + maxHoldFrames + " weights={" + b + "}";
    }

    private static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be " + min + " or more, was " + value);
        }
    }
}
