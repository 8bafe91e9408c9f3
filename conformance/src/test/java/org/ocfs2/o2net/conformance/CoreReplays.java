// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The core tier's replays of one trace file, each trace on a fresh driver; what they covered and how they failed. */
record CoreReplays(Coverage coverage, List<ConformanceFailure> failures, double seconds) {
    /** Where the first {@link #KEPT} failures of a file are kept ({@link KeptFailure}). */
    static final Path FAILURES = KeptFailure.ROOT.resolve("core");

    static final int KEPT = 10;

    static CoreReplays of(Path file, Supplier<ProtocolDriver> driver) {
        Coverage c = new Coverage();
        List<ConformanceFailure> failures = new ArrayList<>();
        long start = System.nanoTime();
        Trace.forEach(file, t -> {
            try {
                Replayer.replay(t, driver.get());
                c.add(t);
            } catch (ConformanceFailure f) {
                if (failures.size() < KEPT) {
                    KeptFailure.keep(FAILURES, t, f);
                }
                failures.add(f);
            }
        });
        return new CoreReplays(c, failures, (System.nanoTime() - start) / 1e9);
    }

    void assertNoFailure(String what) {
        assertTrue(
                failures.isEmpty(),
                () -> failures.size() + " of the " + what + " do not conform; the first:\n"
                        + failures.get(0).getMessage());
    }
}
