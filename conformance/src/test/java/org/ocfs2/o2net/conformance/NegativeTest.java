// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The replay can fail: TLC traces replayed on deliberately broken drivers, or with a step relabelled, fail at the
 * step where the break first shows, with a difference that names it.
 */
@DisabledIfSystemProperty(named = "conformance.trace", matches = ".+")
class NegativeTest {

    /** The first edge-cover trace with a step matching {@code p}. */
    static Trace traceWith(Predicate<Step> p) {
        for (int i = 0; ; i++) {
            Trace t = Trace.read(Generated.get().cover, i);
            if (t.steps().stream().anyMatch(p)) {
                return t;
            }
        }
    }

    private static int first(Trace t, Predicate<Step> p) {
        for (int i = 0; i < t.steps().size(); i++) {
            if (p.test(t.steps().get(i))) {
                return i;
            }
        }
        throw new AssertionError("no such step in " + t.name());
    }

    @Test
    void handlersReturningAnotherCallsStatusFailAtTheFirstRunHandler() {
        Predicate<Step> run = s -> s.action().equals("RunHandler");
        Trace t = traceWith(run);
        // c1's handler returns c2's status and c2's returns c1's.
        CoreDriver swapped =
                new CoreDriver(payload -> Abstraction.status(Abstraction.payload(Abstraction.callOf(payload)
                        .replace("c1", "c_")
                        .replace("c2", "c1")
                        .replace("c_", "c2"))));
        ConformanceFailure f = assertThrows(ConformanceFailure.class, () -> Replayer.replay(t, swapped));
        assertEquals(first(t, run), f.step(), f.getMessage());
        assertTrue(f.label().startsWith("RunHandler("), f.label());
        assertTrue(f.difference().stream().anyMatch(d -> d.startsWith("mh[")), f.getMessage());
        assertEquals(t.name(), f.trace());
        assertTrue(f.getMessage().contains("trace " + t.name() + ", step " + f.step()), f.getMessage());
    }

    /** A core driver that skips the first step matching {@code skipped}: the frame it would have received is lost. */
    static ProtocolDriver losingFirst(Predicate<Step> skipped) {
        return new ProtocolDriver() {
            private final CoreDriver core = new CoreDriver();
            private boolean lost;

            @Override
            public void step(Step step) {
                if (!lost && skipped.test(step)) {
                    lost = true;
                    return;
                }
                core.step(step);
            }

            @Override
            public AbstractState state() {
                return core.state();
            }
        };
    }

    @Test
    void aLostFrameFailsWhereItShouldHaveBeenReceived() {
        Predicate<Step> recv = s -> s.action().equals("RecvMsg");
        Trace t = traceWith(recv);
        ConformanceFailure f = assertThrows(ConformanceFailure.class, () -> Replayer.replay(t, losingFirst(recv)));
        assertEquals(first(t, recv), f.step(), f.getMessage());
        assertTrue(f.difference().stream().anyMatch(d -> d.startsWith("toR:")), f.getMessage());
        assertTrue(f.difference().stream().anyMatch(d -> d.startsWith("mh[")), f.getMessage());
    }

    @Test
    void aStepTheImplementationTakesAsAnotherActionFails() {
        Predicate<Step> recv = s -> s.action().equals("RecvMsg");
        Trace t = traceWith(recv);
        int i = first(t, recv);
        List<Step> steps = new ArrayList<>(t.steps());
        Step s = steps.get(i);
        steps.set(i, new Step("RecvDup", s.params(), s.state()));
        ConformanceFailure f = assertThrows(
                ConformanceFailure.class, () -> Replayer.replay(new Trace(t.name(), steps), new CoreDriver()));
        assertEquals(i, f.step(), f.getMessage());
        assertTrue(f.getMessage().contains("took [RecvMsg] where the spec takes [RecvDup]"), f.getMessage());
    }

    @Test
    void aStateTheImplementationDoesNotReachFails() {
        Trace t = traceWith(s -> true);
        List<Step> steps = new ArrayList<>(t.steps());
        int last = steps.size() - 1;
        Step s = steps.get(last);
        var state = s.state().deepCopy();
        state.put("conn", state.get("conn").asText().equals("up") ? "down" : "up");
        steps.set(last, new Step(s.action(), s.params(), state));
        ConformanceFailure f = assertThrows(
                ConformanceFailure.class, () -> Replayer.replay(new Trace(t.name(), steps), new CoreDriver()));
        assertEquals(last, f.step(), f.getMessage());
        assertEquals(1, f.difference().size(), f.getMessage());
        assertTrue(f.difference().get(0).startsWith("conn: spec "), f.getMessage());
    }
}
