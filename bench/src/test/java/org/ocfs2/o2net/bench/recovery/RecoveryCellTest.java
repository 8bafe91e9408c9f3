// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A recovery cell is its median run, with the fastest and slowest beside it and the worst left-over of all runs. */
class RecoveryCellTest {
    private static RecoveryBench.Result run(double returnedMs, int leftOver) {
        return new RecoveryBench.Result(
                "ack (v13)",
                RecoveryBench.Loss.REQUESTS,
                1000,
                100,
                105,
                returnedMs,
                1000,
                0,
                null,
                1000,
                1000,
                0,
                leftOver);
    }

    @Test
    void theMedianRunIsTheRowAndTheSpreadAndLeftOverCoverEveryRun() {
        RecoveryBench.Cell c =
                RecoveryBench.cell(List.of(run(150, 0), run(110, 0), run(140, 2), run(120, 0), run(130, 0)));
        assertEquals(130, c.median().allReturnedMs());
        assertEquals(110, c.minReturnedMs());
        assertEquals(150, c.maxReturnedMs());
        assertEquals(5, c.runs());
        assertEquals(2, c.leftOver(), "a run that left something held is not hidden by the median");
    }

    @Test
    void anEvenCountTakesTheLowerMedianAndOneRunIsItsOwnMedian() {
        assertEquals(
                120,
                RecoveryBench.cell(List.of(run(130, 0), run(110, 0), run(120, 0), run(140, 0)))
                        .median()
                        .allReturnedMs());
        RecoveryBench.Cell one = RecoveryBench.cell(List.of(run(170, 0)));
        assertEquals(170, one.median().allReturnedMs());
        assertEquals(170, one.minReturnedMs());
        assertEquals(170, one.maxReturnedMs());
    }
}
