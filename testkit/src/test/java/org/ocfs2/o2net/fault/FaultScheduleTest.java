// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {
    private static final FaultSchedule EXAMPLE = FaultSchedule.of(
            42,
            3,
            new Fault.Call(3, 1, 2, 4),
            new Fault.Reset(5, 0, 2),
            new Fault.NodeDown(7, 1),
            new Fault.Restart(7, 1),
            new Fault.Pause(9, 200),
            new Fault.HoldFrames(11, 0, 1, 3));

    private static final String EXAMPLE_TEXT = "seed=42 nodes=3\n"
            + "3 call 1->2 x4\n"
            + "5 reset 0-2\n"
            + "7 down 1\n"
            + "7 restart 1\n"
            + "9 pause 200ms\n"
            + "11 hold 0->1 x3\n";

    @Test
    void formatsOneLinePerEvent() {
        assertEquals(EXAMPLE_TEXT, EXAMPLE.format());
        assertEquals(EXAMPLE_TEXT, EXAMPLE.toString());
        assertEquals(
                "seed=42 nodes=3; 3 call 1->2 x4; 5 reset 0-2; 7 down 1; 7 restart 1; 9 pause 200ms;"
                        + " 11 hold 0->1 x3",
                EXAMPLE.formatInline());
        assertEquals("seed=-7 nodes=2\n", FaultSchedule.of(-7, 2).format());
    }

    @Test
    void parsesTheExample() {
        assertEquals(EXAMPLE, FaultSchedule.parse(EXAMPLE_TEXT));
        assertEquals(EXAMPLE, FaultSchedule.parse(EXAMPLE.formatInline()));
    }

    @Test
    void roundTripsGeneratedSchedules() {
        List<GeneratorConfig> configs = List.of(
                GeneratorConfig.defaults(),
                GeneratorConfig.defaults().withNodes(2).withSteps(0),
                GeneratorConfig.defaults()
                        .withNodes(7)
                        .withSteps(40)
                        .withMaxCalls(1000)
                        .withMaxPauseMillis(Integer.MAX_VALUE)
                        .withMaxHoldFrames(50),
                GeneratorConfig.defaults().withNodes(255).withSteps(5).only(FaultKind.NODE_DOWN, FaultKind.RESET));
        for (GeneratorConfig config : configs) {
            ScheduleGenerator g = new ScheduleGenerator(config);
            for (long seed = -100; seed < 400; seed++) {
                FaultSchedule s = g.generate(seed);
                assertEquals(s, FaultSchedule.parse(s.format()), s.format());
                assertEquals(s, FaultSchedule.parse(s.formatInline()), s.formatInline());
                assertEquals(s.format(), FaultSchedule.parse(s.format()).format());
            }
        }
        FaultSchedule extreme =
                FaultSchedule.of(Long.MIN_VALUE, 255, new Fault.Call(Integer.MAX_VALUE, 254, 0, Integer.MAX_VALUE));
        assertEquals(extreme, FaultSchedule.parse(extreme.format()));
    }

    @Test
    void parseIgnoresBlanksCommentsAndReversedResetPairs() {
        String text = "\n  # a schedule by hand\n\tseed=42   nodes=3  \n3 call 1->2 x4 # the workload\n\n"
                + "5 reset 2-0;  ; 7 down 1;7 restart 1\r\n9 pause 200ms\n11\thold 0->1 x3\n";
        assertEquals(EXAMPLE, FaultSchedule.parse(text));
        assertEquals(FaultSchedule.of(1, 2), FaultSchedule.parse("nodes=2 seed=1"));
    }

    @Test
    void parseErrorsGiveLineAndExpectation() {
        assertParseError("", 1, 1, "line 1: expected header 'seed=S nodes=N', found no text");
        assertParseError("\n# nothing\n", 3, 1, "line 3: expected header 'seed=S nodes=N', found no text");
        assertParseError("seed=1 nodes=3 x=2", 1, 1, "line 1: expected header 'seed=S nodes=N', found 'x=2'");
        assertParseError("seed=1", 1, 1, "line 1: expected header 'seed=S nodes=N', missing nodes=N");
        assertParseError("nodes=3", 1, 1, "line 1: expected header 'seed=S nodes=N', missing seed=S");
        assertParseError("seed=1 seed=2 nodes=3", 1, 1, "line 1: expected header 'seed=S nodes=N', found 'seed=2'");
        assertParseError("seed=abc nodes=3", 1, 1, "line 1: expected seed to be a 64-bit integer, found 'abc'");
        assertParseError("seed=1 nodes=1", 1, 1, "line 1: expected nodes=2..255, found nodes=1");
        assertParseError(
                "seed=1 nodes=3\n0 call 1->2 x4\nx call 1->2 x4",
                3,
                1,
                "line 3: expected a step number (digits), found 'x'");
        assertParseError("seed=1 nodes=3\n-1 restart 0", 2, 1, "line 2: expected a step number (digits), found '-1'");
        assertParseError(
                "seed=1 nodes=3\n4",
                2,
                1,
                "line 2: expected an event keyword (call, reset, restart, down, pause, hold) after the step,"
                        + " found nothing");
        assertParseError(
                "seed=1 nodes=3\n4 crash 1",
                2,
                1,
                "line 2: expected an event keyword (call, reset, restart, down, pause, hold), found 'crash'");
        assertParseError(
                "seed=1 nodes=3\n4 call 1->2", 2, 1, "line 2: expected 'STEP call A->B xN', found '4 call 1->2'");
        assertParseError(
                "seed=1 nodes=3\n4 restart 1 2", 2, 1, "line 2: expected 'STEP restart N', found '4 restart 1 2'");
        assertParseError(
                "seed=1 nodes=3\n4 call 1-2 x3", 2, 1, "line 2: expected 'A->B' (two node numbers), found '1-2'");
        assertParseError(
                "seed=1 nodes=3\n4 reset 1->2", 2, 1, "line 2: expected 'A-B' (two node numbers), found '1->2'");
        assertParseError("seed=1 nodes=3\n4 call 1->2 4", 2, 1, "line 2: expected 'xN', found '4'");
        assertParseError("seed=1 nodes=3\n4 pause 200", 2, 1, "line 2: expected 'Nms', found '200'");
        assertParseError(
                "seed=1 nodes=3\n4 pause 99999999999ms",
                2,
                1,
                "line 2: expected 'Nms' up to 2147483647, found 99999999999");
        assertParseError(
                "seed=1 nodes=3\n99999999999999999999 restart 1",
                2,
                1,
                "line 2: expected a step number up to 2147483647, found 99999999999999999999");
        assertParseError("seed=1 nodes=3\n4 call 1->1 x3", 2, 1, "line 2: call: the two nodes must differ, both are 1");
        assertParseError("seed=1 nodes=3\n4 hold 0->1 x0", 2, 1, "line 2: hold: frames must be 1 or more, was 0");
        assertParseError("seed=1 nodes=3\n4 restart 3", 2, 1, "line 2: node 3 is out of range 0..2 for nodes=3");
        assertParseError(
                "seed=1 nodes=3\n4 restart 1\n3 restart 2",
                3,
                1,
                "line 3: step 3 is before the previous event's step 4");
        assertParseError(
                "seed=1 nodes=3; 4 restart 1; 5 down 7",
                1,
                3,
                "line 1, entry 3: node 7 is out of range 0..2 for nodes=3");
    }

    @Test
    void rejectsInvalidSchedules() {
        assertMessage("nodes must be 2..255, was 1", () -> FaultSchedule.of(0, 1));
        assertMessage("nodes must be 2..255, was 256", () -> FaultSchedule.of(0, 256));
        assertMessage(
                "event 1 '2 restart 3': node 3 is out of range 0..2 for nodes=3",
                () -> FaultSchedule.of(0, 3, new Fault.Restart(1, 0), new Fault.Restart(2, 3)));
        assertMessage(
                "event 1 '0 restart 1': step 0 is before the previous event's step 1",
                () -> FaultSchedule.of(0, 3, new Fault.Restart(1, 0), new Fault.Restart(0, 1)));
    }

    @Test
    void editsKeepSeedAndNodes() {
        FaultSchedule s = EXAMPLE.without(1, 5);
        assertEquals(FaultSchedule.of(42, 3, new Fault.Call(3, 1, 2, 4), new Fault.HoldFrames(11, 0, 1, 3)), s);
        assertEquals(
                FaultSchedule.of(42, 2, new Fault.Call(3, 1, 0, 4), new Fault.HoldFrames(11, 0, 1, 3)),
                s.with(0, new Fault.Call(3, 1, 0, 4)).withNodes(2));
        assertEquals(2, EXAMPLE.highestNode());
        assertEquals(-1, FaultSchedule.of(1, 3, new Fault.Pause(0, 1)).highestNode());
        assertThrows(UnsupportedOperationException.class, () -> EXAMPLE.faults().clear());
    }

    private static void assertParseError(String text, int line, int entry, String message) {
        ScheduleFormatException e = assertThrows(ScheduleFormatException.class, () -> FaultSchedule.parse(text));
        assertEquals(message, e.getMessage());
        assertEquals(line, e.line());
        assertEquals(entry, e.entry());
    }

    private static void assertMessage(String expected, Runnable r) {
        assertEquals(
                expected, assertThrows(IllegalArgumentException.class, r::run).getMessage());
    }
}
