// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ocfs2.o2net.cli.testhandlers.LedgerHandlers;

/**
 * The durable record of a cluster run ({@code o2net demo}, {@code o2net torture}) and its checker. Written while the
 * run goes, one {@code write(2)} per line, in the run's directory:
 *
 * <pre>
 * n&lt;N&gt;.ledger   by node N's ledger handler: one line per handler run   PAYLOAD FROM
 * n&lt;N&gt;.calls    by the driver, per calling node N: one line per call   PAYLOAD FROM TO ok STATUS T0 T1
 *                                                                   PAYLOAD FROM TO err ERRNO T0 T1
 *                                                                   PAYLOAD FROM TO died - T0 T1
 *                                                                   PAYLOAD FROM TO hung - T0 -
 * faults.log    by the driver: restart NODE T0 T1 (SIGKILL until the cluster had it back), partition A B T0 T1,
 *               left MHS HELD (what the nodes held once the faults stopped and the callers were back)
 * </pre>
 * Times are the driver's monotonic clock in nanoseconds. {@link #check} proves from these files alone, per run: every
 * call returned its own handler's status (and that handler ran), or failed only while its target or its own node
 * restarted ("died": its node was killed under it); no handler ran twice; no caller was left blocked once the faults
 * stopped; no Message Holder or held message was left.
 */
final class RunRecord implements AutoCloseable {
    private final Path dir;
    private final Map<String, FileChannel> files = new HashMap<>();

    RunRecord(Path dir) {
        this.dir = dir;
    }

    /** Appends {@code line} to {@code file} in the run's directory: one write, before this returns. */
    void append(String file, String line) {
        byte[] b = (line + "\n").getBytes(StandardCharsets.US_ASCII);
        FileChannel ch;
        synchronized (files) {
            ch = files.computeIfAbsent(file, f -> {
                try {
                    return FileChannel.open(
                            dir.resolve(f),
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        try {
            synchronized (ch) {
                ByteBuffer buf = ByteBuffer.wrap(b);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir.resolve(file) + ": " + e.getMessage(), e);
        }
    }

    void call(String payload, int from, int to, String outcome, String detail, long t0, long t1) {
        append(
                "n" + from + ".calls",
                payload + " " + from + " " + to + " " + outcome + " " + detail + " " + t0 + " "
                        + (t1 < 0 ? "-" : String.valueOf(t1)));
    }

    void fault(String line) {
        append("faults.log", line);
    }

    @Override
    public void close() {
        synchronized (files) {
            for (FileChannel ch : files.values()) {
                try {
                    ch.close();
                } catch (IOException e) {
                    // nothing more to write
                }
            }
            files.clear();
        }
    }

    /** What {@link #check} found. */
    static final class Verdict {
        long calls;
        long ok;
        long restartErrors;
        long lost;
        long wrongStatus;
        long okWithoutRun;
        long died;
        long hung;
        long runTwice;
        long handlerRuns;
        long restarts;
        long partitions;
        long mhLeft;
        long heldLeft;
        final List<String> examples = new ArrayList<>();

        boolean kept() {
            return lost == 0
                    && runTwice == 0
                    && wrongStatus == 0
                    && okWithoutRun == 0
                    && hung == 0
                    && mhLeft == 0
                    && heldLeft == 0;
        }

        private void example(String what) {
            if (examples.size() < 5) {
                examples.add(what);
            }
        }
    }

    /** Checks the run recorded in {@code dir} (see the class comment). */
    static Verdict check(Path dir) throws IOException {
        Verdict v = new Verdict();
        Map<Integer, List<long[]>> windows = new HashMap<>();
        Path faults = dir.resolve("faults.log");
        if (Files.exists(faults)) {
            for (String line : Files.readAllLines(faults, StandardCharsets.US_ASCII)) {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "restart" -> {
                        windows.computeIfAbsent(Integer.parseInt(f[1]), k -> new ArrayList<>())
                                .add(new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])});
                        v.restarts++;
                    }
                    case "partition" -> v.partitions++;
                    case "left" -> {
                        v.mhLeft += Long.parseLong(f[1]);
                        v.heldLeft += Long.parseLong(f[2]);
                    }
                    default -> throw new IOException(faults + ": unknown record '" + line + "'");
                }
            }
        }
        Map<String, Integer> runs = new HashMap<>();
        List<Path> ledgers = new ArrayList<>();
        List<Path> calls = new ArrayList<>();
        try (var list = Files.list(dir)) {
            list.forEach(p -> {
                String n = p.getFileName().toString();
                if (n.endsWith(".ledger")) {
                    ledgers.add(p);
                } else if (n.endsWith(".calls")) {
                    calls.add(p);
                }
            });
        }
        for (Path l : ledgers) {
            Demo.Ledger.readAll(l, runs);
        }
        for (Map.Entry<String, Integer> e : runs.entrySet()) {
            v.handlerRuns += e.getValue();
            if (e.getValue() > 1) {
                v.runTwice++;
                v.example("handler ran " + e.getValue() + " times for " + e.getKey());
            }
        }
        for (Path c : calls) {
            for (String line : Files.readAllLines(c, StandardCharsets.US_ASCII)) {
                String[] f = line.split(" ");
                if (f.length != 7) {
                    continue; // a line the driver did not finish (it was killed): no call outcome
                }
                String payload = f[0];
                int from = Integer.parseInt(f[1]);
                int to = Integer.parseInt(f[2]);
                long t0 = Long.parseLong(f[5]);
                long t1 = "-".equals(f[6]) ? Long.MAX_VALUE : Long.parseLong(f[6]);
                v.calls++;
                switch (f[3]) {
                    case "ok" -> {
                        int expected = LedgerHandlers.status(payload.getBytes(StandardCharsets.US_ASCII));
                        if (Integer.parseInt(f[4]) != expected) {
                            v.wrongStatus++;
                            v.example(payload + " returned status " + f[4] + ", its handler's is " + expected);
                        } else if (!runs.containsKey(payload)) {
                            v.okWithoutRun++;
                            v.example(payload + " returned a status but its handler never ran");
                        } else {
                            v.ok++;
                        }
                    }
                    case "err" -> {
                        if (overlaps(windows.get(to), t0, t1) || overlaps(windows.get(from), t0, t1)) {
                            v.restartErrors++;
                        } else {
                            v.lost++;
                            v.example(payload + " (node " + from + " to " + to + ") failed with " + f[4]
                                    + " while neither node restarted");
                        }
                    }
                    case "died" -> v.died++;
                    case "hung" -> {
                        v.hung++;
                        v.example(
                                payload + " (node " + from + " to " + to + ") still blocked after the faults stopped");
                    }
                    default -> throw new IOException(c + ": unknown outcome in '" + line + "'");
                }
            }
        }
        if (v.mhLeft > 0 || v.heldLeft > 0) {
            v.example(v.mhLeft + " Message Holders and " + v.heldLeft + " held messages left after the run");
        }
        return v;
    }

    private static boolean overlaps(List<long[]> ws, long t0, long t1) {
        if (ws != null) {
            for (long[] w : ws) {
                if (w[0] <= t1 && w[1] >= t0) {
                    return true;
                }
            }
        }
        return false;
    }
}
