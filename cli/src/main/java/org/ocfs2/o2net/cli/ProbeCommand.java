// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.ocfs2.o2net.config.ClusterConfig;
import org.ocfs2.o2net.config.Node;
import org.ocfs2.o2net.wire.Handshake;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code o2net probe}: the tool for two nodes that will not connect. It connects to any o2net node, kernel or Java,
 * as one of the peer's configured nodes, sends our handshake, prints the peer's field by field and in hex, names the
 * setting that disagrees as the kernel's notice does, times keepalive round trips and optionally makes one call.
 * <p>
 * The peer accepts only a connection from a configured node's address, numbered above its own, that it sees
 * heartbeating; so run the probe from such a node's address ({@code --config} and {@code --local-node} bind it, or
 * {@code --bind}), while that node is down or does not run o2net.
 */
@Command(
        name = "probe",
        mixinStandardHelpOptions = true,
        versionProvider = O2netCli.Version.class,
        description = {
            "Connect to an o2net node (kernel or Java) and say which handshake setting disagrees.",
            "Prints the peer's handshake field by field and in hex, times keepalive round trips, and optionally",
            "makes one call."
        })
final class ProbeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HOST:PORT", description = "the peer's o2net address")
    String hostPort;

    @Option(
            names = "--node",
            required = true,
            paramLabel = "N",
            description = "the peer's node number (names it in messages; checked against --config)")
    int peerNode;

    @ArgGroup(exclusive = true)
    Settings settings;

    static final class Settings {
        @ArgGroup(exclusive = false)
        FromConfig config;

        @ArgGroup(exclusive = false)
        Explicit explicit;
    }

    /** Our settings and address from o2cb's files, as the node named would use them. */
    static final class FromConfig {
        @Option(names = "--config", required = true, paramLabel = "FILE", description = "o2cb's cluster.conf")
        Path config;

        @Option(
                names = "--local-node",
                required = true,
                paramLabel = "NAME",
                description = "the node we speak as: its timeouts, and its address as our source")
        String localNode;

        @Option(names = "--sysconfig", paramLabel = "FILE", description = "o2cb's sysconfig file (timeouts)")
        Path sysconfig;

        @Option(names = "--cluster", paramLabel = "NAME", description = "the cluster, if cluster.conf has several")
        String cluster;
    }

    /** Our settings given one by one; the kernel's defaults otherwise. */
    static final class Explicit {
        @Option(names = "--idle-ms", paramLabel = "MS", description = "o2net_idle_timeout_ms (default 30000)")
        Integer idleMs;

        @Option(names = "--keepalive-ms", paramLabel = "MS", description = "o2net_keepalive_delay_ms (default 2000)")
        Integer keepaliveMs;

        @Option(
                names = "--hb-timeout-ms",
                paramLabel = "MS",
                description = "o2hb_heartbeat_timeout_ms = 2000 x (threshold - 1) (default 60000)")
        Integer hbTimeoutMs;

        @Option(
                names = "--reconnect-ms",
                paramLabel = "MS",
                description = "o2net_reconnect_delay_ms (sent, never checked; default 2000)")
        Integer reconnectMs;
    }

    @ArgGroup(exclusive = false, heading = "Heartbeat during the probe (needs --config and --local-node):%n")
    Region region;

    /** Heartbeat as the local node while probing, so that the peer's accept check sees us live. */
    static final class Region {
        @Option(
                names = "--region",
                required = true,
                paramLabel = "FILE",
                description = "heartbeat as --local-node on this region while probing (the peer accepts only nodes "
                        + "it sees heartbeating); refused connections are tried again meanwhile")
        Path file;

        @Option(names = "--start-block", paramLabel = "N", defaultValue = "1", description = "o2hb start_block")
        long startBlock;

        @Option(names = "--block-bytes", paramLabel = "N", defaultValue = "512", description = "o2hb block_bytes")
        int blockBytes;

        @Option(names = "--blocks", paramLabel = "N", defaultValue = "255", description = "o2hb blocks")
        int blocks;

        @Option(
                names = "--hb-interval-ms",
                paramLabel = "MS",
                defaultValue = "2000",
                description = "the heartbeat interval (default ${DEFAULT-VALUE})")
        long intervalMs;
    }

    @Option(
            names = "--bind",
            paramLabel = "ADDR",
            description = "our source IPv4 address (default: --local-node's address, else the OS's choice)")
    String bindAddress;

    @Option(
            names = "--protocol",
            paramLabel = "v11|v12",
            defaultValue = "v11",
            description = "the handshake to send: v11 (the kernel's, default) or v12 (the reliable protocol)")
    Protocol protocol;

    @Option(
            names = "--keepalives",
            paramLabel = "K",
            defaultValue = "3",
            description = "keepalive round trips to time (default ${DEFAULT-VALUE})")
    int keepalives;

    @Option(
            names = "--call",
            paramLabel = "TYPE:KEY:HEX",
            description = "make one call, e.g. 1:0x74657374:3432 (the test echo handler, payload \"42\")")
    String call;

    @Option(
            names = "--timeout-ms",
            paramLabel = "MS",
            defaultValue = "5000",
            description = "how long to wait to connect and for each answer (default ${DEFAULT-VALUE})")
    int timeoutMs;

    @Override
    public Integer call() {
        if (protocol == Protocol.v13) {
            throw new CliException(ExitCodes.USAGE, "--protocol v13: the probe speaks v11 and v12 only (so far)");
        }
        if (keepalives < 0) {
            throw new CliException(ExitCodes.USAGE, "--keepalives must be >= 0, got " + keepalives);
        }
        if (timeoutMs <= 0) {
            throw new CliException(ExitCodes.USAGE, "--timeout-ms must be > 0, got " + timeoutMs);
        }
        InetSocketAddress target = parseTarget(hostPort);
        Probe.CallSpec callSpec = call == null ? null : parseCall(call);
        long incarnation = Handshake.newIncarnation();
        Handshake ours;
        InetSocketAddress bind = null;
        PrintWriter out = spec.commandLine().getOut();
        FromConfig fc = settings == null ? null : settings.config;
        if (fc != null) {
            ClusterConfig cc = ClusterSetup.load(
                    fc.config, fc.sysconfig, fc.cluster, fc.localNode, -1, "--local-node", protocol, true);
            ours = Handshake.of(cc, incarnation);
            bind = new InetSocketAddress(cc.localNode().address(), 0);
            Node peer = cc.node(peerNode);
            if (peer == null) {
                throw new CliException(
                        ExitCodes.CONFIG,
                        "--node " + peerNode + ": no such node in cluster " + cc.name() + " (" + fc.config + ")");
            }
            if (!peer.socketAddress().equals(target)) {
                out.printf("note: %s is configured at %s, probing %s%n", peer, peer.endpoint(), hostPort);
            }
            if (cc.localNodeNumber() <= peerNode) {
                out.printf(
                        "note: only a higher-numbered node connects; node %d will refuse node %d's connection%n",
                        peerNode, cc.localNodeNumber());
            }
        } else {
            Explicit e = settings == null || settings.explicit == null ? new Explicit() : settings.explicit;
            int idle = e.idleMs != null ? e.idleMs : ClusterConfig.DEFAULT_IDLE_TIMEOUT_MS;
            int ka = e.keepaliveMs != null ? e.keepaliveMs : ClusterConfig.DEFAULT_KEEPALIVE_DELAY_MS;
            int hb = e.hbTimeoutMs != null
                    ? e.hbTimeoutMs
                    : ClusterConfig.HEARTBEAT_INTERVAL_MS * (ClusterConfig.DEFAULT_HEARTBEAT_DEAD_THRESHOLD - 1);
            int rc = e.reconnectMs != null ? e.reconnectMs : ClusterConfig.DEFAULT_RECONNECT_DELAY_MS;
            ours = protocol.reliable() ? Handshake.v12(hb, idle, ka, rc, incarnation) : Handshake.v11(hb, idle, ka, rc);
        }
        if (bindAddress != null) {
            try {
                bind = new InetSocketAddress(Node.parseIpv4(bindAddress), 0);
            } catch (IllegalArgumentException ex) {
                throw new CliException(ExitCodes.USAGE, "--bind: " + ex.getMessage());
            }
        }
        String peerName = "node " + peerNode + " at " + hostPort;
        if (region == null) {
            Probe.Result r = new Probe(target, bind, peerName, ours, keepalives, callSpec, timeoutMs, out).run();
            out.flush();
            return r.exitCode();
        }
        if (fc == null) {
            throw new CliException(
                    ExitCodes.USAGE, "--region needs --config and --local-node: the node to heartbeat as");
        }
        ClusterConfig cc = ClusterSetup.load(
                fc.config, fc.sysconfig, fc.cluster, fc.localNode, -1, "--local-node", protocol, true);
        try (RegionHeartbeat hb = RegionHeartbeat.start(
                new RegionHeartbeat.Params(
                        region.file,
                        region.startBlock,
                        region.blockBytes,
                        region.blocks,
                        region.intervalMs,
                        cc.heartbeatDeadThreshold(),
                        false),
                cc.localNodeNumber())) {
            out.printf("heartbeating as node %d: %s%n", cc.localNodeNumber(), hb.describe());
            // the v12 handshake carries the heartbeat's generation, as a node's does
            Handshake withGeneration = Handshake.of(cc, hb.liveness().incarnation());
            Probe probe = new Probe(target, bind, peerName, withGeneration, keepalives, callSpec, timeoutMs, out);
            Probe.Result r = probe.retryRefused(Math.max(timeoutMs, 10 * region.intervalMs), region.intervalMs)
                    .run();
            out.flush();
            return r.exitCode();
        }
    }

    static InetSocketAddress parseTarget(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new CliException(
                    ExitCodes.USAGE, "HOST:PORT: expected an address such as 127.0.0.1:7777, got '" + hostPort + "'");
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new CliException(
                    ExitCodes.USAGE, "HOST:PORT: port '" + hostPort.substring(colon + 1) + "' is not 1..65535");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(hostPort.substring(0, colon)), port);
        } catch (UnknownHostException e) {
            throw new CliException(ExitCodes.USAGE, "HOST:PORT: unknown host '" + hostPort.substring(0, colon) + "'");
        }
    }

    static Probe.CallSpec parseCall(String spec) {
        String[] parts = spec.split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new CliException(ExitCodes.USAGE, "--call: expected TYPE:KEY[:HEX], got '" + spec + "'");
        }
        try {
            int type = U32.parse(parts[0]);
            if (type < 1 || type > 0xffff) {
                throw new CliException(ExitCodes.USAGE, "--call: msg_type " + parts[0] + " is not 1..65535");
            }
            byte[] payload = parts.length == 3 ? HexFormat.of().parseHex(parts[2]) : new byte[0];
            return new Probe.CallSpec(type, U32.parse(parts[1]), payload);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "--call '" + spec + "': " + e.getMessage());
        }
    }
}
