// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Paths from the initial state that together take every edge of a state graph at least once (an edge cover by
 * paths), chosen greedily; no minimality is claimed.
 * <p>
 * Each path starts at the initial state. While the current state has an edge not yet taken, the path takes one,
 * preferring an edge whose target still has edges not taken (so that paths go on longer); otherwise it goes, by
 * edges already taken, to the nearest state that has one (breadth-first); when no such state is reachable the path
 * ends. Every path takes at least one new edge, so this ends, and every state being reachable from the initial
 * state, every edge is taken.
 */
public final class PathCover {
    private PathCover() {}

    /**
     * Covers the graph.
     *
     * @param states number of states, numbered from 0
     * @param init   the initial state
     * @param src    {@code src[e]}: the state edge {@code e} leaves
     * @param dst    {@code dst[e]}: the state edge {@code e} enters ({@code src[e]} for a stuttering step)
     * @return the paths, each the list of its edges in order
     * @throws IllegalArgumentException if some edge cannot be reached from {@code init}
     */
    public static List<int[]> cover(int states, int init, int[] src, int[] dst) {
        int edges = src.length;
        int[][] out = outEdges(states, src);
        int[] open = new int[states];
        for (int s : src) {
            open[s]++;
        }
        boolean[] taken = new boolean[edges];
        int[] via = new int[states];
        int[] seen = new int[states];
        int[] queue = new int[states];
        int stamp = 0;
        int left = edges;
        List<int[]> paths = new ArrayList<>();
        while (left > 0) {
            IntList path = new IntList();
            int cur = init;
            while (true) {
                int e = pick(cur, out[cur], taken, open, dst);
                if (e >= 0) {
                    taken[e] = true;
                    open[cur]--;
                    left--;
                    path.add(e);
                    cur = dst[e];
                    continue;
                }
                stamp++;
                int target = nearestOpen(cur, out, dst, open, via, seen, queue, stamp);
                if (target < 0) {
                    break;
                }
                int from = path.size;
                for (int s = target; s != cur; s = src[via[s]]) {
                    path.add(via[s]);
                }
                path.reverseFrom(from);
                cur = target;
            }
            if (path.size == 0) {
                throw new IllegalArgumentException(left + " edges cannot be reached from state " + init);
            }
            paths.add(path.toArray());
        }
        return paths;
    }

    private static int[][] outEdges(int states, int[] src) {
        int[] count = new int[states];
        for (int s : src) {
            count[s]++;
        }
        int[][] out = new int[states][];
        for (int s = 0; s < states; s++) {
            out[s] = new int[count[s]];
        }
        Arrays.fill(count, 0);
        for (int e = 0; e < src.length; e++) {
            out[src[e]][count[src[e]]++] = e;
        }
        return out;
    }

    /** An edge out of {@code cur} not taken, preferably one into a state left with edges not taken; -1 if none. */
    private static int pick(int cur, int[] out, boolean[] taken, int[] open, int[] dst) {
        int first = -1;
        for (int e : out) {
            if (!taken[e]) {
                if (first < 0) {
                    first = e;
                }
                int after = open[dst[e]] - (dst[e] == cur ? 1 : 0);
                if (after > 0) {
                    return e;
                }
            }
        }
        return first;
    }

    /**
     * Breadth-first from {@code from} to the nearest state with an edge not taken; fills {@code via} with the edge
     * by which each state was reached. Returns that state, or -1.
     */
    private static int nearestOpen(
            int from, int[][] out, int[] dst, int[] open, int[] via, int[] seen, int[] queue, int stamp) {
        int head = 0;
        int tail = 0;
        queue[tail++] = from;
        seen[from] = stamp;
        while (head < tail) {
            int s = queue[head++];
            if (open[s] > 0) {
                return s;
            }
            for (int e : out[s]) {
                int t = dst[e];
                if (seen[t] != stamp) {
                    seen[t] = stamp;
                    via[t] = e;
                    queue[tail++] = t;
                }
            }
        }
        return -1;
    }

    /** A growable list of edge numbers. */
    private static final class IntList {
        int[] a = new int[16];
        int size;

        void add(int v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            a[size++] = v;
        }

        void reverseFrom(int from) {
            for (int i = from, j = size - 1; i < j; i++, j--) {
                int t = a[i];
                a[i] = a[j];
                a[j] = t;
            }
        }

        int[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }
}
