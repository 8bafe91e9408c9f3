// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.fault;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * Runs a property over generated {@link FaultSchedule}s, transport-agnostic: the caller's {@code run} function
 * performs one schedule (against an in-memory model, a real cluster, ...) and returns an {@link Outcome}.
 * <p>
 * Seed {@code i} of a check is {@code firstSeed + i}, for {@code i} in {@code 0..count-1}; each schedule is
 * {@code new ScheduleGenerator(config).generate(seed)}. On the first failing schedule the check shrinks it with
 * {@link Shrinker} (re-running {@code run} on candidates) and throws an {@link AssertionError} whose message has the
 * seed, the failure, the minimal schedule in text form with a ready {@code -Do2net.schedule='...'} option, the number
 * of shrink runs, the original failure and schedule, and the generator config. If {@code run} threw, its exception
 * is the error's cause. {@code run} throwing a {@link RuntimeException} or {@link AssertionError} counts as a
 * failure described by the exception's {@code toString()}; returning null is an error in the caller.
 * <p>
 * System properties, read by {@link #forAll} and {@link #fromProperties}:
 * <ul>
 * <li>{@value #SEEDS}: how many seeds to run, 1 or more; overrides the test's count (CI runs the small number the
 * test gives, a developer can ask for thousands);</li>
 * <li>{@value #SEED}: the first seed, overrides the test's; {@code -Do2net.seed=S -Do2net.seeds=1} reruns seed S;
 * </li>
 * <li>{@value #SCHEDULE}: replay this one schedule instead of generating any: its text form (lines may be separated
 * by {@code ';'}), or {@code @path} to read it from a file; failures still shrink. It applies to every check in the
 * JVM, so select the test too ({@code -Dtest=...});</li>
 * <li>{@value #SHRINK_RUNS}: the most runs spent shrinking, 0 or more (0: report the failing schedule as is);
 * default {@value Shrinker#DEFAULT_MAX_RUNS}.</li>
 * </ul>
 * Blank values count as unset. Malformed values throw {@link IllegalArgumentException} naming the property.
 */
public final class PropertyCheck {
    /** System property: how many seeds to run. */
    public static final String SEEDS = "o2net.seeds";
    /** System property: the first seed. */
    public static final String SEED = "o2net.seed";
    /** System property: a schedule to replay, as text or {@code @path}. */
    public static final String SCHEDULE = "o2net.schedule";
    /** System property: the bound on shrink runs. */
    public static final String SHRINK_RUNS = "o2net.shrinkRuns";
    /** The first seed when neither the test nor {@value #SEED} gives one. */
    public static final long DEFAULT_SEED = 1;
    /** The number of seeds when neither the test nor {@value #SEEDS} gives one. */
    public static final int DEFAULT_SEEDS = 100;

    private final long firstSeed;
    private final int count;
    private final FaultSchedule replay;
    private final int maxShrinkRuns;

    private PropertyCheck(long firstSeed, int count, FaultSchedule replay, int maxShrinkRuns) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be 1 or more, was " + count);
        }
        if (maxShrinkRuns < 0) {
            throw new IllegalArgumentException("maxShrinkRuns must be 0 or more, was " + maxShrinkRuns);
        }
        this.firstSeed = firstSeed;
        this.count = count;
        this.replay = replay;
        this.maxShrinkRuns = maxShrinkRuns;
    }

    /** Returns a check of seeds {@code firstSeed .. firstSeed+count-1}, ignoring system properties. */
    public static PropertyCheck of(long firstSeed, int count) {
        return new PropertyCheck(firstSeed, count, null, Shrinker.DEFAULT_MAX_RUNS);
    }

    /** Returns {@link #of} with the arguments overridden by the system properties that are set. */
    public static PropertyCheck fromProperties(long firstSeed, int count) {
        return fromProperties(System.getProperties(), firstSeed, count);
    }

    /** Returns {@link #of} with the arguments overridden by the properties that are set in {@code properties}. */
    public static PropertyCheck fromProperties(Properties properties, long firstSeed, int count) {
        String seeds = value(properties, SEEDS);
        String seed = value(properties, SEED);
        String schedule = value(properties, SCHEDULE);
        String shrinkRuns = value(properties, SHRINK_RUNS);
        int n = seeds == null ? count : (int) number(SEEDS, seeds, 1, Integer.MAX_VALUE);
        long first = seed == null ? firstSeed : number(SEED, seed, Long.MIN_VALUE, Long.MAX_VALUE);
        int runs = shrinkRuns == null
                ? Shrinker.DEFAULT_MAX_RUNS
                : (int) number(SHRINK_RUNS, shrinkRuns, 0, Integer.MAX_VALUE);
        return new PropertyCheck(first, n, schedule == null ? null : schedule(schedule), runs);
    }

    /** Returns this check with another bound on shrink runs. */
    public PropertyCheck withMaxShrinkRuns(int maxShrinkRuns) {
        return new PropertyCheck(firstSeed, count, replay, maxShrinkRuns);
    }

    /** Returns this check replaying {@code schedule} instead of generating schedules. */
    public PropertyCheck replaying(FaultSchedule schedule) {
        return new PropertyCheck(firstSeed, count, requireNonNull(schedule, "schedule"), maxShrinkRuns);
    }

    public long firstSeed() {
        return firstSeed;
    }

    public int count() {
        return count;
    }

    /** Returns the schedule to replay, if this check replays one. */
    public Optional<FaultSchedule> replay() {
        return Optional.ofNullable(replay);
    }

    public int maxShrinkRuns() {
        return maxShrinkRuns;
    }

    /**
     * Runs {@code run} on each schedule of this check, in seed order, stopping at the first failure.
     *
     * @return the number of schedules run, all passing
     * @throws AssertionError on a failure, after shrinking it (see the class documentation)
     */
    public int check(GeneratorConfig config, Function<FaultSchedule, Outcome> run) {
        requireNonNull(config, "config");
        Runs runs = new Runs(requireNonNull(run, "run"));
        if (replay != null) {
            Outcome o = runs.run(replay);
            if (o.failed()) {
                throw failure(config, runs, replay, o, "replayed schedule (" + SCHEDULE + "), seed " + replay.seed());
            }
            return 1;
        }
        ScheduleGenerator generator = new ScheduleGenerator(config);
        for (int i = 0; i < count; i++) {
            long seed = firstSeed + i;
            FaultSchedule s = generator.generate(seed);
            Outcome o = runs.run(s);
            if (o.failed()) {
                throw failure(
                        config,
                        runs,
                        s,
                        o,
                        "seed " + seed + " (seed " + (i + 1) + " of " + count + " from " + firstSeed + "; rerun: -D"
                                + SEED + "=" + seed + " -D" + SEEDS + "=1)");
            }
        }
        return count;
    }

    /**
     * Checks {@code run} on {@value #DEFAULT_SEEDS} schedules from seed {@value #DEFAULT_SEED}, or as the system
     * properties say.
     */
    public static void forAll(GeneratorConfig config, Function<FaultSchedule, Outcome> run) {
        forAll(config, DEFAULT_SEED, DEFAULT_SEEDS, run);
    }

    /**
     * Checks {@code run} on {@code count} schedules from seed {@code firstSeed}, or as the system properties say.
     *
     * @throws AssertionError on a failure, after shrinking it (see the class documentation)
     */
    public static void forAll(GeneratorConfig config, long firstSeed, int count, Function<FaultSchedule, Outcome> run) {
        fromProperties(firstSeed, count).check(config, run);
    }

    private AssertionError failure(
            GeneratorConfig config, Runs runs, FaultSchedule original, Outcome outcome, String which) {
        Shrinker.Result r =
                new Shrinker(maxShrinkRuns).shrink(original, s -> runs.run(s).failed());
        FaultSchedule minimal = r.minimal();
        Outcome last = minimal.equals(original) ? outcome : runs.failures.get(minimal);
        StringBuilder b = new StringBuilder();
        b.append("o2net property failed for ").append(which).append('\n');
        b.append("failure: ").append(last.description()).append('\n');
        b.append("minimal schedule (")
                .append(minimal.size())
                .append(" events; ")
                .append(r.runs())
                .append(" shrink runs, ")
                .append(r.reductions())
                .append(" reductions")
                .append(r.exhausted() ? "; shrink bound " + maxShrinkRuns + " reached, may not be minimal" : "")
                .append("):\n");
        b.append(indent(minimal.format()));
        b.append("replay: -D")
                .append(SCHEDULE)
                .append("='")
                .append(minimal.formatInline())
                .append("'\n");
        b.append("original failure: ").append(outcome.description()).append('\n');
        b.append("original schedule (").append(original.size()).append(" events):\n");
        b.append(indent(original.format()));
        b.append("generator: ").append(config);
        Throwable cause = runs.thrown.containsKey(minimal) ? runs.thrown.get(minimal) : runs.thrown.get(original);
        return new AssertionError(b.toString(), cause);
    }

    /** Runs the caller's function, remembering failures and exceptions by schedule. */
    private static final class Runs {
        private final Function<FaultSchedule, Outcome> run;
        private final Map<FaultSchedule, Outcome> failures = new HashMap<>();
        private final Map<FaultSchedule, Throwable> thrown = new HashMap<>();

        Runs(Function<FaultSchedule, Outcome> run) {
            this.run = run;
        }

        Outcome run(FaultSchedule s) {
            Outcome o;
            try {
                o = run.apply(s);
            } catch (RuntimeException | AssertionError e) {
                thrown.put(s, e);
                o = Outcome.fail(e.toString());
            }
            if (o == null) {
                throw new IllegalStateException("run returned null for schedule " + s.formatInline());
            }
            if (o.failed()) {
                failures.put(s, o);
            }
            return o;
        }
    }

    private static String indent(String lines) {
        return lines.replaceAll("(?m)^(?=.)", "  ");
    }

    private static String value(Properties properties, String name) {
        String v = properties.getProperty(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static long number(String name, String value, long min, long max) {
        long v;
        try {
            v = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    name + " must be a whole number " + min + ".." + max + ", was '" + value + "'", e);
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", was " + v);
        }
        return v;
    }

    private static FaultSchedule schedule(String value) {
        String text = value;
        if (value.startsWith("@")) {
            Path path = Path.of(value.substring(1));
            try {
                text = Files.readString(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(SCHEDULE + ": cannot read " + path, e);
            }
        }
        try {
            return FaultSchedule.parse(text);
        } catch (ScheduleFormatException e) {
            throw new IllegalArgumentException(SCHEDULE + ": " + e.getMessage(), e);
        }
    }
}
