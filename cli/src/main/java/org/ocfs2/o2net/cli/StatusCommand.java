// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code o2net status}: a running node's view, read over its admin socket: the node and its timeouts, the heartbeat's
 * live nodes with their generations, and per peer the connection state and counters (what the kernel spreads over
 * {@code /sys/kernel/debug/o2net/{sock_containers,stats,connected_nodes}} and {@code o2hb/livenodes}).
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        versionProvider = O2netCli.Version.class,
        description = "Show a running node's peers, connection states, heartbeat view and statistics.")
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--admin-socket", required = true, paramLabel = "PATH", description = "the node's admin socket")
    Path adminSocket;

    @Option(names = "--json", description = "print the node's answer as JSON, for machines")
    boolean json;

    @Override
    public Integer call() {
        JsonNode a = AdminClient.request(adminSocket, "status", null);
        if (!a.path("ok").asBoolean()) {
            throw new CliException(ExitCodes.FAILED, a.path("error").asText("the node refused the request"));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(a.toString());
        } else {
            print(a, out);
        }
        out.flush();
        return ExitCodes.OK;
    }

    static void print(JsonNode a, PrintWriter out) {
        JsonNode n = a.path("node");
        out.printf(
                "node %d (%s) at %s, cluster %s, protocol %s, incarnation %s, up %.1f s%s%n",
                n.path("number").asInt(),
                n.path("name").asText(),
                n.path("endpoint").asText(),
                n.path("cluster").asText(),
                n.path("protocol").asText(),
                n.path("incarnation").asText(),
                n.path("uptimeMs").asLong() / 1000.0,
                n.path("closed").asBoolean() ? " (stopped)" : "");
        out.printf(
                "timeouts: idle %d ms, keepalive %d ms, reconnect %d ms, heartbeat %d ms (dead threshold %d)%n",
                n.path("idleTimeoutMs").asInt(),
                n.path("keepaliveDelayMs").asInt(),
                n.path("reconnectDelayMs").asInt(),
                n.path("heartbeatTimeoutMs").asInt(),
                n.path("heartbeatDeadThreshold").asInt());
        out.printf(
                "bounds per peer: window %d (v13), reading pauses above %d queued handler runs (resumes at %d) or %d"
                        + " bytes unwritten (resumes at %d)%n",
                n.path("window").asInt(),
                n.path("handlerQueueHigh").asInt(),
                n.path("handlerQueueLow").asInt(),
                n.path("writeBufferHigh").asInt(),
                n.path("writeBufferLow").asInt());
        JsonNode hb = a.path("heartbeat");
        StringBuilder live = new StringBuilder();
        for (JsonNode l : hb.path("liveNodes")) {
            live.append(live.length() == 0 ? "" : ", ").append(l.path("node").asInt());
            if (l.has("generation")) {
                live.append(" (gen ").append(l.path("generation").asText()).append(')');
            }
        }
        out.printf("heartbeat: %s%n", hb.path("source").asText());
        out.printf("live nodes: %s%n", live.length() == 0 ? "none" : live);
        StringBuilder connected = new StringBuilder();
        for (JsonNode c : a.path("connectedNodes")) {
            connected.append(connected.length() == 0 ? "" : " ").append(c.asInt());
        }
        out.printf("connected nodes: %s%n", connected.length() == 0 ? "none" : connected);
        out.printf("calls in progress: %d%n%n", a.path("callsInProgress").asInt());

        Table t = new Table(
                "PEER",
                "NAME",
                "ADDRESS",
                "ROLE",
                "STATE",
                "HB",
                "INCARNATION",
                "CALLS",
                "RESENDS",
                "FAILED",
                "HELD",
                "MH",
                "HANDLED",
                "CONNECTS",
                "DISCONNECTS",
                "KEEPALIVES",
                "IDLE",
                "LAST ERROR");
        for (JsonNode p : a.path("peers")) {
            JsonNode s = p.path("stats");
            t.row(
                    p.path("node").asInt(),
                    p.path("name").asText(),
                    p.path("endpoint").asText(),
                    p.path("role").asText(),
                    p.path("state").asText(),
                    p.path("alive").asBoolean() ? "up" : "down",
                    p.path("peerIncarnation").isNull()
                            ? null
                            : p.path("peerIncarnation").asText(),
                    s.path("calls").asLong(),
                    s.path("resends").asLong(),
                    s.path("failedCalls").asLong(),
                    s.path("heldCount").asInt(),
                    s.path("mhCount").asInt(),
                    s.path("handlerRuns").asLong(),
                    s.path("connects").asLong(),
                    s.path("disconnects").asLong(),
                    s.path("keepalivesSent").asLong() + "/"
                            + s.path("keepalivesReceived").asLong(),
                    s.path("idleTimeouts").asLong(),
                    p.path("lastError").isNull() ? null : p.path("lastError").asText());
        }
        t.print(out);
    }
}
