// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FaultTest {
    @Test
    void formatsEachKind() {
        assertEquals("3 call 1->2 x4", new Fault.Call(3, 1, 2, 4).format());
        assertEquals("5 reset 0-2", new Fault.Reset(5, 0, 2).format());
        assertEquals("7 restart 1", new Fault.Restart(7, 1).format());
        assertEquals("7 down 1", new Fault.NodeDown(7, 1).format());
        assertEquals("9 pause 200ms", new Fault.Pause(9, 200).format());
        assertEquals("11 hold 0->1 x3", new Fault.HoldFrames(11, 0, 1, 3).format());
    }

    @Test
    void resetPutsTheLowerNodeFirst() {
        Fault.Reset r = new Fault.Reset(0, 2, 0);
        assertEquals(0, r.nodeA());
        assertEquals(2, r.nodeB());
        assertEquals(new Fault.Reset(0, 0, 2), r);
    }

    @Test
    void rejectsOutOfRangeFields() {
        assertMessage("step must be 0 or more, was -1", () -> new Fault.Restart(-1, 0));
        assertMessage("the two nodes must differ, both are 1", () -> new Fault.Call(0, 1, 1, 1));
        assertMessage("count must be 1 or more, was 0", () -> new Fault.Call(0, 0, 1, 0));
        assertMessage("millis must be 1 or more, was 0", () -> new Fault.Pause(0, 0));
        assertMessage("frames must be 1 or more, was 0", () -> new Fault.HoldFrames(0, 0, 1, 0));
        assertMessage("node must be 0..254, was 255", () -> new Fault.NodeDown(0, 255));
        assertMessage("first node must be 0..254, was -1", () -> new Fault.Reset(0, -1, 1));
    }

    @Test
    void simplerLowersOneFieldAtATime() {
        assertEquals(
                List.of(
                        new Fault.Call(3, 1, 2, 1),
                        new Fault.Call(3, 1, 2, 3),
                        new Fault.Call(3, 0, 2, 4),
                        new Fault.Call(3, 1, 0, 4)),
                new Fault.Call(3, 1, 2, 4).simpler());
        assertEquals(List.of(new Fault.Reset(0, 0, 2), new Fault.Reset(0, 0, 1)), new Fault.Reset(0, 1, 2).simpler());
        assertEquals(
                List.of(new Fault.Pause(0, 1), new Fault.Pause(0, 6), new Fault.Pause(0, 8), new Fault.Pause(0, 9)),
                new Fault.Pause(0, 10).simpler());
        assertEquals(List.of(new Fault.Restart(4, 0), new Fault.Restart(4, 1)), new Fault.Restart(4, 2).simpler());
        assertEquals(List.of(), new Fault.NodeDown(4, 0).simpler());
        assertEquals(List.of(new Fault.HoldFrames(0, 0, 1, 1)), new Fault.HoldFrames(0, 0, 1, 2).simpler());
    }

    @Test
    void simplerCandidatesAreSmallerAndValid() {
        ScheduleGenerator g =
                new ScheduleGenerator(GeneratorConfig.defaults().withNodes(6).withSteps(20));
        for (long seed = 0; seed < 50; seed++) {
            for (Fault f : g.generate(seed).faults()) {
                for (Fault c : f.simpler()) {
                    assertEquals(f.kind(), c.kind());
                    assertEquals(f.step(), c.step());
                    assertNotEquals(f, c);
                    assertTrue(sum(c) < sum(f), c + " is not smaller than " + f);
                }
            }
        }
    }

    @Test
    void towardHalvesTheDistance() {
        assertEquals(List.of(0, 5, 8, 9), Candidates.toward(10, 0));
        assertEquals(List.of(1, 3), Candidates.toward(4, 1));
        assertEquals(List.of(), Candidates.toward(3, 3));
        assertEquals(List.of(), Candidates.toward(2, 3));
        assertEquals(31, Candidates.toward(Integer.MAX_VALUE, 0).size());
    }

    @Test
    void mapNodesRenumbers() {
        assertEquals(new Fault.Call(1, 2, 0, 3), new Fault.Call(1, 0, 2, 3).mapNodes(n -> 2 - n));
        assertEquals(new Fault.Reset(1, 0, 1), new Fault.Reset(1, 1, 2).mapNodes(n -> 2 - n));
        assertEquals(new Fault.Pause(1, 5), new Fault.Pause(1, 5).mapNodes(n -> n + 1));
    }

    @Test
    void keywordsNameTheKinds() {
        for (FaultKind kind : FaultKind.values()) {
            assertEquals(kind, FaultKind.byKeyword(kind.keyword()).orElseThrow());
        }
        assertTrue(FaultKind.byKeyword("CALL").isEmpty());
        assertEquals(2, FaultKind.CALL.arity());
        assertEquals(1, FaultKind.PAUSE.arity());
    }

    /** The sum of all fields but the step; {@link Fault#simpler()} must lower it. */
    private static long sum(Fault f) {
        long s = f.nodes().stream().mapToLong(Integer::longValue).sum();
        if (f instanceof Fault.Call) {
            s += ((Fault.Call) f).count();
        } else if (f instanceof Fault.Pause) {
            s += ((Fault.Pause) f).millis();
        } else if (f instanceof Fault.HoldFrames) {
            s += ((Fault.HoldFrames) f).frames();
        }
        return s;
    }

    private static void assertMessage(String expected, Runnable r) {
        assertEquals(
                expected, assertThrows(IllegalArgumentException.class, r::run).getMessage());
    }
}
