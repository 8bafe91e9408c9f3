// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench.flood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.ocfs2.o2net.wire.ProtocolVersion;

/** The flood harness measures what it says: v12 keeps a Message Holder per request, v13 at most the window. */
class FloodBenchTest {
    private static final long FRESH = 20_000;

    @Test
    void v12KeepsAMessageHolderPerFreshMsgSeqEvenAfterTheImpostorLeft() throws Exception {
        FloodBench.Result r = FloodBench.run(ProtocolVersion.V12, FRESH, Duration.ofMinutes(2));
        assertEquals(FRESH, r.written(), r::toString);
        assertTrue(r.handlerRuns() > 0 && r.handlerRuns() <= FRESH, r::toString);
        assertEquals(FRESH, r.mhAfter(), "nothing frees them: " + r);
        assertTrue(r.legitimateCalls() > 0 && r.legitimateFailures() == 0, r::toString);
    }

    @Test
    void v13NeverHoldsMoreThanTheWindowAndTheLegitimateNodeGoesOn() throws Exception {
        FloodBench.Result r = FloodBench.run(ProtocolVersion.V13, FRESH, Duration.ofMinutes(2));
        assertTrue(r.window() > 0, r::toString);
        assertTrue(r.mhMax() <= r.window() && r.mhAfter() <= r.window(), r::toString);
        assertTrue(r.handlerRuns() <= r.window(), "each msg_seq beyond the window was refused: " + r);
        assertTrue(r.refused() >= 1 && r.connections() >= 1, r::toString);
        assertEquals(FRESH, r.written(), "the impostor kept writing, connecting again: " + r);
        assertTrue(r.legitimateCalls() > 0 && r.legitimateFailures() == 0, r::toString);
    }
}
