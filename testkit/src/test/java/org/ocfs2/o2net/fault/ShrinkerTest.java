// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class ShrinkerTest {
    private static final GeneratorConfig CONFIG =
            GeneratorConfig.defaults().withNodes(5).withSteps(30);

    /** Fails iff a reset of 0-2 comes (in list order) after a restart of node 1. */
    private static final Predicate<FaultSchedule> RESET_AFTER_RESTART = s -> {
        boolean restarted = false;
        for (Fault f : s.faults()) {
            restarted |= f.equals(new Fault.Restart(f.step(), 1));
            if (restarted && f.equals(new Fault.Reset(f.step(), 0, 2))) {
                return true;
            }
        }
        return false;
    };

    /** Fails iff the calls add up to 5 or more. */
    private static final Predicate<FaultSchedule> FIVE_CALLS = s -> totalCalls(s) >= 5;

    @Test
    void shrinksToTheRestartAndTheResetWithSmallestFields() {
        List<FaultSchedule> failing = failing(RESET_AFTER_RESTART, 5);
        for (FaultSchedule s : failing) {
            Shrinker.Result r = new Shrinker().shrink(s, RESET_AFTER_RESTART);
            assertEquals(
                    "seed=" + s.seed() + " nodes=3\n0 restart 1\n0 reset 0-2\n",
                    r.minimal().format(),
                    s.format());
            assertFalse(r.exhausted());
            assertTrue(r.runs() > 0 && r.runs() <= Shrinker.DEFAULT_MAX_RUNS);
            assertEquals(s, r.original());
        }
    }

    @Test
    void keepsTheStepGapThePredicateNeeds() {
        Predicate<FaultSchedule> strictlyLater = s -> {
            int restartStep = -1;
            for (Fault f : s.faults()) {
                if (f.equals(new Fault.Restart(f.step(), 1)) && restartStep < 0) {
                    restartStep = f.step();
                }
                if (restartStep >= 0 && f.step() > restartStep && f.equals(new Fault.Reset(f.step(), 0, 2))) {
                    return true;
                }
            }
            return false;
        };
        for (FaultSchedule s : failing(strictlyLater, 5)) {
            FaultSchedule minimal = new Shrinker().shrink(s, strictlyLater).minimal();
            assertEquals("seed=" + s.seed() + " nodes=3\n0 restart 1\n1 reset 0-2\n", minimal.format(), s.format());
        }
    }

    @Test
    void shrinksCallsToOneCallOfFive() {
        for (FaultSchedule s : failing(FIVE_CALLS, 10)) {
            FaultSchedule minimal = new Shrinker().shrink(s, FIVE_CALLS).minimal();
            assertEquals("seed=" + s.seed() + " nodes=2\n0 call 0->1 x5\n", minimal.format(), s.format());
        }
    }

    @Test
    void shrinksPausesFramesAndNodesToTheThreshold() {
        Predicate<FaultSchedule> p =
                s -> s.faults().stream().anyMatch(f -> f instanceof Fault.Pause && ((Fault.Pause) f).millis() >= 120)
                        && s.faults().stream()
                                .anyMatch(f -> f instanceof Fault.HoldFrames && ((Fault.HoldFrames) f).frames() >= 2);
        GeneratorConfig config = CONFIG.withMaxPauseMillis(1000).withMaxHoldFrames(9);
        int checked = 0;
        for (long seed = 0; checked < 5; seed++) {
            FaultSchedule s = new ScheduleGenerator(config).generate(seed);
            if (!p.test(s)) {
                continue;
            }
            checked++;
            FaultSchedule minimal = new Shrinker().shrink(s, p).minimal();
            assertEquals(2, minimal.nodes(), minimal.format());
            assertEquals(
                    Set.of(new Fault.Pause(0, 120), new Fault.HoldFrames(0, 0, 1, 2)),
                    new HashSet<>(minimal.faults()),
                    minimal.format());
            assertEquals(2, minimal.size());
        }
    }

    @Test
    void renumbersNodesThatOnlyMatterTogether() {
        // Fails iff some node is restarted and later named by a reset; which node does not matter.
        Predicate<FaultSchedule> p = s -> {
            Set<Integer> restarted = new HashSet<>();
            for (Fault f : s.faults()) {
                if (f instanceof Fault.Restart) {
                    restarted.add(((Fault.Restart) f).node());
                } else if (f instanceof Fault.Reset && f.nodes().stream().anyMatch(restarted::contains)) {
                    return true;
                }
            }
            return false;
        };
        FaultSchedule s = FaultSchedule.of(
                9,
                6,
                new Fault.Pause(0, 5),
                new Fault.Restart(1, 4),
                new Fault.Call(2, 3, 1, 2),
                new Fault.Reset(3, 4, 5));
        assertEquals(
                "seed=9 nodes=2\n0 restart 0\n0 reset 0-1\n",
                new Shrinker().shrink(s, p).minimal().format());
    }

    @Test
    void stopsAtTheBoundOnRuns() {
        FaultSchedule big = new ScheduleGenerator(CONFIG.withSteps(200)).generate(3);
        int[] calls = {0};
        Shrinker.Result r = new Shrinker(25).shrink(big, s -> {
            calls[0]++;
            return false;
        });
        assertEquals(25, r.runs());
        assertEquals(25, calls[0]);
        assertTrue(r.exhausted());
        assertEquals(0, r.reductions());
        assertEquals(big, r.minimal());

        Shrinker.Result none = new Shrinker(0).shrink(big, s -> {
            throw new AssertionError("ran with a bound of 0");
        });
        assertEquals(0, none.runs());
        assertTrue(none.exhausted());
        assertEquals(big, none.minimal());
    }

    @Test
    void stopsAtTheBoundWhileReducing() {
        FaultSchedule s = new ScheduleGenerator(CONFIG).generate(11);
        for (int bound = 0; bound < 40; bound++) {
            Shrinker.Result r = new Shrinker(bound).shrink(s, FIVE_CALLS);
            assertTrue(r.runs() <= bound);
            assertTrue(FIVE_CALLS.test(r.minimal()));
        }
        Shrinker.Result full = new Shrinker().shrink(s, FIVE_CALLS);
        assertFalse(full.exhausted());
        assertTrue(full.runs() < Shrinker.DEFAULT_MAX_RUNS);
        Shrinker.Result exact = new Shrinker(full.runs()).shrink(s, FIVE_CALLS);
        assertEquals(full, exact);
        Shrinker.Result short1 = new Shrinker(full.runs() - 1).shrink(s, FIVE_CALLS);
        assertTrue(short1.exhausted());
        assertEquals(full.runs() - 1, short1.runs());
    }

    @Test
    void neverRunsTheGivenScheduleAndOnlyReturnsObservedFailures() {
        ScheduleGenerator g = new ScheduleGenerator(CONFIG);
        for (long seed = 0; seed < 60; seed++) {
            FaultSchedule original = g.generate(seed);
            long salt = seed;
            Set<FaultSchedule> observedFailing = new HashSet<>();
            int[] calls = {0};
            // An arbitrary but deterministic predicate: about a third of all schedules "fail".
            Shrinker.Result r = new Shrinker(300).shrink(original, s -> {
                assertNotEquals(original, s);
                calls[0]++;
                boolean fails = new SplittableRandom(s.formatInline().hashCode() * 31L + salt).nextInt(3) == 0;
                if (fails) {
                    observedFailing.add(s);
                }
                return fails;
            });
            assertEquals(calls[0], r.runs());
            assertTrue(r.runs() <= 300);
            assertTrue(
                    r.minimal().equals(original) || observedFailing.contains(r.minimal()),
                    r.minimal().format());
            assertEquals(r.reductions(), observedFailing.size());
        }
    }

    @Test
    void resultIsAFixedPoint() {
        List<Predicate<FaultSchedule>> predicates = List.of(
                RESET_AFTER_RESTART,
                FIVE_CALLS,
                s -> s.size() >= 3 && s.faults().stream().anyMatch(f -> f.kind() == FaultKind.NODE_DOWN),
                s -> s.faults().stream()
                                        .filter(f -> f.kind() == FaultKind.HOLD_FRAMES)
                                        .count()
                                >= 2
                        && s.highestNode() >= 3,
                s -> s.faults().stream().mapToInt(Fault::step).sum() >= 17);
        for (Predicate<FaultSchedule> p : predicates) {
            for (FaultSchedule s : failing(p, 8)) {
                Shrinker.Result r = new Shrinker(5000).shrink(s, p);
                assertFalse(r.exhausted());
                FaultSchedule m = r.minimal();
                assertTrue(p.test(m));
                for (int i = 0; i < m.size(); i++) {
                    assertFalse(p.test(m.without(i, i + 1)), "event " + i + " is not needed in\n" + m.format());
                    for (Fault c : m.faults().get(i).simpler()) {
                        assertFalse(p.test(m.with(i, c)), c.format() + " also fails in\n" + m.format());
                    }
                    int lowest = i == 0 ? 0 : m.faults().get(i - 1).step();
                    if (m.faults().get(i).step() > lowest) {
                        assertFalse(p.test(m.with(i, m.faults().get(i).withStep(lowest))), m.format());
                    }
                }
            }
        }
    }

    @Test
    void emptyScheduleStaysEmpty() {
        FaultSchedule empty = FaultSchedule.of(1, 2);
        Shrinker.Result r = new Shrinker().shrink(empty, s -> true);
        assertEquals(empty, r.minimal());
        assertEquals(0, r.runs());
        assertFalse(r.exhausted());
        FaultSchedule wide = FaultSchedule.of(1, 9, new Fault.Pause(4, 7));
        assertEquals(
                FaultSchedule.of(1, 2), new Shrinker().shrink(wide, s -> true).minimal());
    }

    /** Returns the first {@code n} schedules of {@link #CONFIG}, by seed from 0, for which {@code p} is true. */
    private static List<FaultSchedule> failing(Predicate<FaultSchedule> p, int n) {
        ScheduleGenerator g = new ScheduleGenerator(CONFIG);
        List<FaultSchedule> out = new ArrayList<>();
        for (long seed = 0; out.size() < n; seed++) {
            FaultSchedule s = g.generate(seed);
            if (p.test(s)) {
                out.add(s);
            }
        }
        return out;
    }

    private static int totalCalls(FaultSchedule s) {
        return s.faults().stream()
                .filter(f -> f instanceof Fault.Call)
                .mapToInt(f -> ((Fault.Call) f).count())
                .sum();
    }
}
