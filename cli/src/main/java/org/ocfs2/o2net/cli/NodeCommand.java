// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.ocfs2.o2net.config.ClusterConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code o2net node}: runs one node of an o2cb cluster until SIGTERM or SIGINT. The cluster comes from
 * {@code cluster.conf}, the timeouts from o2cb's sysconfig file, liveness from an o2hb disk heartbeat on a region
 * shared with the other nodes, the handlers from {@link HandlerProvider}s. The kernel's o2net notices go to stderr.
 * <p>
 * On SIGTERM the node stops listening, every call in progress fails with EHOSTDOWN ("node N is shutting down"),
 * connections close, the heartbeat stops, and the command exits 0.
 */
@Command(
        name = "node",
        mixinStandardHelpOptions = true,
        versionProvider = O2netCli.Version.class,
        description = {
            "Run one o2net node from o2cb's cluster.conf with an o2hb disk heartbeat, until SIGTERM.",
            "Logs the kernel's o2net notices on stderr; prints one line on stdout once it is running."
        })
final class NodeCommand implements Callable<Integer> {
    private static final Logger logger = LoggerFactory.getLogger(NodeCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "o2cb's cluster.conf")
    Path config;

    @Option(
            names = "--sysconfig",
            paramLabel = "FILE",
            description = "o2cb's settings (/etc/sysconfig/o2cb, /etc/default/o2cb): O2CB_IDLE_TIMEOUT_MS, "
                    + "O2CB_KEEPALIVE_DELAY_MS, O2CB_RECONNECT_DELAY_MS, O2CB_HEARTBEAT_THRESHOLD, O2CB_BOOTCLUSTER")
    Path sysconfig;

    @Option(
            names = "--cluster",
            paramLabel = "NAME",
            description = "the cluster to join (default: O2CB_BOOTCLUSTER, else the only one in cluster.conf)")
    String cluster;

    @ArgGroup(multiplicity = "1")
    LocalNode local;

    static final class LocalNode {
        @Option(names = "--node", paramLabel = "NAME", description = "this node's name in cluster.conf")
        String name;

        @Option(names = "--node-number", paramLabel = "N", description = "this node's number in cluster.conf")
        Integer number;
    }

    @Option(
            names = "--region",
            required = true,
            paramLabel = "FILE",
            description = "the heartbeat region: a block device or a file shared by the nodes")
    Path region;

    @Option(
            names = "--create-region",
            description = "create the region file with zeroed slots if it does not exist (never touches one that does)")
    boolean createRegion;

    @Option(
            names = "--start-block",
            paramLabel = "N",
            defaultValue = "1",
            description = "the region's first block (o2hb start_block; default ${DEFAULT-VALUE})")
    long startBlock;

    @Option(
            names = "--block-bytes",
            paramLabel = "N",
            defaultValue = "512",
            description = "o2hb block_bytes: the device's logical sector size (default ${DEFAULT-VALUE})")
    int blockBytes;

    @Option(
            names = "--blocks",
            paramLabel = "N",
            defaultValue = "255",
            description = "o2hb blocks: one slot per node number (default ${DEFAULT-VALUE})")
    int blocks;

    @Option(
            names = "--hb-interval-ms",
            paramLabel = "MS",
            defaultValue = "2000",
            description = "how often the node writes its heartbeat block (o2hb's O2HB_REGION_TIMEOUT_MS: "
                    + "${DEFAULT-VALUE}); dead after O2CB_HEARTBEAT_THRESHOLD intervals without a change")
    long hbIntervalMs;

    @Option(
            names = "--protocol",
            paramLabel = "v11|v12|v13",
            defaultValue = "v12",
            description = "v11: the kernel's o2net; v12: the reliable protocol of the RFC (two round trips); v13: one"
                    + " round trip, acknowledgements and a window (default ${DEFAULT-VALUE})")
    Protocol protocol;

    @Option(
            names = "--admin-socket",
            paramLabel = "PATH",
            description = "a Unix-domain socket for o2net status, send-tracking and call")
    Path adminSocket;

    @Option(
            names = "--handlers",
            paramLabel = "NAME",
            split = ",",
            description = "handler providers to load (ServiceLoader, org.ocfs2.o2net.cli.HandlerProvider); "
                    + "shipped for demos and tests: echo, counter, slow")
    List<String> handlers = new ArrayList<>();

    @Option(
            names = "--allow-short-timeouts",
            description = "accept timeouts below o2cb's minimums (idle 5000, keepalive 1000, reconnect 2000 ms, "
                    + "threshold 7), for tests")
    boolean allowShortTimeouts;

    @Option(
            names = "--ledger",
            paramLabel = "FILE",
            description = "the file the test handler 'ledger' appends a line to for every run (kept across restarts)")
    Path ledger;

    @Option(
            names = "--fault-injection",
            description = "opt-in fault injection for demos and tests: the admin request 'faults' sets how often a "
                    + "MSG or STATUS frame resets its connection (a real RST); off until set")
    boolean faultInjection;

    @Option(
            names = "--fault-seed",
            paramLabel = "N",
            defaultValue = "1",
            description = "the seed of the injected faults (default ${DEFAULT-VALUE})")
    long faultSeed;

    @Override
    public Integer call() throws Exception {
        if (ledger != null) {
            org.ocfs2.o2net.cli.testhandlers.LedgerHandlers.useFile(ledger);
        }
        if (hbIntervalMs <= 0) {
            throw new CliException(ExitCodes.USAGE, "--hb-interval-ms must be > 0, got " + hbIntervalMs);
        }
        List<HandlerProvider> providers = HandlerProvider.select(handlers);
        ClusterConfig cc = ClusterSetup.load(
                config,
                sysconfig,
                cluster,
                local.name,
                local.number == null ? -1 : local.number,
                local.name != null ? "--node" : "--node-number",
                protocol,
                allowShortTimeouts);
        CountDownLatch stop = new CountDownLatch(1);
        String[] signal = new String[1];
        for (String sig : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(sig), s -> {
                signal[0] = "SIG" + s.getName();
                stop.countDown();
            });
        }
        RegionHeartbeat hb = RegionHeartbeat.start(
                new RegionHeartbeat.Params(
                        region,
                        startBlock,
                        blockBytes,
                        blocks,
                        hbIntervalMs,
                        cc.heartbeatDeadThreshold(),
                        createRegion),
                cc.localNodeNumber());
        RunningNode node;
        try {
            node = RunningNode.start(
                    cc,
                    hb.liveness(),
                    hb,
                    hb,
                    providers,
                    adminSocket,
                    null,
                    faultInjection ? new InjectedResets(faultSeed) : null);
        } catch (RuntimeException e) {
            hb.close();
            throw e;
        }
        spec.commandLine()
                .getOut()
                .printf(
                        "o2net: node %d (%s) running at %s, protocol %s, incarnation 0x%x%s%n",
                        cc.localNodeNumber(),
                        cc.localNode().name(),
                        cc.localNode().endpoint(),
                        protocol,
                        node.node().incarnation(),
                        adminSocket == null ? "" : ", admin socket " + adminSocket);
        spec.commandLine().getOut().flush();
        stop.await();
        logger.info("o2net: node {} stopping on {}", cc.localNodeNumber(), signal[0]);
        node.close();
        spec.commandLine().getOut().printf("o2net: node %d stopped%n", cc.localNodeNumber());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
