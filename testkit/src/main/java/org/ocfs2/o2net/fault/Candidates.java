// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.fault;

import java.util.ArrayList;
import java.util.List;

/** Smaller values a shrinker tries in place of a number. */
final class Candidates {
    private Candidates() {}

    /**
     * Returns the values from {@code min} up to {@code value - 1} to try in place of {@code value}:
     * {@code value - d}, {@code value - d/2}, {@code value - d/4}, ... {@code value - 1} where
     * {@code d = value - min}, ascending and without repeats; empty if {@code value <= min}.
     */
    static List<Integer> toward(int value, int min) {
        List<Integer> out = new ArrayList<>();
        for (long d = (long) value - min; d > 0; d /= 2) {
            out.add((int) (value - d));
        }
        return out;
    }
}
