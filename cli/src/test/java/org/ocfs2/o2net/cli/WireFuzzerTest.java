// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

/** 50,000 fuzzed inputs through the production decoders in every build (issue 13 item 4). */
class WireFuzzerTest {
    @Test
    void fiftyThousandMutatedInputsEndInFramesOrTypedErrorsAndLeakNothing() {
        ResourceLeakDetector.Level was = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        System.setProperty("org.slf4j.simpleLogger.log.org.ocfs2.o2net.wire.DecoderErrorHandler", "off");
        try {
            WireFuzzer.Report r = new WireFuzzer(20261204).run(50_000, new WireFuzzer.Report());
            String report = FuzzCommand.report(r, 20261204, 0);
            assertEquals(50_000, r.inputs);
            assertEquals(0, r.untypedCount(), report);
            assertEquals(0, r.leaks, report);
            // the fuzzer reaches past the handshake and into each kind of error, or it tests little
            assertTrue(r.handshakesAccepted > 1000, report);
            assertTrue(r.frames > 1000, report);
            for (Class<?> c : WireFuzzer.TYPED) {
                assertTrue(
                        r.typed.getOrDefault(c.getSimpleName(), 0L) > 0, c.getSimpleName() + " never seen\n" + report);
            }
        } finally {
            ResourceLeakDetector.setLevel(was);
        }
    }
}
