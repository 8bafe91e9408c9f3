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
 * {@code o2net send-tracking}: every call in progress on a running node, oldest first, like the kernel's
 * {@code /sys/kernel/debug/o2net/send_tracking}: the caller, the target, {@code msg_type}, {@code key},
 * {@code msg_num}, {@code msg_seq}, whether it waits for a connection or for its status, and for how long. The tool
 * for finding a hung sender.
 */
@Command(
        name = "send-tracking",
        mixinStandardHelpOptions = true,
        versionProvider = O2netCli.Version.class,
        description = "Show every call in progress on a running node (like debugfs o2net/send_tracking).")
final class SendTrackingCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--admin-socket", required = true, paramLabel = "PATH", description = "the node's admin socket")
    Path adminSocket;

    @Option(names = "--json", description = "print the node's answer as JSON, for machines")
    boolean json;

    @Override
    public Integer call() {
        JsonNode a = AdminClient.request(adminSocket, "send-tracking", null);
        if (!a.path("ok").asBoolean()) {
            throw new CliException(ExitCodes.FAILED, a.path("error").asText("the node refused the request"));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(a.toString());
        } else {
            Table t = new Table("CALLER", "TO", "MSG_TYPE", "KEY", "MSG_NUM", "MSG_SEQ", "STATE", "AGE_US");
            for (JsonNode c : a.path("calls")) {
                t.row(
                        c.path("caller").asText(),
                        c.path("node").asInt(),
                        c.path("msgType").asInt(),
                        c.path("key").asText(),
                        c.path("msgNum").asInt(),
                        c.path("msgSeq").asLong(),
                        c.path("state").asText(),
                        c.path("ageUs").asLong());
            }
            out.printf(
                    "node %d: %d call(s) in progress%n",
                    a.path("node").asInt(), a.path("calls").size());
            if (!t.isEmpty()) {
                t.print(out);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
