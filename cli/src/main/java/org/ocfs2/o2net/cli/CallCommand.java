// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code o2net call}: asks a running node, over its admin socket, to make one call ({@code O2netNode.send}) and
 * prints the status the remote handler returned, or the errno and {@code sys_status} the call failed with.
 */
@Command(
        name = "call",
        mixinStandardHelpOptions = true,
        versionProvider = O2netCli.Version.class,
        description = {
            "Ask a running node to call a handler on another node and print its status.",
            "Exit 0 when the handler's status came back (whatever its value), 1 when the call failed with an errno."
        })
final class CallCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--admin-socket", required = true, paramLabel = "PATH", description = "the calling node's socket")
    Path adminSocket;

    @Option(names = "--to", required = true, paramLabel = "NODE", description = "the target node: number or name")
    String to;

    @Option(
            names = "--type",
            required = true,
            paramLabel = "T",
            converter = U32.class,
            description = "msg_type, 1..65535 (decimal or 0x hex)")
    int type;

    @Option(
            names = "--key",
            required = true,
            paramLabel = "K",
            converter = U32.class,
            description = "the handler's key, u32 (decimal or 0x hex); the test handlers use 0x74657374")
    int key;

    @ArgGroup(exclusive = true)
    Payload payload;

    static final class Payload {
        @Option(names = "--payload-hex", paramLabel = "HEX", description = "the payload as hex digits")
        String hex;

        @Option(names = "--payload-text", paramLabel = "TEXT", description = "the payload as UTF-8 text")
        String text;
    }

    @Option(names = "--json", description = "print the node's answer as JSON")
    boolean json;

    /** The node's message without its leading "ERRNO: ", which the line shows already. */
    static String withoutErrno(String message, String errno) {
        return message.startsWith(errno + ": ") ? message.substring(errno.length() + 2) : message;
    }

    @Override
    public Integer call() {
        byte[] bytes = new byte[0];
        if (payload != null && payload.hex != null) {
            try {
                bytes = HexFormat.of().parseHex(payload.hex.replace(" ", ""));
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, "--payload-hex: " + e.getMessage());
            }
        } else if (payload != null && payload.text != null) {
            bytes = payload.text.getBytes(StandardCharsets.UTF_8);
        }
        ObjectNode args = AdminServer.JSON.createObjectNode();
        args.put("to", to);
        args.put("type", Integer.toUnsignedLong(type));
        args.put("key", Integer.toUnsignedLong(key));
        args.put("payloadHex", HexFormat.of().formatHex(bytes));
        JsonNode a = AdminClient.request(adminSocket, "call", args);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(a.toString());
        } else if (a.has("status")) {
            out.printf(
                    "node %s: status %d (sys_status %s) in %d us%n",
                    a.path("to").asText(),
                    a.path("status").asInt(),
                    a.path("sysStatus").asText(),
                    a.path("micros").asLong());
        } else if (a.has("errno")) {
            out.printf(
                    "node %s: error %d %s%s: %s%n",
                    a.path("to").asText(),
                    a.path("errnoValue").asInt(),
                    a.path("errno").asText(),
                    a.path("sysStatus").isTextual()
                            ? " (sys_status " + a.path("sysStatus").asText() + ")"
                            : "",
                    withoutErrno(a.path("error").asText(), a.path("errno").asText()));
        }
        out.flush();
        if (a.path("ok").asBoolean()) {
            return ExitCodes.OK;
        }
        if (!a.has("errno")) {
            throw new CliException(
                    a.path("exitCode").asInt(ExitCodes.FAILED), a.path("error").asText("the node refused the request"));
        }
        return ExitCodes.FAILED;
    }
}
