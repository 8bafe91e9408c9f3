// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.hb;

/** Reaches {@link DiskHeartbeat}'s test-only unclean stop from the kernel lab's tests (same package on the class path). */
public final class HeartbeatStops {
    private HeartbeatStops() {}

    /** Stops {@code hb} as if its process died: no last block, so the others declare it dead after their threshold. */
    public static void stopUnclean(DiskHeartbeat hb) {
        hb.stopUnclean();
    }
}
