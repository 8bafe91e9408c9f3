// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.ocfs2.o2net.core.CorePair.R;
import static org.ocfs2.o2net.core.CorePair.S;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ocfs2.o2net.wire.SysStatus;

/**
 * Random interleavings of calls both ways, frame deliveries, handler completions, resets, restarts (seen and unseen
 * by heartbeat) and node-downs, driven into two real {@link PeerCore}s. After every step the invariants of
 * spec/tla/ReliableO2net.tla are checked on the implementation's own state; at the end, with faults stopped, every
 * call must have returned and every MH tree and held set must be empty (the spec's CallsReturn and Drains).
 * <p>
 * Seeds: {@code -Do2net.core.seeds=N} (default 300) from {@code -Do2net.core.seed=S} (default 1). A failure names
 * its seed and step so it can be replayed alone.
 */
class CoreInterleavingTest {
    private static final int STEPS = 160;

    /** One call as the test sees it. */
    private record Call(int from, String payload, TestCall waiter, int peerRestartsAtStart, boolean staleAtStart) {}

    @Test
    void invariantsHoldOnRandomInterleavings() {
        long first = Long.getLong("o2net.core.seed", 1);
        int seeds = Integer.getInteger("o2net.core.seeds", 300);
        int[] faults = new int[4];
        for (long seed = first; seed < first + seeds; seed++) {
            run(seed, faults);
        }
        // The runs must have exercised the faults they are about, or they prove little.
        assertTrue(faults[0] > seeds, "resets: " + faults[0]);
        assertTrue(faults[1] > seeds / 4, "restarts: " + faults[1]);
        assertTrue(faults[2] > 0, "duplicates: " + faults[2]);
        assertTrue(faults[3] > 0, "orphans: " + faults[3]);
    }

    private static void run(long seed, int[] faults) {
        SplittableRandom rnd = new SplittableRandom(seed);
        CorePair p = new CorePair(true);
        List<Call> calls = new ArrayList<>();
        Map<Integer, Integer> restarts = new HashMap<>(Map.of(S, 0, R, 0));
        // What each node's heartbeat believes of the other: the incarnation it last saw alive, 0 once declared dead.
        Map<Integer, Long> hbView =
                new HashMap<>(Map.of(S, p.core(R).incarnation(), R, p.core(S).incarnation()));
        int budget = 4;
        boolean connected = false;
        for (int step = 0; step < STEPS; step++) {
            String what;
            int n = rnd.nextBoolean() ? S : R;
            int other = n == S ? R : S;
            int dice = rnd.nextInt(100);
            if (dice < 18 && calls.size() < 12) {
                what = "call " + n;
                if (p.core(n).peerAlive()) {
                    long actual = p.core(other).incarnation();
                    calls.add(new Call(
                            n, "n" + n + "-" + calls.size(), null, restarts.get(other), hbView.get(n) != actual));
                    Call c = calls.get(calls.size() - 1);
                    calls.set(
                            calls.size() - 1,
                            new Call(c.from, c.payload, p.call(n, c.payload), c.peerRestartsAtStart, c.staleAtStart));
                }
            } else if (dice < 50) {
                what = "deliver to " + n;
                p.deliver(n);
            } else if (dice < 70) {
                what = "handler on " + n;
                p.finishHandler(n);
            } else if (dice < 78 && connected && budget > 0) {
                what = "reset";
                p.reset();
                connected = false;
                budget--;
                faults[0]++;
            } else if (dice < 90
                    && !connected
                    && p.core(S).peerAlive()
                    && p.core(R).peerAlive()) {
                what = "connect";
                p.connect();
                connected = true;
            } else if (dice < 93 && budget > 0) {
                what = "restart " + n;
                int orphansBefore = p.core(other).orphanCount();
                p.restart(n);
                restarts.merge(n, 1, Integer::sum);
                hbView.put(n, p.core(other).incarnation()); // the restarted node's heartbeat sees its peer alive
                connected = false;
                budget--;
                faults[1]++;
                faults[3] += orphansBefore;
            } else if (dice < 97) {
                // Heartbeat of `other` notices n's restart (if any) and declares the incarnation it knew dead.
                long known = hbView.get(other);
                if (known != 0 && known != p.core(n).incarnation()) {
                    what = "node-down of " + n + " seen by " + other;
                    p.core(other).nodeDown(known, p.now());
                    hbView.put(other, 0L);
                    connected = p.core(other).connected();
                } else {
                    what = "nothing";
                }
            } else {
                if (hbView.get(other) == 0) {
                    what = "node-up of " + n + " seen by " + other;
                    hbView.put(other, p.core(n).incarnation());
                    p.core(other).nodeUp(p.core(n).incarnation(), p.now());
                } else {
                    what = "nothing";
                }
            }
            if (Boolean.getBoolean("o2net.core.verbose")) {
                System.out.println("seed " + seed + " step " + step + ": " + what + "  S="
                        + p.core(S).heldView() + " R=" + p.core(R).heldView() + " inbox S=" + p.side(S).inbox + " R="
                        + p.side(R).inbox);
            }
            check(seed, step, what, p, calls, restarts);
        }
        // Faults stop: heartbeat catches up, the connection is made again, everything drains.
        for (int n : new int[] {S, R}) {
            int other = n == S ? R : S;
            long known = hbView.get(other);
            if (known != 0 && known != p.core(n).incarnation()) {
                p.core(other).nodeDown(known, p.now());
            }
            if (!p.core(other).peerAlive()) {
                p.core(other).nodeUp(p.core(n).incarnation(), p.now());
            }
        }
        if (!p.core(S).connected() || !p.core(R).connected()) {
            p.reset();
            p.connect();
        }
        p.quiesce();
        check(seed, STEPS, "quiesce", p, calls, restarts);
        faults[2] += (int) (p.core(S).stats().duplicates + p.core(R).stats().duplicates);
        for (Call c : calls) {
            boolean abandoned = !sameCore(p, c);
            if (!abandoned && !c.waiter.future().isDone()) {
                fail("seed " + seed + ": call " + c.payload + " never returned");
            }
        }
        for (int n : new int[] {S, R}) {
            assertEquals(0, p.core(n).stats().mhCount, "seed " + seed + ": MHs left on node " + n);
            assertEquals(0, p.core(n).stats().heldCount, "seed " + seed + ": held messages left on node " + n);
            assertEquals(0, p.core(n).orphanCount(), "seed " + seed + ": orphans left on node " + n);
        }
    }

    /** False if the call's node restarted after the call: its caller is gone (the spec's "abandoned"). */
    private static boolean sameCore(CorePair p, Call c) {
        return p.core(c.from).calls().contains(c.waiter) || c.waiter.future().isDone();
    }

    private static void check(
            long seed, int step, String what, CorePair p, List<Call> calls, Map<Integer, Integer> restarts) {
        String where = "seed " + seed + " step " + step + " (" + what + "): ";
        for (Map.Entry<String, Integer> e : p.runs.entrySet()) {
            if (e.getValue() > 1) {
                fail(where + "ExactlyOnceInv: the handler of " + e.getKey() + " ran " + e.getValue() + " times");
            }
        }
        for (Call c : calls) {
            if (c.waiter == null || !c.waiter.future().isDone()) {
                continue;
            }
            CallResult r = c.waiter.future().join();
            if (r.sysStatus() == SysStatus.NONE) {
                if (r.status() != CorePair.statusOf(c.payload.getBytes()) || p.runs.getOrDefault(c.payload, 0) != 1) {
                    fail(where + "StatusFidelityInv: " + c.payload + " returned " + r);
                }
                int peer = c.from == S ? R : S;
                for (MessageHolder mh : p.core(peer).messageHolders()) {
                    if (new String(mh.msg().payload()).equals(c.payload)) {
                        fail(where + "NoLeakInv: " + c.payload + " returned but its MH is still on node " + peer);
                    }
                }
            } else if (r.sysStatus() == SysStatus.DIED) {
                int peer = c.from == S ? R : S;
                if (restarts.get(peer) == c.peerRestartsAtStart && !c.staleAtStart) {
                    fail(where + "HostDownInv: " + c.payload + " failed with EHOSTDOWN but node " + peer
                            + " did not restart");
                }
            } else {
                fail(where + c.payload + " ended with " + r);
            }
        }
    }
}
