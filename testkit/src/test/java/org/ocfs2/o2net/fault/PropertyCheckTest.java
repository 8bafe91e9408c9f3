// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PropertyCheckTest {
    private static final GeneratorConfig CONFIG = GeneratorConfig.defaults();

    /** Fails iff a node restarts. */
    private static final Function<FaultSchedule, Outcome> NO_RESTART = s -> {
        for (Fault f : s.faults()) {
            if (f instanceof Fault.Restart) {
                return Outcome.fail("node " + ((Fault.Restart) f).node() + " restarted");
            }
        }
        return Outcome.pass();
    };

    @Test
    void runsEverySeedInOrderWhenAllPass() {
        List<Long> seeds = new ArrayList<>();
        int n = PropertyCheck.of(-3, 7).check(CONFIG, s -> {
            seeds.add(s.seed());
            assertEquals(new ScheduleGenerator(CONFIG).generate(s.seed()), s);
            return Outcome.pass();
        });
        assertEquals(7, n);
        assertEquals(List.of(-3L, -2L, -1L, 0L, 1L, 2L, 3L), seeds);
    }

    @Test
    void failureReportsSeedMinimalScheduleDescriptionAndShrinkRuns() {
        long seed = firstSeedWhere(100, s -> NO_RESTART.apply(s).failed());
        FaultSchedule original = new ScheduleGenerator(CONFIG).generate(seed);
        int[] runs = {0};
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> PropertyCheck.of(100, 50).check(CONFIG, s -> {
                    runs[0]++;
                    return NO_RESTART.apply(s);
                }));
        String m = e.getMessage();
        assertTrue(seed < 150);
        int shrinkRuns = runs[0] - (int) (seed - 100 + 1);
        assertTrue(
                m.startsWith("o2net property failed for seed " + seed + " (seed " + (seed - 100 + 1)
                        + " of 50 from 100; rerun: -Do2net.seed=" + seed + " -Do2net.seeds=1)\n"),
                m);
        assertTrue(m.contains("\nfailure: node 0 restarted\n"), m);
        assertTrue(m.contains("\nminimal schedule (1 events; " + shrinkRuns + " shrink runs, "), m);
        assertTrue(m.contains("\n  seed=" + seed + " nodes=2\n  0 restart 0\n"), m);
        assertTrue(m.contains("\nreplay: -Do2net.schedule='seed=" + seed + " nodes=2; 0 restart 0'\n"), m);
        assertTrue(
                m.contains("\noriginal failure: " + NO_RESTART.apply(original).description() + "\n"), m);
        assertTrue(
                m.contains("\noriginal schedule (" + original.size() + " events):\n"
                        + original.format().replaceAll("(?m)^", "  ")),
                m);
        assertTrue(m.endsWith("\ngenerator: " + CONFIG), m);
        assertTrue(shrinkRuns > 0);
        assertNull(e.getCause());

        assertEquals(FaultSchedule.of(seed, 2, new Fault.Restart(0, 0)), replayed(m));
        assertEquals(
                original,
                FaultSchedule.parse(between(m, "original schedule (" + original.size() + " events):\n", "generator:")));
    }

    @Test
    void forAllReadsSystemPropertiesAndReports() {
        PropertyCheck expected = PropertyCheck.fromProperties(1000, 40);
        if (expected.replay().isPresent()) {
            return; // -Do2net.schedule replays a schedule of the developer's own choosing
        }
        Predicate<FaultSchedule> many = s -> totalCalls(s) >= 9;
        Function<FaultSchedule, Outcome> run =
                s -> many.test(s) ? Outcome.fail("too many calls: " + totalCalls(s)) : Outcome.pass();
        long seed = firstSeedWhere(expected.firstSeed(), many);
        if (seed - expected.firstSeed() >= expected.count()) {
            PropertyCheck.forAll(CONFIG, 1000, 40, run); // -Do2net.seeds asked for too few seeds to fail
            return;
        }
        AssertionError e = assertThrows(AssertionError.class, () -> PropertyCheck.forAll(CONFIG, 1000, 40, run));
        String m = e.getMessage();
        assertTrue(m.startsWith("o2net property failed for seed " + seed + " "), m);
        Matcher runs =
                Pattern.compile("; (\\d+) shrink runs, (\\d+) reductions[;)]").matcher(m);
        assertTrue(runs.find(), m);
        assertTrue(Integer.parseInt(runs.group(1)) >= Integer.parseInt(runs.group(2)));
        assertTrue(many.test(replayed(m)), m);
        if (expected.maxShrinkRuns() == Shrinker.DEFAULT_MAX_RUNS) {
            assertTrue(m.contains("\nfailure: too many calls: 9\n"), m);
            assertEquals(FaultSchedule.of(seed, 2, new Fault.Call(0, 0, 1, 9)), replayed(m));
        }
    }

    @Test
    void exceptionsAreFailuresAndBecomeTheCause() {
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> PropertyCheck.of(1, 100).check(CONFIG, s -> {
                    if (s.faults().stream().anyMatch(f -> f.kind() == FaultKind.RESET)) {
                        throw new IllegalStateException("boom with " + s.size() + " events");
                    }
                    return Outcome.pass();
                }));
        String m = e.getMessage();
        assertTrue(m.contains("\nfailure: java.lang.IllegalStateException: boom with 1 events\n"), m);
        assertTrue(m.contains("\n  0 reset 0-1\n"), m);
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("boom with 1 events", e.getCause().getMessage());
    }

    @Test
    void zeroShrinkRunsReportsTheOriginal() {
        long seed = firstSeedWhere(5, s -> NO_RESTART.apply(s).failed());
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> PropertyCheck.of(5, 100).withMaxShrinkRuns(0).check(CONFIG, NO_RESTART));
        FaultSchedule original = new ScheduleGenerator(CONFIG).generate(seed);
        assertTrue(
                e.getMessage().contains("; 0 shrink runs, 0 reductions; shrink bound 0 reached, may not be minimal"),
                e.getMessage());
        assertEquals(original, replayed(e.getMessage()));
    }

    @Test
    void replaysAGivenScheduleOnce() {
        FaultSchedule given = FaultSchedule.parse("seed=77 nodes=4; 0 call 0->3 x2; 3 reset 1-3");
        List<FaultSchedule> seen = new ArrayList<>();
        int n = PropertyCheck.of(1, 100).replaying(given).check(CONFIG, s -> {
            seen.add(s);
            return Outcome.pass();
        });
        assertEquals(1, n);
        assertEquals(List.of(given), seen);

        AssertionError e = assertThrows(
                AssertionError.class,
                () -> PropertyCheck.of(1, 100)
                        .replaying(given)
                        .check(CONFIG, s -> s.size() == 0 ? Outcome.pass() : Outcome.fail("events: " + s.size())));
        String m = e.getMessage();
        assertTrue(m.startsWith("o2net property failed for replayed schedule (o2net.schedule), seed 77\n"), m);
        assertTrue(m.contains("\nfailure: events: 1\n"), m);
        assertTrue(m.contains("\noriginal failure: events: 2\n"), m);
    }

    @Test
    void propertiesOverrideTheTestsSeeds(@TempDir Path dir) throws IOException {
        Properties p = new Properties();
        PropertyCheck none = PropertyCheck.fromProperties(p, 5, 20);
        assertEquals(5, none.firstSeed());
        assertEquals(20, none.count());
        assertEquals(Optional.empty(), none.replay());
        assertEquals(Shrinker.DEFAULT_MAX_RUNS, none.maxShrinkRuns());

        p.setProperty("o2net.seeds", " 5000 ");
        p.setProperty("o2net.seed", "-12");
        p.setProperty("o2net.shrinkRuns", "7");
        PropertyCheck set = PropertyCheck.fromProperties(p, 5, 20);
        assertEquals(-12, set.firstSeed());
        assertEquals(5000, set.count());
        assertEquals(7, set.maxShrinkRuns());

        p.setProperty("o2net.schedule", "seed=3 nodes=2; 0 restart 1");
        assertEquals(
                Optional.of(FaultSchedule.of(3, 2, new Fault.Restart(0, 1))),
                PropertyCheck.fromProperties(p, 5, 20).replay());
        Path file = dir.resolve("failing.schedule");
        Files.writeString(file, "# from CI\nseed=3 nodes=2\n0 restart 1\n2 pause 10ms\n");
        p.setProperty("o2net.schedule", "@" + file);
        assertEquals(
                Optional.of(FaultSchedule.of(3, 2, new Fault.Restart(0, 1), new Fault.Pause(2, 10))),
                PropertyCheck.fromProperties(p, 5, 20).replay());
        p.setProperty("o2net.schedule", "  ");
        assertEquals(Optional.empty(), PropertyCheck.fromProperties(p, 5, 20).replay());
    }

    @Test
    void malformedPropertiesNameTheProperty() {
        assertBadProperty("o2net.seeds", "0", "o2net.seeds must be 1..2147483647, was 0");
        assertBadProperty("o2net.seeds", "many", "o2net.seeds must be a whole number 1..2147483647, was 'many'");
        assertBadProperty(
                "o2net.seed",
                "1.5",
                "o2net.seed must be a whole number -9223372036854775808..9223372036854775807, was '1.5'");
        assertBadProperty("o2net.shrinkRuns", "-1", "o2net.shrinkRuns must be 0..2147483647, was -1");
        assertBadProperty(
                "o2net.schedule",
                "seed=1 nodes=2\n0 call 0->0 x1",
                "o2net.schedule: line 2: call: the two nodes must differ, both are 0");
    }

    @Test
    void outcomes() {
        assertTrue(Outcome.pass().passed());
        assertEquals("fail: lost message 3", Outcome.fail("lost message 3").toString());
        assertThrows(IllegalArgumentException.class, () -> Outcome.fail(" "));
        assertThrows(IllegalArgumentException.class, () -> PropertyCheck.of(0, 0));
    }

    private static void assertBadProperty(String name, String value, String message) {
        Properties p = new Properties();
        p.setProperty(name, value);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PropertyCheck.fromProperties(p, 1, 1));
        assertEquals(message, e.getMessage());
    }

    /** Returns the first seed from {@code first} whose {@link #CONFIG} schedule satisfies {@code p}. */
    private static long firstSeedWhere(long first, Predicate<FaultSchedule> p) {
        ScheduleGenerator g = new ScheduleGenerator(CONFIG);
        for (long seed = first; ; seed++) {
            if (p.test(g.generate(seed))) {
                return seed;
            }
        }
    }

    /** Returns the schedule of the {@code replay: -Do2net.schedule='...'} line of a failure message. */
    private static FaultSchedule replayed(String message) {
        Matcher m = Pattern.compile("\nreplay: -Do2net\\.schedule='([^']*)'\n").matcher(message);
        assertTrue(m.find(), message);
        return FaultSchedule.parse(m.group(1));
    }

    private static String between(String s, String start, String end) {
        int from = s.indexOf(start);
        assertTrue(from >= 0, s);
        from += start.length();
        return s.substring(from, s.indexOf(end, from));
    }

    private static int totalCalls(FaultSchedule s) {
        return s.faults().stream()
                .filter(f -> f instanceof Fault.Call)
                .mapToInt(f -> ((Fault.Call) f).count())
                .sum();
    }
}
