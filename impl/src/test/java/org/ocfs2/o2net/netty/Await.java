// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.netty;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition, with a generous timeout: tests never assert on elapsed time. */
public final class Await {
    /** How long a condition may take before the test fails; large, as paranoid leak detection slows things down. */
    public static final long TIMEOUT_MS = 15_000;

    private Await() {}

    /** Waits until {@code condition} holds; fails with {@code what} after {@link #TIMEOUT_MS}. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, condition, () -> "");
    }

    /** As {@link #until(String, BooleanSupplier)}, adding {@code state} to the failure message. */
    public static void until(String what, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + TIMEOUT_MS + " ms waiting for: " + what + " " + state.get());
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for: " + what);
            }
        }
    }
}
