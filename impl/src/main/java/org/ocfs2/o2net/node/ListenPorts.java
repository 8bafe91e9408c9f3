// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Listening sockets for local clusters whose nodes restart (tests, {@code o2net demo}). A node listens on its configured port, so a restarted
 * node must bind the same port again. A port the kernel hands out for port 0 lies in the ephemeral range, where an
 * outbound connection bound to port 0 may take it while its node is down; so this binds a random port in [10000, the
 * ephemeral range's low bound), as o2net's 7777 is, and keeps it bound: the socket goes to the node
 * ({@link O2netNode.Builder#serverChannel}), so no port is probed, released and bound again. A restart binds the
 * configured port with {@link O2netNode#listen} once: SO_REUSEADDR lets it bind over the old connections' TIME_WAIT.
 */
public final class ListenPorts {
    private static final int FIRST = 10_000;

    private ListenPorts() {}

    /** A socket listening on {@code address} at a free port below the ephemeral range (or from the OS if none). */
    public static ServerSocketChannel belowEphemeralRange(String address) {
        int low = ephemeralLow();
        if (low - FIRST < 1000) {
            return O2netNode.listen(address, 0);
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; ; attempt++) {
            try {
                return O2netNode.listen(address, random.nextInt(FIRST, low));
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof BindException) || attempt == 100) {
                    throw e;
                }
                // in use by something else: try another; nothing was released that another could take
            }
        }
    }

    private static int ephemeralLow() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32768; // not Linux: Linux's default, below the IANA range (49152..) too
        }
    }
}
