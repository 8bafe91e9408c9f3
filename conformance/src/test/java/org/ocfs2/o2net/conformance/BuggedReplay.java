// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ocfs2.o2net.spec.chart.SequenceChart;
import org.ocfs2.o2net.spec.chart.SvgChart;
import org.ocfs2.o2net.spec.chart.TextChart;

/**
 * The core tier's replay, run inside a {@link SeededCore} class loader: this class, {@link CoreDriver} and the
 * replayer are loaded there and so drive the core compiled in it. {@code SeededBugsTest} calls it by reflection and
 * gets plain JDK values back, since this loader's classes are not the test's.
 */
public final class BuggedReplay {
    private BuggedReplay() {}

    /**
     * Replays the traces of {@code file} in order until the first fails the conformance check.
     *
     * @return the failing trace, its step, the step's label (null, -1, null if none failed), the number of traces
     *     replayed, and what went wrong (the problem and the first difference of the states) with the divergence's
     *     chart as text and as SVG (nulls if none failed)
     */
    public static Object[] firstDetection(String file) {
        return firstDetection(file, 0);
    }

    /**
     * As {@link #firstDetection(String)}, on v13 cores with window {@code window} (AckO2net's traces) unless it is 0
     * (v12, ReliableO2net's).
     */
    public static Object[] firstDetection(String file, int window) {
        Path path = Path.of(file);
        int replayed = 0;
        try (BufferedReader in = Files.newBufferedReader(path)) {
            int index = 0;
            for (String line = in.readLine(); line != null; line = in.readLine(), index++) {
                Trace t = Trace.parse(line, path, index);
                replayed++;
                try {
                    Replayer.replay(t, driver(window));
                } catch (ConformanceFailure f) {
                    SequenceChart chart = DivergenceChart.of(f);
                    return new Object[] {
                        f.trace(),
                        f.step(),
                        f.label(),
                        replayed,
                        DivergenceChart.what(f.problem(), f.difference()),
                        chart == null ? null : TextChart.render(chart),
                        chart == null ? null : SvgChart.render(chart)
                    };
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Object[] {null, -1, null, replayed, null, null, null};
    }

    /** Replays trace {@code index} of {@code file}; throws if it does not conform. */
    public static void replay(String file, int index) {
        replay(file, index, 0);
    }

    /** Replays trace {@code index} of {@code file} on v13 cores with {@code window} (0: v12); throws if it fails. */
    public static void replay(String file, int index, int window) {
        Replayer.replay(Trace.read(Path.of(file), index), driver(window));
    }

    private static CoreDriver driver(int window) {
        return window == 0 ? new CoreDriver() : CoreDriver.v13(window);
    }

    /** The name of the class loader the core class was loaded by, so the test can check it is the seeded one. */
    public static String coreLoader() {
        return org.ocfs2.o2net.core.PeerCore.class.getClassLoader().getName();
    }
}
