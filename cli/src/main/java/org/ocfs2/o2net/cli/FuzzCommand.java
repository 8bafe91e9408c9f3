// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import io.netty.util.ResourceLeakDetector;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ocfs2.o2net.wire.DecoderErrorHandler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code o2net fuzz}: runs {@link WireFuzzer} and prints its report. Exit 0 if every input ended in frames or a typed
 * error and nothing leaked, 1 otherwise.
 */
@Command(
        name = "fuzz",
        mixinStandardHelpOptions = true,
        versionProvider = O2netCli.Version.class,
        description = {
            "Fuzz the receive path: mutated v11/v12/v13 handshakes and frames through the production decoders.",
            "Exit 0 if every input ended in decoded frames or one of the wire package's typed errors and no buffer"
                    + " leaked; 1 otherwise."
        })
final class FuzzCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--inputs",
            defaultValue = "1000000",
            paramLabel = "N",
            description = "inputs (default ${DEFAULT-VALUE})")
    long inputs;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "the seed (default ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() {
        if (inputs < 1) {
            throw new CliException(ExitCodes.USAGE, "--inputs must be >= 1, got " + inputs);
        }
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        // every refused input would log its notice: the report counts them instead
        System.setProperty("org.slf4j.simpleLogger.log." + DecoderErrorHandler.class.getName(), "off");
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        WireFuzzer.Report r = new WireFuzzer(seed).run(inputs, new WireFuzzer.Report());
        double secs = (System.nanoTime() - t0) / 1e9;
        out.print(report(r, seed, secs));
        out.flush();
        return r.untypedCount() == 0 && r.leaks == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    static String report(WireFuzzer.Report r, long seed, double secs) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "o2net fuzz: %,d inputs (%,d bytes), seed %d, %.1f s, Netty leak detection PARANOID%n",
                r.inputs,
                r.bytes,
                seed,
                secs));
        b.append(String.format(
                Locale.ROOT, "  handshakes accepted %,d, frames decoded %,d%n", r.handshakesAccepted, r.frames));
        b.append("  typed errors (the wire package's):\n");
        for (Map.Entry<String, Long> e : r.typed.entrySet()) {
            b.append(String.format(Locale.ROOT, "    %-30s %,12d%n", e.getKey(), e.getValue()));
        }
        b.append(String.format(Locale.ROOT, "  untyped errors: %,d%n", r.untypedCount()));
        for (Map.Entry<String, Long> e : r.untyped.entrySet()) {
            b.append(String.format(Locale.ROOT, "    %-30s %,12d%n", e.getKey(), e.getValue()));
        }
        for (String ex : r.untypedExamples) {
            b.append(ex.indent(4));
        }
        b.append(String.format(Locale.ROOT, "  buffers leaked: %,d%n", r.leaks));
        b.append(String.format(Locale.ROOT, "  peak heap: %,d MiB%n", r.peakHeapBytes >> 20));
        return b.toString();
    }
}
