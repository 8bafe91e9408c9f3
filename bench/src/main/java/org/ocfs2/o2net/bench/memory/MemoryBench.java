// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench.memory;

import java.util.ArrayList;
import java.util.List;
import org.ocfs2.o2net.bench.Table;
import org.ocfs2.o2net.wire.O2netMsg;

/**
 * The memory measurements: what the protocol core retains per held message and per Message Holder
 * ({@link CoreMemory}, JOL object graphs), what a whole node retains per call in flight ({@link NodeMemory}: heap
 * growth, and JOL, with two nodes on loopback), and where those bytes go, class by class. Payloads of 64 bytes and
 * 4072, o2net's largest.
 */
public final class MemoryBench {
    /** Payload sizes measured: small, and o2net's largest ({@code O2NET_MAX_PAYLOAD_BYTES}). */
    static final int[] PAYLOADS = {64, O2netMsg.MAX_PAYLOAD_BYTES};

    private MemoryBench() {}

    /** Runs every measurement; {@code quick} with fewer messages (1,000 instead of 10,000). */
    public static List<Table> run(boolean quick) {
        int n = quick ? 1_000 : 10_000;
        List<Table> tables = new ArrayList<>();
        List<CoreMemory.Sample> core = CoreMemory.all(n, PAYLOADS);
        tables.add(CoreMemory.table(core, n));
        for (CoreMemory.Sample s : core) {
            if (s.payload() == PAYLOADS[0]
                    && s.protocol().equals("v12")
                    && (s.state().contains("MSG") || s.state().contains("DONE"))) {
                tables.add(CoreMemory.breakdown(s));
            }
        }
        tables.addAll(NodeMemory.measure(n, PAYLOADS));
        return tables;
    }

    /** Runs the measurements and prints the tables; {@code --quick} for fewer messages. */
    public static void main(String[] args) {
        boolean quick = List.of(args).contains("--quick");
        long start = System.nanoTime();
        List<Table> tables = run(quick);
        for (Table t : tables) {
            System.out.println();
            System.out.println(t.markdown());
        }
        System.out.printf("MemoryBench took %.1f s%n", (System.nanoTime() - start) / 1e9);
    }
}
