// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Counts the system calls this JVM makes over a period, with Linux {@code perf stat -e raw_syscalls:sys_enter -p
 * PID} (every thread of the process). Where {@code perf} is missing or not allowed, {@link #available()} is false and
 * the tables print "-".
 */
public final class SyscallCounter {
    private static final String EVENT = "raw_syscalls:sys_enter";
    /** The system calls counted one by one as well, where perf has their tracepoints. */
    private static final List<String> DETAIL = List.of("write", "read", "epoll_wait", "futex");

    private static final boolean AVAILABLE = probe();

    private final Process perf;

    private SyscallCounter(Process perf) {
        this.perf = perf;
    }

    /** Whether {@code perf} can count this process's system calls here. */
    public static boolean available() {
        return AVAILABLE;
    }

    /** Starts counting for {@code period}; null if counting is not available. */
    public static SyscallCounter start(Duration period) throws IOException {
        if (!AVAILABLE) {
            return null;
        }
        double seconds = period.toMillis() / 1000.0;
        return new SyscallCounter(
                new ProcessBuilder(command(ProcessHandle.current().pid(), seconds))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start());
    }

    /**
     * Waits for the period to end and returns the counts: "all" for every system call, and one entry per call of
     * {@link #DETAIL} perf could count; empty if perf failed.
     */
    public Map<String, Long> await() throws InterruptedException, IOException {
        if (!perf.waitFor(60, TimeUnit.SECONDS)) {
            perf.destroyForcibly();
            return Map.of();
        }
        String err = new String(perf.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, Long> m = new LinkedHashMap<>();
        long all = parse(err, EVENT);
        if (all >= 0) {
            m.put("all", all);
        }
        for (String d : DETAIL) {
            long n = parse(err, "syscalls:sys_enter_" + d);
            if (n >= 0) {
                m.put(d, n);
            }
        }
        return m;
    }

    private static List<String> command(long pid, double seconds) {
        StringBuilder events = new StringBuilder(EVENT);
        for (String d : DETAIL) {
            events.append(",syscalls:sys_enter_").append(d);
        }
        return List.of(
                "perf",
                "stat",
                "-x",
                ",",
                "-e",
                events.toString(),
                "-p",
                Long.toString(pid),
                "--",
                "sleep",
                String.format(Locale.ROOT, "%.3f", seconds));
    }

    /** The count of {@code event} in perf's CSV output ({@code value,unit,event,...}), -1 if there is none. */
    static long parse(String csv, String event) {
        for (String line : csv.split("\n")) {
            String[] f = line.split(",");
            if (f.length >= 3 && f[2].equals(event)) {
                try {
                    return Long.parseLong(f[0].trim());
                } catch (NumberFormatException e) {
                    return -1; // "<not supported>" or "<not counted>"
                }
            }
        }
        return -1;
    }

    private static boolean probe() {
        try {
            Process p = new ProcessBuilder(command(ProcessHandle.current().pid(), 0.2))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            // "<not counted>" only says this process made no system call in the probe; "<not supported>" is fatal
            String out = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.exitValue() == 0 && out.contains("," + EVENT + ",") && !out.contains("<not supported>");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
