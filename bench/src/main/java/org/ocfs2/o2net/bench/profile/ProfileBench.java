// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench.profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import one.profiler.AsyncProfiler;
import one.profiler.Counter;
import org.ocfs2.o2net.bench.load.LoadBench;
import org.ocfs2.o2net.bench.load.LoadRun;
import org.ocfs2.o2net.bench.load.Target;

/**
 * Where the time of a call goes: each target's closed loop at one caller and 64 B, profiled by async-profiler (CPU
 * samples of every thread of this JVM, perf events, kernel frames included where the kernel allows, else a timer)
 * while it runs, drawn as a {@link FlameGraph} picture; the collapsed stacks are written beside it. Then as long
 * again with its allocations sampled (every 4 KiB allocated, weighed in bytes): where the bytes of a call go.
 */
public final class ProfileBench {
    /** What one profile gave. */
    public record Result(
            String key,
            String target,
            long calls,
            double seconds,
            long samples,
            Path svg,
            Path collapsed,
            long allocCalls,
            long allocBytes,
            Path allocSvg) {
        /** Bytes allocated per call as the allocation profile saw them (every thread, both nodes). */
        public double bytesPerCall() {
            return allocCalls == 0 ? 0 : (double) allocBytes / allocCalls;
        }
    }

    private ProfileBench() {}

    /** Profiles each of {@code keys} (targets of {@link LoadBench#targets()}) for {@code measure}, after a warm-up. */
    public static List<Result> run(List<String> keys, Duration warmup, Duration measure, Path dir) throws Exception {
        Files.createDirectories(dir);
        AsyncProfiler profiler = AsyncProfiler.getInstance();
        Map<String, Supplier<Target>> targets = LoadBench.targets();
        List<Result> out = new ArrayList<>();
        for (String key : keys) {
            Supplier<Target> s = targets.get(key);
            if (s == null) {
                throw new IllegalArgumentException("no target " + key + " (targets: " + targets.keySet() + ")");
            }
            try (Target t = s.get()) {
                t.start();
                LoadRun.run(t, 1, 64, warmup, Duration.ZERO);
                String event = start(profiler);
                LoadRun.Result r = profiled(profiler, t, measure);
                String collapsed = profiler.dumpCollapsed(Counter.SAMPLES);
                FlameGraph.Node cpu = FlameGraph.parse(collapsed);
                Path txt = dir.resolve("flame-" + key + ".collapsed");
                Path svg = dir.resolve("flame-" + key + ".svg");
                Files.writeString(txt, collapsed);
                Files.writeString(
                        svg,
                        FlameGraph.svg(
                                t.name() + ": one caller, 64 B, " + r.calls() + " calls in "
                                        + String.format("%.1f", r.seconds()) + " s, CPU samples (" + event + ")",
                                "samples",
                                cpu));
                // then where the bytes go: allocations sampled every 4 KiB allocated, weighed in bytes
                profiler.execute("start,event=alloc,alloc=4k");
                LoadRun.Result a = profiled(profiler, t, measure);
                String bytes = profiler.dumpCollapsed(Counter.TOTAL);
                FlameGraph.Node alloc = FlameGraph.parse(bytes);
                long allocated = alloc.samples;
                Files.writeString(dir.resolve("flame-" + key + "-alloc.collapsed"), bytes);
                Path allocSvg = dir.resolve("flame-" + key + "-alloc.svg");
                Files.writeString(
                        allocSvg,
                        FlameGraph.svg(
                                t.name() + ": one caller, 64 B, " + a.calls() + " calls, bytes allocated"
                                        + String.format(" (%.0f B per call)", (double) allocated / a.calls()),
                                "bytes",
                                alloc));
                out.add(new Result(
                        key, t.name(), r.calls(), r.seconds(), cpu.samples, svg, txt, a.calls(), allocated, allocSvg));
            }
        }
        return out;
    }

    /** One caller's closed loop for {@code measure} while the profiler, started by the caller, runs; then stops it. */
    private static LoadRun.Result profiled(AsyncProfiler profiler, Target t, Duration measure) throws Exception {
        try {
            return LoadRun.run(t, 1, 64, Duration.ZERO, measure);
        } finally {
            profiler.stop();
        }
    }

    /** Starts CPU profiling: perf events if this process may use them, else the CPU timer. Returns which. */
    private static String start(AsyncProfiler profiler) throws IOException {
        try {
            profiler.execute("start,event=cpu,interval=100us,cstack=vm");
            return "perf events, every 100 µs of CPU";
        } catch (IllegalStateException | IllegalArgumentException e) {
            profiler.execute("start,event=itimer,interval=1ms");
            return "CPU timer, every 1 ms (perf events refused: " + e.getMessage() + ")";
        }
    }
}
