// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ocfs2.o2net.config.ClusterConfig;
import org.ocfs2.o2net.config.Node;
import org.ocfs2.o2net.node.NodeLiveness;
import org.ocfs2.o2net.node.O2netNode;
import org.ocfs2.o2net.node.PeerStats;
import org.ocfs2.o2net.node.SendTrack;
import org.ocfs2.o2net.wire.Errno;
import org.ocfs2.o2net.wire.O2netException;
import org.ocfs2.o2net.wire.SysStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node as {@code o2net node} runs it: the {@link O2netNode} with the application's handlers, its heartbeat, and
 * its {@link AdminServer}, which answers {@code status}, {@code send-tracking} and {@code call} from what the node
 * exposes ({@link O2netNode#stats()}, {@link O2netNode#sendTracking()}, {@link O2netNode#send}).
 */
final class RunningNode implements AutoCloseable, AdminServer.Dispatcher {
    private static final Logger logger = LoggerFactory.getLogger(RunningNode.class);

    private final ClusterConfig config;
    private final O2netNode node;
    private final NodeLiveness liveness;
    private final HeartbeatView heartbeat;
    private final AutoCloseable heartbeatOwner;
    private final long startNanos = System.nanoTime();
    private AdminServer admin;
    private InjectedResets faults;

    private RunningNode(
            ClusterConfig config,
            O2netNode node,
            NodeLiveness liveness,
            HeartbeatView heartbeat,
            AutoCloseable heartbeatOwner) {
        this.config = config;
        this.node = node;
        this.liveness = liveness;
        this.heartbeat = heartbeat;
        this.heartbeatOwner = heartbeatOwner;
    }

    /**
     * Builds and starts the node: registers the providers' handlers, starts listening (on {@code listener} if given,
     * else on the configured address), then opens the admin socket.
     *
     * @param heartbeat      shown by {@code status}; may be {@code null} (then only "alive" per peer is shown)
     * @param heartbeatOwner closed after the node when it stops; may be {@code null}
     * @param adminSocket    where to answer requests, or {@code null} for no admin socket
     */
    static RunningNode start(
            ClusterConfig config,
            NodeLiveness liveness,
            HeartbeatView heartbeat,
            AutoCloseable heartbeatOwner,
            List<HandlerProvider> handlers,
            Path adminSocket,
            ServerSocketChannel listener) {
        return start(config, liveness, heartbeat, heartbeatOwner, handlers, adminSocket, listener, null);
    }

    /**
     * As {@link #start(ClusterConfig, NodeLiveness, HeartbeatView, AutoCloseable, List, Path, ServerSocketChannel)},
     * with opt-in fault injection: {@code faults}, if not {@code null}, sits in every connection's pipeline and the
     * admin request {@code faults} sets its rate.
     */
    static RunningNode start(
            ClusterConfig config,
            NodeLiveness liveness,
            HeartbeatView heartbeat,
            AutoCloseable heartbeatOwner,
            List<HandlerProvider> handlers,
            Path adminSocket,
            ServerSocketChannel listener,
            InjectedResets faults) {
        O2netNode.Builder b = O2netNode.builder(config, liveness);
        if (listener != null) {
            b.serverChannel(listener);
        }
        if (faults != null) {
            b.faultInjector(faults);
        }
        O2netNode node = b.build();
        RunningNode r = new RunningNode(config, node, liveness, heartbeat, heartbeatOwner);
        r.faults = faults;
        try {
            for (HandlerProvider p : handlers) {
                p.register(node);
                logger.info("o2net: node {}: handlers '{}': {}", config.localNodeNumber(), p.name(), p.description());
            }
            if (handlers.isEmpty()) {
                logger.info(
                        "o2net: node {}: no handlers (--handlers): every request is answered NO_HNDLR",
                        config.localNodeNumber());
            }
            node.addNodeListener(new NodeLiveness.Listener() {
                @Override
                public void nodeUp(int n, long incarnation) {
                    logger.info("o2net: heartbeat: node {} is up (generation 0x{})", n, Long.toHexString(incarnation));
                }

                @Override
                public void nodeDown(int n, long incarnation) {
                    logger.info(
                            "o2net: heartbeat: node {} is down (generation 0x{})", n, Long.toHexString(incarnation));
                }
            });
            try {
                node.start();
            } catch (RuntimeException e) {
                throw new CliException(ExitCodes.FAILED, e.getMessage(), e);
            }
            if (adminSocket != null) {
                r.admin = AdminServer.start(adminSocket, r);
                logger.info("o2net: node {}: admin socket {}", config.localNodeNumber(), r.admin.path());
            }
            return r;
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    O2netNode node() {
        return node;
    }

    /** Stops the node (calls in progress fail with EHOSTDOWN), then the heartbeat, then the admin socket. */
    @Override
    public void close() {
        node.close();
        if (heartbeatOwner != null) {
            try {
                heartbeatOwner.close();
            } catch (Exception e) {
                logger.warn("o2net: node {}: stopping the heartbeat: {}", config.localNodeNumber(), e.toString());
            }
        }
        if (admin != null) {
            admin.close();
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Admin requests
    // ------------------------------------------------------------------------------------------------------------

    @Override
    public ObjectNode handle(String verb, JsonNode args) {
        switch (verb) {
            case "status":
                return status();
            case "send-tracking":
                return sendTracking();
            case "call":
                return call(args);
            case "faults":
                return faults(args);
            default:
                throw new CliException(
                        ExitCodes.USAGE, "unknown request '" + verb + "' (known: status, send-tracking, call, faults)");
        }
    }

    ObjectNode status() {
        ObjectNode o = AdminServer.JSON.createObjectNode();
        Node self = config.localNode();
        ObjectNode n = o.putObject("node");
        n.put("number", self.number());
        n.put("name", self.name());
        n.put("endpoint", self.endpoint());
        n.put("cluster", config.name());
        n.put("protocol", "v" + config.protocol().version());
        n.put("incarnation", hex(node.incarnation()));
        n.put("uptimeMs", (System.nanoTime() - startNanos) / 1_000_000);
        n.put("idleTimeoutMs", config.idleTimeoutMs());
        n.put("keepaliveDelayMs", config.keepaliveDelayMs());
        n.put("reconnectDelayMs", config.reconnectDelayMs());
        n.put("heartbeatTimeoutMs", config.heartbeatTimeoutMs());
        n.put("heartbeatDeadThreshold", config.heartbeatDeadThreshold());
        n.put("window", config.window());
        n.put("handlerQueueHigh", config.handlerQueueHigh());
        n.put("handlerQueueLow", config.handlerQueueLow());
        n.put("writeBufferHigh", config.writeBufferHigh());
        n.put("writeBufferLow", config.writeBufferLow());
        n.put("closed", node.isClosed());

        ObjectNode hb = o.putObject("heartbeat");
        ArrayNode live = hb.putArray("liveNodes");
        if (heartbeat != null) {
            hb.put("source", heartbeat.describe());
            for (Map.Entry<Integer, Long> e : new TreeMap<>(heartbeat.liveNodes()).entrySet()) {
                live.addObject().put("node", e.getKey()).put("generation", hex(e.getValue()));
            }
        } else {
            hb.put("source", liveness.toString());
            live.addObject().put("node", self.number()).put("generation", hex(node.incarnation()));
            for (Node p : config.peers()) {
                if (liveness.isAlive(p.number())) {
                    live.addObject().put("node", p.number());
                }
            }
        }

        if (faults != null) {
            o.putObject("faults").put("resetPerMille", faults.perMille()).put("resets", faults.resets());
        }

        ArrayNode connected = o.putArray("connectedNodes");
        node.connectedNodes().forEach(connected::add);
        o.put("callsInProgress", node.sendTracking().size());

        ArrayNode peers = o.putArray("peers");
        for (Map.Entry<Integer, PeerStats> e : node.stats().entrySet()) {
            PeerStats s = e.getValue();
            Node p = config.node(e.getKey());
            ObjectNode po = peers.addObject();
            po.put("node", p.number());
            po.put("name", p.name());
            po.put("endpoint", p.endpoint());
            po.put("role", config.localNodeNumber() > p.number() ? "connector" : "acceptor");
            po.put("state", state(s));
            po.put("alive", s.alive());
            po.put("peerIncarnation", s.peerIncarnation() == 0 ? null : hex(s.peerIncarnation()));
            po.put(
                    "persistentError",
                    s.persistentError() == null ? null : s.persistentError().name());
            po.put("lastError", s.lastError());
            po.set("stats", AdminServer.JSON.valueToTree(s));
        }
        return o;
    }

    /** The connection state as an operator reads it. */
    static String state(PeerStats s) {
        if (s.connected()) {
            return "connected";
        }
        if (!s.alive()) {
            return "down";
        }
        if (s.persistentError() != null) {
            return "error " + s.persistentError().name();
        }
        return "connecting";
    }

    ObjectNode sendTracking() {
        ObjectNode o = AdminServer.JSON.createObjectNode();
        o.put("node", config.localNodeNumber());
        long now = System.nanoTime(); // the node's clock is Clock.SYSTEM
        ArrayNode calls = o.putArray("calls");
        for (SendTrack t : node.sendTracking()) {
            ObjectNode c = calls.addObject();
            c.put("caller", t.caller());
            c.put("node", t.node());
            c.put("msgType", t.msgType());
            c.put("key", hex32(t.key()));
            c.put("msgNum", t.msgNum());
            c.put("msgSeq", t.msgSeq());
            c.put("state", t.state().name());
            c.put("ageUs", t.ageMicros(now));
        }
        return o;
    }

    ObjectNode call(JsonNode args) {
        int to = target(args.path("to"));
        int type = intArg(args, "type");
        int key = intArg(args, "key");
        byte[] payload;
        try {
            payload = HexFormat.of().parseHex(args.path("payloadHex").asText(""));
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "payloadHex: " + e.getMessage());
        }
        ObjectNode o = AdminServer.JSON.createObjectNode();
        o.put("to", to);
        o.put("msgType", type);
        o.put("key", hex32(key));
        long start = System.nanoTime();
        try {
            int status = node.send(type, key, payload, to);
            o.put("ok", true);
            o.put("sysStatus", SysStatus.NONE.name());
            o.put("status", status);
        } catch (O2netException e) {
            o.put("ok", false);
            o.put("errno", e.errno().name());
            o.put("errnoValue", e.errno().kernelReturn());
            SysStatus sys = sysStatus(e.errno());
            o.put("sysStatus", sys == null ? null : sys.name());
            o.put("error", e.getMessage());
        }
        o.put("micros", (System.nanoTime() - start) / 1000);
        return o;
    }

    /**
     * {@code faults {"resetPerMille":N}}: sets how often a MSG or STATUS frame resets its connection (node started
     * with {@code --fault-injection} only); answers the rate and the resets so far.
     */
    ObjectNode faults(JsonNode args) {
        if (faults == null) {
            throw new CliException(ExitCodes.USAGE, "faults: this node runs without --fault-injection");
        }
        JsonNode p = args.path("resetPerMille");
        if (!p.isMissingNode()) {
            if (!p.canConvertToInt()) {
                throw new CliException(ExitCodes.USAGE, "faults: 'resetPerMille' must be a number");
            }
            faults.perMille(p.intValue());
            logger.info(
                    "o2net: node {}: fault injection: reset at {} per mille of MSG/STATUS frames",
                    config.localNodeNumber(),
                    p.intValue());
        }
        ObjectNode o = AdminServer.JSON.createObjectNode();
        o.put("resetPerMille", faults.perMille());
        o.put("resets", faults.resets());
        return o;
    }

    /** The sys_status behind an errno that a call returned, if one is. */
    static SysStatus sysStatus(Errno errno) {
        for (SysStatus s : SysStatus.values()) {
            if (s.errno() == errno) {
                return s;
            }
        }
        return null;
    }

    private int target(JsonNode to) {
        if (to.isInt()) {
            return to.intValue();
        }
        String s = to.asText("");
        if (s.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "call: 'to' is missing");
        }
        if (s.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(s);
        }
        for (Node n : config.nodes()) {
            if (n.name().equals(s)) {
                return n.number();
            }
        }
        throw new CliException(
                ExitCodes.USAGE, "--to " + s + ": no node of cluster " + config.name() + " has that name");
    }

    private static int intArg(JsonNode args, String name) {
        JsonNode v = args.path(name);
        if (!v.canConvertToLong()) {
            throw new CliException(ExitCodes.USAGE, "call: '" + name + "' is missing or not a number");
        }
        return (int) v.longValue();
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    static String hex32(int v) {
        return "0x" + Integer.toHexString(v);
    }

    @Override
    public String toString() {
        return "RunningNode{" + node + "}";
    }
}
