// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.fault;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Produces {@link FaultSchedule}s from a seed: the same seed and {@link GeneratorConfig} always give the same
 * schedule (the only source of randomness is a {@link SplittableRandom} made from the seed).
 * <p>
 * For each step {@code 0..steps-1} the generator picks a kind by weight and emits one event of it at that step, its
 * fields uniform in range: two distinct nodes for {@link Fault.Call}, {@link Fault.Reset} and
 * {@link Fault.HoldFrames}; count, millis and frames from 1 to their maximum. {@link FaultKind#NODE_DOWN} emits a
 * {@link Fault.NodeDown} and a {@link Fault.Restart} of the same node at the same step, in random order: the node
 * dies and comes back, and the heartbeat layer notices before or after the new incarnation appears.
 */
public final class ScheduleGenerator {
    private final GeneratorConfig config;

    public ScheduleGenerator(GeneratorConfig config) {
        this.config = requireNonNull(config, "config");
    }

    public GeneratorConfig config() {
        return config;
    }

    /** Returns the schedule for {@code seed}. */
    public FaultSchedule generate(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = config.nodes();
        int total = 0;
        for (FaultKind kind : FaultKind.values()) {
            total += config.weight(kind);
        }
        List<Fault> faults = new ArrayList<>();
        for (int step = 0; step < config.steps(); step++) {
            FaultKind kind = pick(random, total);
            switch (kind) {
                case CALL: {
                    int from = random.nextInt(n);
                    int to = other(random, n, from);
                    faults.add(new Fault.Call(step, from, to, 1 + random.nextInt(config.maxCalls())));
                    break;
                }
                case RESET: {
                    int a = random.nextInt(n);
                    faults.add(new Fault.Reset(step, a, other(random, n, a)));
                    break;
                }
                case RESTART:
                    faults.add(new Fault.Restart(step, random.nextInt(n)));
                    break;
                case NODE_DOWN: {
                    int node = random.nextInt(n);
                    Fault down = new Fault.NodeDown(step, node);
                    Fault restart = new Fault.Restart(step, node);
                    boolean downFirst = random.nextBoolean();
                    faults.add(downFirst ? down : restart);
                    faults.add(downFirst ? restart : down);
                    break;
                }
                case PAUSE:
                    faults.add(new Fault.Pause(step, 1 + random.nextInt(config.maxPauseMillis())));
                    break;
                case HOLD_FRAMES: {
                    int from = random.nextInt(n);
                    int to = other(random, n, from);
                    faults.add(new Fault.HoldFrames(step, from, to, 1 + random.nextInt(config.maxHoldFrames())));
                    break;
                }
                default:
                    throw new AssertionError(kind);
            }
        }
        return new FaultSchedule(seed, n, faults);
    }

    private FaultKind pick(SplittableRandom random, int total) {
        int x = random.nextInt(total);
        for (FaultKind kind : FaultKind.values()) {
            x -= config.weight(kind);
            if (x < 0) {
                return kind;
            }
        }
        throw new AssertionError("weights changed under the generator");
    }

    /** Returns a node of {@code 0..n-1} other than {@code node}, uniformly. */
    private static int other(SplittableRandom random, int n, int node) {
        int x = random.nextInt(n - 1);
        return x >= node ? x + 1 : x;
    }
}
