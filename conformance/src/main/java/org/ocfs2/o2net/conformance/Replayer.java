// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import java.util.List;
import java.util.function.Consumer;

/**
 * Replays a trace on a driver: each step is taken, then the implementation's state is compared with the spec's
 * state after the step ({@code Init} included, so the initial states are compared too).
 */
public final class Replayer {
    private Replayer() {}

    /**
     * Replays {@code trace} on {@code driver}, a fresh one.
     *
     * @throws ConformanceFailure at the first step the implementation cannot take or after which the states differ
     */
    public static void replay(Trace trace, ProtocolDriver driver) {
        replay(trace, driver, line -> {});
    }

    /** As {@link #replay(Trace, ProtocolDriver)}, telling {@code log} each step as it is taken. */
    public static void replay(Trace trace, ProtocolDriver driver, Consumer<String> log) {
        List<Step> steps = trace.steps();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            log.accept(String.format("%4d %s", i, step.label()));
            try {
                driver.step(step);
            } catch (RuntimeException e) {
                ConformanceFailure f = new ConformanceFailure(
                        trace.name(),
                        steps,
                        i,
                        e instanceof Divergence
                                ? "the implementation cannot take the step: " + e.getMessage()
                                : "the implementation threw " + e,
                        List.of(),
                        stateOrNull(driver));
                f.initCause(e);
                throw f;
            }
            AbstractState impl = driver.state();
            List<String> diff = AbstractState.of(step.state()).diff(impl);
            if (!diff.isEmpty()) {
                throw new ConformanceFailure(trace.name(), steps, i, "the states differ after the step", diff, impl);
            }
        }
    }

    private static AbstractState stateOrNull(ProtocolDriver driver) {
        try {
            return driver.state();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
