// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench.load;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop load: {@code concurrency} threads, each with its own {@link Target.Caller}, call back to back with a
 * payload of {@code payloadBytes} for a warm-up and then a measured period, each a {@link Span}: a fixed time (the
 * benchmark) or a number of calls (the tests, which must not depend on how much work a loaded machine does in a
 * window). Each call's payload starts with a number
 * unique to the call, and the status that comes back is checked against {@link Target#statusOf}: a wrong status or
 * a failed call is counted as an error (the first one kept, and that caller stops), never silently dropped.
 * <p>
 * Measured over the measured period only: calls completed, the latency of each (from before the call to its return,
 * recorded in an HdrHistogram, 3 significant digits), the JVM's CPU time and the bytes allocated by every thread of
 * the JVM ({@code com.sun.management.ThreadMXBean}; both ends run in this JVM, so these are per call for client and
 * server together), and where Linux {@code perf} is allowed the system calls of the whole process
 * ({@link SyscallCounter}).
 * <p>
 * The bytes are counted per thread: each caller counts its own from the first call of the measured period to its
 * last (a caller thread has ended by the time the run adds up, and a thread that has ended reports nothing), every
 * other thread is counted from the start of the period to its end, a thread that started meanwhile from zero.
 */
public final class LoadRun {
    private static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private LoadRun() {}

    /** What one run measured. */
    public record Result(
            String target,
            int concurrency,
            int payloadBytes,
            long calls,
            double seconds,
            Histogram latency,
            long errors,
            String firstError,
            long allocatedBytes,
            long cpuNanos,
            Map<String, Long> syscalls) {
        public double callsPerSecond() {
            return calls / seconds;
        }

        /** A latency percentile in microseconds. */
        public double micros(double percentile) {
            return latency.getValueAtPercentile(percentile) / 1000.0;
        }

        public double allocatedPerCall() {
            return calls == 0 ? 0 : (double) allocatedBytes / calls;
        }

        /** System calls per call (both ends), or NaN where they were not counted. */
        public double syscallsPerCall() {
            return syscallsPerCall("all");
        }

        /** Calls of one system call ({@code write}, {@code read}, {@code epoll_wait}, {@code futex}) per call. */
        public double syscallsPerCall(String name) {
            Long n = syscalls.get(name);
            return n == null || calls == 0 ? Double.NaN : (double) n / calls;
        }

        public double cpuMicrosPerCall() {
            return calls == 0 ? 0 : cpuNanos / 1000.0 / calls;
        }
    }

    /** Runs the load on a started target for a timed warm-up and a timed measurement. */
    public static Result run(Target target, int concurrency, int payloadBytes, Duration warmup, Duration measure)
            throws Exception {
        return run(target, concurrency, payloadBytes, Span.of(warmup), Span.of(measure));
    }

    /**
     * Runs the load on a started target. A counted span ends when the callers have completed its calls, when every
     * caller has stopped on an error, or at its limit. The system calls are counted only over a timed measurement.
     *
     * @throws IllegalStateException if a caller thread does not stop within a minute of the end (its stack is in the
     *                               message)
     */
    public static Result run(Target target, int concurrency, int payloadBytes, Span warmup, Span measure)
            throws Exception {
        if (payloadBytes < 4) {
            throw new IllegalArgumentException("payload of " + payloadBytes + " bytes: the call number needs 4");
        }
        // 0: warm-up, 1: measuring, 2: stop
        AtomicInteger phase = new AtomicInteger();
        List<Worker> workers = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(concurrency);
        CountDownLatch go = new CountDownLatch(1);
        // reached[p]: counts down once per call completed in phase p, opened at once when every caller has stopped
        CountDownLatch[] reached = {new CountDownLatch(warmup.calls()), new CountDownLatch(measure.calls())};
        AtomicInteger running = new AtomicInteger(concurrency);
        for (int i = 0; i < concurrency; i++) {
            Worker w = new Worker(i, target.caller(), payloadBytes, phase, ready, go, reached, running);
            workers.add(w);
            w.thread.start();
        }
        ready.await();
        go.countDown();
        await(warmup, reached[0]);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Map<Long, Long> alloc0 = allocatedByThread(threads, workers);
        long cpu0 = os.getProcessCpuTime();
        SyscallCounter sys = measure.counted() ? null : SyscallCounter.start(measure.time());
        long t0 = System.nanoTime();
        phase.set(1);
        await(measure, reached[1]);
        phase.set(2);
        long t1 = System.nanoTime();
        Map<String, Long> syscalls = sys == null ? Map.of() : sys.await();
        long cpu1 = os.getProcessCpuTime();
        Map<Long, Long> alloc1 = allocatedByThread(threads, workers);
        Histogram all = new Histogram(MAX_LATENCY_NANOS, 3);
        long allocated = 0;
        for (Map.Entry<Long, Long> e : alloc1.entrySet()) {
            allocated += e.getValue() - alloc0.getOrDefault(e.getKey(), 0L);
        }
        long calls = 0;
        long errors = 0;
        String firstError = null;
        for (Worker w : workers) {
            w.thread.join(TimeUnit.SECONDS.toMillis(60));
            if (w.thread.isAlive()) {
                StringBuilder sb = new StringBuilder();
                for (StackTraceElement e : w.thread.getStackTrace()) {
                    sb.append("\n\tat ").append(e);
                }
                throw new IllegalStateException(target.name() + ": caller " + w.index + " still in a call a minute "
                        + "after the end of the run:" + sb);
            }
            w.caller.close();
            allocated += w.allocatedBytes();
            all.add(w.histogram);
            calls += w.calls;
            errors += w.errors;
            if (firstError == null) {
                firstError = w.firstError;
            }
        }
        return new Result(
                target.name(),
                concurrency,
                payloadBytes,
                calls,
                (t1 - t0) / 1e9,
                all,
                errors,
                firstError,
                allocated,
                cpu1 - cpu0,
                syscalls);
    }

    private static void await(Span span, CountDownLatch reached) throws InterruptedException {
        if (span.counted()) {
            reached.await(span.limit().toNanos(), TimeUnit.NANOSECONDS);
        } else {
            Thread.sleep(span.time().toMillis());
        }
    }

    /** The bytes allocated so far by each live thread but the callers (which count their own), by thread id. */
    private static Map<Long, Long> allocatedByThread(com.sun.management.ThreadMXBean threads, List<Worker> workers) {
        Set<Long> callers = new HashSet<>();
        for (Worker w : workers) {
            callers.add(w.thread.getId());
        }
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        Map<Long, Long> out = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0 && !callers.contains(ids[i])) {
                out.put(ids[i], bytes[i]);
            }
        }
        return out;
    }

    private static final class Worker implements Runnable {
        final int index;
        final Target.Caller caller;
        final Thread thread;
        final Histogram histogram = new Histogram(MAX_LATENCY_NANOS, 3);
        private final byte[] payload;
        private final AtomicInteger phase;
        private final CountDownLatch ready;
        private final CountDownLatch go;
        private final CountDownLatch[] reached;
        private final AtomicInteger running;
        long calls;
        long errors;
        String firstError;
        /** This thread's allocated bytes when it began its first measured call, and when it stopped; -1 if never. */
        private long allocStart = -1;

        private long allocEnd = -1;

        Worker(
                int index,
                Target.Caller caller,
                int payloadBytes,
                AtomicInteger phase,
                CountDownLatch ready,
                CountDownLatch go,
                CountDownLatch[] reached,
                AtomicInteger running) {
            this.index = index;
            this.caller = caller;
            this.payload = new byte[payloadBytes];
            for (int i = 4; i < payloadBytes; i++) {
                payload[i] = (byte) (i * 7 + index);
            }
            this.phase = phase;
            this.ready = ready;
            this.go = go;
            this.reached = reached;
            this.running = running;
            this.thread = new Thread(this, "bench-caller-" + index);
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                callUntilStopped();
            } finally {
                if (running.decrementAndGet() == 0) {
                    for (CountDownLatch l : reached) {
                        while (l.getCount() > 0) {
                            l.countDown();
                        }
                    }
                }
            }
        }

        private void callUntilStopped() {
            ready.countDown();
            try {
                go.await();
            } catch (InterruptedException e) {
                return;
            }
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            try {
                callPhases(threads);
            } finally {
                if (allocStart >= 0) {
                    allocEnd = threads.getCurrentThreadAllocatedBytes();
                }
            }
        }

        /** Bytes this caller allocated over its measured calls (read after the thread has ended). */
        long allocatedBytes() {
            return allocStart < 0 || allocEnd < 0 ? 0 : allocEnd - allocStart;
        }

        private void callPhases(com.sun.management.ThreadMXBean threads) {
            int seq = 0;
            for (int p = phase.get(); p != 2; p = phase.get()) {
                if (p == 1 && allocStart < 0) {
                    allocStart = threads.getCurrentThreadAllocatedBytes();
                }
                int id = index << 24 | (seq++ & 0xffffff);
                FloorTarget.putInt(payload, 0, id);
                int expected = Target.statusOf(payload);
                long start = System.nanoTime();
                try {
                    int status = caller.call(payload);
                    long took = System.nanoTime() - start;
                    if (status != expected) {
                        fail("call " + Integer.toHexString(id) + " got status " + status + ", expected " + expected);
                        return;
                    }
                    if (p == 1) {
                        calls++;
                        histogram.recordValue(Math.min(took, MAX_LATENCY_NANOS));
                    }
                    reached[p].countDown();
                } catch (Exception e) {
                    fail("call " + Integer.toHexString(id) + " failed: " + e);
                    return;
                }
            }
        }

        private void fail(String what) {
            errors++;
            if (firstError == null) {
                firstError = what;
            }
        }
    }
}
