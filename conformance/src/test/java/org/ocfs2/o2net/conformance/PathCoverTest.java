// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathCoverTest {

    /** Every path is a walk from {@code init}, and every edge is on some path. */
    private static void assertCover(int states, int init, int[] src, int[] dst, List<int[]> paths) {
        boolean[] taken = new boolean[src.length];
        for (int[] p : paths) {
            int at = init;
            for (int e : p) {
                assertEquals(at, src[e], "path leaves from the wrong state");
                at = dst[e];
                taken[e] = true;
            }
        }
        for (int e = 0; e < src.length; e++) {
            assertTrue(taken[e], "edge " + e + " not covered");
        }
    }

    @Test
    void aChainIsOnePath() {
        int[] src = {0, 1, 2};
        int[] dst = {1, 2, 3};
        List<int[]> paths = PathCover.cover(4, 0, src, dst);
        assertEquals(1, paths.size());
        assertArrayEquals(new int[] {0, 1, 2}, paths.get(0));
    }

    @Test
    void branchesSelfLoopsAndCyclesAreCovered() {
        // 0 -> 1 -> 3, 0 -> 2 -> 3, 3 -> 3 (stutter), 3 -> 0 (cycle), 1 -> 4
        int[] src = {0, 1, 0, 2, 3, 3, 1};
        int[] dst = {1, 3, 2, 3, 3, 0, 4};
        List<int[]> paths = PathCover.cover(5, 0, src, dst);
        assertCover(5, 0, src, dst, paths);
        assertEquals(1, paths.size(), "the cycle lets one path take every edge before the dead end 4");
    }

    @Test
    void aDeadEndEndsAPath() {
        // 0 -> 1 -> 2, 0 -> 3: no way back from 2 or 3
        int[] src = {0, 1, 0};
        int[] dst = {1, 2, 3};
        List<int[]> paths = PathCover.cover(4, 0, src, dst);
        assertCover(4, 0, src, dst, paths);
        assertEquals(2, paths.size());
    }

    @Test
    void anEdgeOutOfReachIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> PathCover.cover(3, 0, new int[] {0, 2}, new int[] {1, 1}));
    }
}
