// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ocfs2.o2net.spec.chart.SequenceChart;
import org.ocfs2.o2net.spec.chart.SvgChart;

/**
 * A conformance failure kept for a person and for the main job's report, under {@code target/failures/<tier>/}:
 * {@code <file>-<index>.jsonl} (the trace alone, replayable with {@code -Dconformance.trace=<its absolute path>#0}),
 * {@code <file>-<index>.txt} (the failure, its text chart included) and {@code <file>-<index>.svg} (the chart, which
 * the report shows beside the text).
 */
final class KeptFailure {
    /** Where failures are kept: {@code <tier>/} below it. */
    static final Path ROOT = Generated.OUT.toAbsolutePath().getParent().resolve("failures");

    private KeptFailure() {}

    /** Writes the three files of {@code f}, a failure of {@code t}, into {@code dir}. */
    static void keep(Path dir, Trace t, ConformanceFailure f) {
        try {
            Files.createDirectories(dir);
            String base = t.name().replace('#', '-');
            Trace.write(dir.resolve(base + ".jsonl"), List.of(t));
            Files.writeString(dir.resolve(base + ".txt"), f.getMessage());
            SequenceChart chart = DivergenceChart.of(f);
            if (chart != null) {
                Files.writeString(dir.resolve(base + ".svg"), SvgChart.render(chart));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
