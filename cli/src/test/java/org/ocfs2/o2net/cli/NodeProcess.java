// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One {@code o2net} command as its own {@code java} process, with this module's class path; its stdout and stderr
 * lines are kept as they come, so a test can wait for a line (a log notice) with a generous upper bound.
 */
final class NodeProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private NodeProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.reader = new Thread(this::readLines, "output of " + name);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Starts {@code o2net args...} in a new JVM, in {@code dir}. */
    static NodeProcess start(String name, Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx128m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(O2netCli.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        return new NodeProcess(name, pb.start());
    }

    /** The test class path (surefire's, with target/classes and every dependency). */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        return String.join(File.pathSeparator, cp.split(File.pathSeparator));
    }

    private void readLines() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        synchronized (lines) {
            lines.notifyAll();
        }
    }

    /** Waits for an output line that matches; fails after {@code seconds} (an upper bound) with the output so far. */
    String awaitLine(String what, Predicate<String> match, long seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int seen = 0;
        synchronized (lines) {
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (match.test(lines.get(seen))) {
                        return lines.get(seen);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
                    fail(name + ": no line with " + what + " within " + seconds + " s (process "
                            + (process.isAlive() ? "running" : "exited " + process.exitValue()) + ")\n" + output());
                }
                try {
                    lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail("interrupted");
                }
            }
        }
    }

    String awaitLine(String contains, long seconds) {
        return awaitLine("'" + contains + "'", l -> l.contains(contains), seconds);
    }

    /**
     * Sends SIGTERM. Through the {@link ProcessHandle}: {@link Process#destroy()} also closes the pipes, and the
     * node's last lines would be lost.
     */
    void terminate() {
        process.toHandle().destroy(); // SIGTERM on Linux
    }

    /** Waits for the process to exit; fails after {@code seconds}. */
    int awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            fail(name + " did not exit within " + seconds + " s\n" + output());
        }
        reader.join(TimeUnit.SECONDS.toMillis(seconds));
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() {
        synchronized (lines) {
            return "---- " + name + " output:\n" + String.join("\n", lines) + "\n----";
        }
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
