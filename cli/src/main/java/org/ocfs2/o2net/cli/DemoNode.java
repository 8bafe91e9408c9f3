// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One node process of {@code o2net demo}: {@code o2net node} in its own JVM with the {@code ledger} handler and
 * opt-in fault injection, its output appended to {@code n<N>.log}, its ledger {@code n<N>.ledger} and admin socket
 * {@code n<N>.sock} in the demo's directory. It can be killed with SIGKILL and started again (a new heartbeat
 * generation, so a new incarnation); the ledger file stays.
 */
final class DemoNode {
    final int number;
    final Path socket;
    final Path ledger;
    private final Path log;
    private final List<String> args;
    private final String classPath;
    private final List<String> launcher;
    private volatile Process process;
    /** Incremented at every kill: a caller that saw it change knows its node died under it. */
    volatile int epoch;

    /**
     * @param launcher what runs the JVM, e.g. {@code ip netns exec NS} for a node in its own network namespace;
     *     empty for none
     */
    DemoNode(int number, Path dir, String classPath, List<String> launcher, List<String> nodeArgs) {
        this.number = number;
        this.launcher = List.copyOf(launcher);
        this.socket = dir.resolve("n" + number + ".sock");
        this.ledger = dir.resolve("n" + number + ".ledger");
        this.log = dir.resolve("n" + number + ".log");
        this.classPath = classPath;
        this.args = new ArrayList<>(nodeArgs);
        this.args.addAll(List.of(
                "--node-number",
                String.valueOf(number),
                "--admin-socket",
                socket.toString(),
                "--handlers",
                "ledger",
                "--ledger",
                ledger.toString(),
                "--fault-injection",
                "--fault-seed",
                String.valueOf(number)));
    }

    /** Starts the node's JVM (it then heartbeats, waits for the region to be steady and starts o2net). */
    void start() throws IOException {
        List<String> cmd = new ArrayList<>(launcher);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classPath));
        cmd.add(O2netCli.class.getName());
        cmd.add("node");
        cmd.addAll(args);
        process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    /** SIGKILL, as a node crash: nothing runs after it, the heartbeat block simply stops changing. */
    void kill() throws InterruptedException {
        epoch++;
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM and wait (the node fails its calls in progress with EHOSTDOWN and stops its heartbeat). */
    void stop() throws InterruptedException {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.toHandle().destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** Kills the process without waiting (interrupt, shutdown hook). */
    void destroy() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** One admin request; {@code null} if the node does not answer (not started yet, or dead). */
    JsonNode request(String verb, JsonNode args) {
        try {
            return AdminClient.request(socket, verb, args);
        } catch (CliException e) {
            return null;
        }
    }

    String logFile() {
        return log.toString();
    }

    /** The class path of this JVM, for the node processes. */
    static String ownClassPath() {
        return String.join(
                File.pathSeparator, System.getProperty("java.class.path").split(File.pathSeparator));
    }
}
