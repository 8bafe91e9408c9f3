// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The Netty tier's replay can fail: TLC traces replayed on deliberately broken drivers fail at the step where the
 * break first shows, with a difference that names it. Each trace is first replayed up to that step on a correct
 * driver, which must pass.
 */
@DisabledIfSystemProperty(named = "conformance.trace", matches = ".+")
class NettyNegativeTest {
    static {
        NettyReplays.quietLogs();
    }

    /** Steps before which no known divergence and no refusal can show: sends, receives, handlers, connects. */
    private static final Set<String> PLAIN = Set.of(
            "Send",
            "Connect",
            "RecvMsg",
            "RecvDup",
            "RecvRemove",
            "RecvStatus",
            "RecvStaleStatus",
            "RecvRemoved",
            "RunHandler");

    /** The first edge-cover path with a step matching {@code at}, reached by plain steps the implementation takes. */
    private static Trace pathTo(Predicate<Step> at) {
        for (int i = 0; ; i++) {
            Trace t = Trace.read(Generated.get().cover, i);
            int k = first(t, at);
            if (k > 0
                    && k <= NettyCover.takeable(t)
                    && t.steps().subList(1, k).stream().allMatch(s -> PLAIN.contains(s.action()))) {
                return t;
            }
        }
    }

    private static int first(Trace t, Predicate<Step> p) {
        for (int i = 1; i < t.steps().size(); i++) {
            if (p.test(t.steps().get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Replays the steps of {@code t} before {@code k} on a correct driver: the break must be the only cause. */
    private static void prefixConforms(Trace t, int k) {
        try (NettyDriver d = new NettyDriver(1)) {
            Replayer.replay(new Trace(t.name(), t.steps().subList(0, k)), d);
        }
    }

    @Test
    void handlersReturningAnotherCallsStatusFailAtTheFirstRunHandler() {
        Predicate<Step> run = s -> s.action().equals("RunHandler");
        Trace t = pathTo(run);
        int k = first(t, run);
        prefixConforms(t, k);
        // c1's handler returns c2's status and c2's returns c1's.
        ConformanceFailure f;
        try (NettyDriver swapped = new NettyDriver(
                1,
                payload -> Abstraction.status(Abstraction.payload(Abstraction.callOf(payload)
                        .replace("c1", "c_")
                        .replace("c2", "c1")
                        .replace("c_", "c2"))),
                false)) {
            f = assertThrows(ConformanceFailure.class, () -> Replayer.replay(t, swapped));
        }
        assertEquals(k, f.step(), f.getMessage());
        assertTrue(f.label().startsWith("RunHandler("), f.label());
        assertTrue(f.difference().stream().anyMatch(d -> d.startsWith("mh[")), f.getMessage());
        assertTrue(f.difference().stream().anyMatch(d -> d.startsWith("toS:")), f.getMessage());
        assertTrue(f.getMessage().contains("trace " + t.name() + ", step " + k), f.getMessage());
    }

    @Test
    void aResetThatDeliversTheHeldFramesFailsAtThatReset() {
        // A Reset while frames are in flight: the spec loses them; a driver that lets them through first does not.
        Predicate<Step> reset = s -> s.action().equals("Reset");
        Trace t = null;
        int k = -1;
        for (int i = 0; k < 0; i++) {
            t = Trace.read(Generated.get().cover, i);
            List<Step> s = t.steps();
            for (int j = 1; j < s.size() && j <= NettyCover.takeable(t); j++) {
                if (reset.test(s.get(j)) && (s.get(j - 1).state().get("toR").size() > 0)) {
                    k = j;
                    break;
                }
                if (!PLAIN.contains(s.get(j).action())) {
                    break;
                }
            }
        }
        Trace path = t;
        int at = k;
        prefixConforms(path, at);
        ConformanceFailure f;
        try (NettyDriver leaky = new NettyDriver(1, Abstraction::status, true)) {
            f = assertThrows(ConformanceFailure.class, () -> Replayer.replay(path, leaky));
        }
        assertEquals(at, f.step(), f.getMessage());
        assertEquals("Reset", f.label());
        assertFalse(f.difference().isEmpty(), "a difference of the states, not a step refused: " + f.getMessage());
        assertTrue(f.difference().stream().anyMatch(d -> d.startsWith("mh[") || d.startsWith("held[")), f.getMessage());
    }
}
