// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench.micro;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.ocfs2.o2net.bench.Table;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the JMH micro-benchmarks, {@link CoreCallBench} and {@link CodecBench}, with JMH's {@link Runner} and returns
 * their results as one table: average time per operation in nanoseconds with its 99.9% confidence half-width, and
 * bytes allocated per operation ({@code gc.alloc.rate.norm} of JMH's {@link GCProfiler}).
 * <p>
 * One fork per benchmark and parameter set: 3 warmup and 5 measurement iterations of 1 s each, or in quick mode one
 * of each, 200 ms long (too few for a confidence interval: the column then reads "n/a"). The forked JVMs get this
 * JVM's class path ({@code java.class.path}), the JVM options this one was started with, then (not in quick mode) a
 * fixed, pre-touched heap ({@code -Xms512m -Xmx512m -XX:+AlwaysPreTouch}: without it the first seconds of each fork
 * measure the kernel faulting in fresh heap pages, on a VM where that is slow). Run as
 * {@code java -jar o2net-bench.jar} the class path is the jar alone, and the forks find the dependencies through the
 * jar manifest's {@code Class-Path} (lib/*.jar next to the jar), as this JVM does.
 */
public final class MicroBench {
    /**
     * A fixed heap, touched at start: on a VM whose memory is faulted in on first touch (this one's, a Firecracker
     * guest), allocating 4 KB payloads into fresh heap ran 40 times slower for the first seconds of each fork.
     */
    private static final String[] FORK_JVM_ARGS = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"};

    private static final int WARMUPS = 3;
    private static final int MEASUREMENTS = 5;

    private MicroBench() {}

    /** Runs the micro-benchmarks; {@code quick} for a smoke run of a few seconds per benchmark. */
    public static Table run(boolean quick) {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include(Pattern.quote(CoreCallBench.class.getName()) + "\\.")
                .include(Pattern.quote(CodecBench.class.getName()) + "\\.")
                .mode(Mode.AverageTime)
                .timeUnit(TimeUnit.NANOSECONDS)
                .forks(1)
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true)
                .verbosity(quick ? VerboseMode.SILENT : VerboseMode.NORMAL);
        if (quick) {
            b.warmupIterations(1)
                    .warmupTime(TimeValue.milliseconds(200))
                    .measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(200));
        } else {
            b.jvmArgsAppend(FORK_JVM_ARGS)
                    .warmupIterations(WARMUPS)
                    .warmupTime(TimeValue.seconds(1))
                    .measurementIterations(MEASUREMENTS)
                    .measurementTime(TimeValue.seconds(1));
        }
        Collection<RunResult> results;
        try {
            results = new Runner(b.build()).run();
        } catch (RunnerException e) {
            throw new IllegalStateException("JMH failed: " + e.getMessage(), e);
        }
        return table(results, quick);
    }

    private static Table table(Collection<RunResult> results, boolean quick) {
        List<RunResult> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparing((RunResult r) -> name(r))
                .thenComparing(r -> r.getParams().getParam("protocol"))
                .thenComparingInt(r -> Integer.parseInt(r.getParams().getParam("payload"))));
        Table t = new Table(
                "JMH micro-benchmarks: one call through two in-process cores, one frame codec round trip",
                "benchmark",
                "protocol",
                "payload B",
                "ns/op",
                "± (99.9%)",
                "B/op");
        for (RunResult r : sorted) {
            Result<?> p = r.getPrimaryResult();
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            double err = p.getScoreError();
            t.row(
                    name(r),
                    r.getParams().getParam("protocol"),
                    r.getParams().getParam("payload"),
                    Table.fixed(p.getScore(), 1),
                    Double.isNaN(err) ? "n/a" : Table.fixed(err, 1),
                    alloc == null ? "n/a" : Table.fixed(alloc.getScore(), 0));
        }
        t.note("JMH "
                + (quick
                        ? "quick run: 1 warmup and 1 measurement iteration of 200 ms, 1 fork (too short to "
                                + "warm up: the times are not a measurement)"
                        : WARMUPS + " warmup and " + MEASUREMENTS + " measurement iterations " + "of 1 s, 1 fork ("
                                + String.join(" ", FORK_JVM_ARGS) + ")")
                + ", mode AverageTime, single thread; "
                + "B/op is the GC profiler's gc.alloc.rate.norm (bytes allocated per operation).");
        t.note(
                "CoreCallBench.call: one whole call from PeerCore.send until the core completes it, two cores wired "
                        + "in-process (frames handed over as objects, handler run inline): v11 is MSG + STATUS, v12 is MSG + "
                        + "STATUS + MH_REMOVE + MH_REMOVED, v13 MSG + STATUS, the next MSG carrying the ack. No Netty, no sockets, no threads: the protocol's own cost.");
        t.note("CodecBench.roundTrip: one MSG frame encoded by FrameEncoder into a pooled direct buffer and decoded by "
                + "FrameDecoder (in a reused EmbeddedChannel); v12 adds the 8-byte msg_seq extension, v13 the 16-byte msg_seq and ack. "
                + "4072 B is o2net's largest payload (a 4096-byte v11 frame).");
        return t;
    }

    private static String name(RunResult r) {
        String full = r.getParams().getBenchmark();
        int dot = full.lastIndexOf('.', full.lastIndexOf('.') - 1);
        return full.substring(dot + 1);
    }

    /** Runs the micro-benchmarks and prints the table; {@code --quick} for a short run. */
    public static void main(String[] args) {
        boolean quick = List.of(args).contains("--quick");
        long start = System.nanoTime();
        Table t = run(quick);
        System.out.println();
        System.out.println(t.markdown());
        System.out.printf("MicroBench took %.1f s%n", (System.nanoTime() - start) / 1e9);
    }
}
