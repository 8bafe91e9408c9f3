// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** One request to a node's {@link AdminServer}: connect, write the line, read the JSON answer. */
final class AdminClient {
    private AdminClient() {}

    /**
     * Sends {@code verb} with {@code args} (or none) and returns the answer.
     *
     * @throws CliException (connect) if nothing listens at {@code socket}; (failed) if the answer is not JSON
     */
    static JsonNode request(Path socket, String verb, JsonNode args) {
        String line = verb + (args == null ? "" : " " + args) + "\n";
        SocketChannel c;
        try {
            c = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw new CliException(ExitCodes.CONNECT, "cannot open a Unix-domain socket: " + e, e);
        }
        try (c) {
            try {
                c.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new CliException(
                        ExitCodes.CONNECT,
                        "--admin-socket " + socket + ": no node answers there (" + e.getMessage() + ")",
                        e);
            }
            ByteBuffer b = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                c.write(b);
            }
            InputStream in = Channels.newInputStream(c);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            String text = out.toString(StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                throw new CliException(
                        ExitCodes.FAILED, "--admin-socket " + socket + ": the node closed without an answer");
            }
            return AdminServer.JSON.readTree(text);
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, "--admin-socket " + socket + ": " + e, e);
        }
    }

    /** Whether a node answers on {@code socket} now. */
    static boolean answers(Path socket) {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
