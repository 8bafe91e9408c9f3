// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node's admin socket: a Unix-domain socket at a path (mode 0600, so only the node's user can use it; it
 * is removed when the node stops). The protocol is one request per connection:
 * <pre>
 *   client: VERB [JSON-ARGS]\n       e.g. "status", "send-tracking", "call {"to":"n2","type":1,"key":1952805748}"
 *   server: one JSON object\n         {"ok":true,...} or {"ok":false,"error":"..."}; then it closes
 * </pre>
 * Requests run on their own threads, so a {@code call} that blocks does not hold up {@code status}. Local only: the
 * socket is a file, not a TCP port.
 */
final class AdminServer implements AutoCloseable {
    /** Answers one request: {@code verb} and its arguments (an empty object if none). */
    interface Dispatcher {
        ObjectNode handle(String verb, JsonNode args) throws Exception;
    }

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger logger = LoggerFactory.getLogger(AdminServer.class);
    private static final int MAX_REQUEST = 64 * 1024;

    private final Path path;
    private final ServerSocketChannel server;
    private final Dispatcher dispatcher;
    private final ExecutorService threads;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private AdminServer(Path path, ServerSocketChannel server, Dispatcher dispatcher) {
        this.path = path;
        this.server = server;
        this.dispatcher = dispatcher;
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "o2net-admin");
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "o2net-admin-accept");
        this.acceptor.setDaemon(true);
    }

    /**
     * Listens at {@code path}. A stale socket file left by a node that died is replaced; a live one (a node answers
     * there) is not.
     *
     * @throws CliException (failed) if the path is in use or cannot be bound
     */
    static AdminServer start(Path path, Dispatcher dispatcher) {
        Path p = path.toAbsolutePath();
        if (Files.exists(p)) {
            if (AdminClient.answers(p)) {
                throw new CliException(
                        ExitCodes.FAILED, "--admin-socket " + path + ": another node answers on this socket");
            }
            try {
                Files.delete(p);
            } catch (IOException e) {
                throw new CliException(ExitCodes.FAILED, "--admin-socket " + path + ": cannot remove stale file: " + e);
            }
        }
        ServerSocketChannel ch = null;
        try {
            ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.bind(UnixDomainSocketAddress.of(p));
            try {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep the default mode
            }
        } catch (IOException e) {
            closeQuietly(ch);
            throw new CliException(ExitCodes.FAILED, "--admin-socket " + path + ": cannot listen: " + e, e);
        }
        AdminServer s = new AdminServer(p, ch, dispatcher);
        s.acceptor.start();
        return s;
    }

    Path path() {
        return path;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    logger.warn("o2net: admin socket {}: accept failed: {}", path, e.toString());
                }
                return;
            }
            open.add(c);
            try {
                threads.execute(() -> serve(c));
            } catch (RuntimeException e) {
                open.remove(c);
                closeQuietly(c);
            }
        }
    }

    private void serve(SocketChannel c) {
        try (c) {
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
            String line = readLine(in);
            ObjectNode answer = answer(line);
            OutputStream out = Channels.newOutputStream(c);
            out.write((JSON.writeValueAsString(answer) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            logger.debug("o2net: admin socket {}: {}", path, e.toString());
        } finally {
            open.remove(c);
        }
    }

    private static String readLine(BufferedReader in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int ch;
        while ((ch = in.read()) >= 0 && ch != '\n') {
            if (sb.length() >= MAX_REQUEST) {
                return null;
            }
            sb.append((char) ch);
        }
        return sb.toString().strip();
    }

    private ObjectNode answer(String line) {
        if (line == null) {
            return error("request longer than " + MAX_REQUEST + " bytes");
        }
        int sp = line.indexOf(' ');
        String verb = sp < 0 ? line : line.substring(0, sp);
        JsonNode args = JSON.createObjectNode();
        if (sp >= 0 && !line.substring(sp + 1).isBlank()) {
            try {
                args = JSON.readTree(line.substring(sp + 1));
            } catch (IOException e) {
                return error("arguments of '" + verb + "' are not JSON: " + e.getMessage());
            }
            if (!args.isObject()) {
                return error("arguments of '" + verb + "' must be a JSON object");
            }
        }
        try {
            ObjectNode a = dispatcher.handle(verb, args);
            if (!a.has("ok")) {
                a.put("ok", true);
            }
            return a;
        } catch (CliException e) {
            ObjectNode n = error(e.getMessage());
            n.put("exitCode", e.exitCode());
            return n;
        } catch (IllegalArgumentException e) {
            return error(e.getMessage());
        } catch (Exception e) {
            logger.warn("o2net: admin request '{}' failed", verb, e);
            return error(e.toString());
        }
    }

    static ObjectNode error(String message) {
        ObjectNode n = JSON.createObjectNode();
        n.put("ok", false);
        n.put("error", message);
        return n;
    }

    /**
     * Stops listening and removes the socket file; requests in progress get {@code grace} to write their answers
     * (a call failed by the node's close answers at once), then their connections are closed.
     */
    void close(long graceMillis) {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(server);
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            logger.debug("o2net: cannot remove {}: {}", path, e.toString());
        }
        threads.shutdown();
        try {
            if (!threads.awaitTermination(graceMillis, TimeUnit.MILLISECONDS)) {
                for (SocketChannel c : open) {
                    closeQuietly(c);
                }
                threads.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(2000);
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
