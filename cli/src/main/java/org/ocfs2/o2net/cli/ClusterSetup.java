// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ocfs2.o2net.config.ClusterConfParser;
import org.ocfs2.o2net.config.ClusterConfig;
import org.ocfs2.o2net.config.ConfigParseException;
import org.ocfs2.o2net.config.O2cbSysconfig;

/**
 * Turns o2cb's two files into a {@link ClusterConfig}: the layout from {@code cluster.conf}
 * ({@link ClusterConfParser}), the timeouts and boot cluster from the sysconfig file ({@link O2cbSysconfig}), the
 * local node from the command line. Every error becomes a {@link CliException} with exit code
 * {@link ExitCodes#CONFIG} that names the file and line, or the option, to fix.
 */
final class ClusterSetup {
    /** Which sysconfig key sets which {@link ClusterConfig.Builder} field, to point a range error at its line. */
    private static final Map<String, String> KEYS = Map.of(
            "idleTimeoutMs", "O2CB_IDLE_TIMEOUT_MS",
            "keepaliveDelayMs", "O2CB_KEEPALIVE_DELAY_MS",
            "reconnectDelayMs", "O2CB_RECONNECT_DELAY_MS",
            "heartbeatDeadThreshold", "O2CB_HEARTBEAT_THRESHOLD");

    private ClusterSetup() {}

    /**
     * @param conf        o2cb's {@code cluster.conf}
     * @param sysconfig   o2cb's sysconfig file, or {@code null} for the default timeouts
     * @param cluster     the cluster to use, or {@code null}: the sysconfig's {@code O2CB_BOOTCLUSTER}, else the only
     *                    one defined
     * @param localName   the local node's name, or {@code null}
     * @param localNumber the local node's number, used if {@code localName} is {@code null}
     * @param localOption the option that named the local node, for messages
     */
    static ClusterConfig load(
            Path conf,
            Path sysconfig,
            String cluster,
            String localName,
            int localNumber,
            String localOption,
            Protocol protocol,
            boolean allowShortTimeouts) {
        O2cbSysconfig sys = null;
        if (sysconfig != null) {
            sys = read(sysconfig, () -> O2cbSysconfig.parse(sysconfig));
        }
        String name = cluster != null ? cluster : sys != null ? sys.bootCluster() : null;
        ClusterConfig.Builder b = read(conf, () -> ClusterConfParser.parse(conf, name));
        if (sys != null) {
            sys.applyTo(b);
        }
        if (localName != null) {
            b.localNodeName(localName);
        } else {
            b.localNode(localNumber);
        }
        b.protocol(protocol.version());
        if (allowShortTimeouts) {
            b.allowShortTimeouts();
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            if (m.startsWith("local node")) {
                throw new CliException(ExitCodes.CONFIG, localOption + ": " + m + " (" + conf + ")");
            }
            for (Map.Entry<String, String> k : KEYS.entrySet()) {
                if (m.startsWith(k.getKey()) && sysconfig != null) {
                    int line = lineOf(sysconfig, k.getValue());
                    if (line > 0) {
                        throw new CliException(
                                ExitCodes.CONFIG,
                                sysconfig + ":" + line + ": " + k.getValue() + ": " + m
                                        + (allowShortTimeouts
                                                ? ""
                                                : " (--allow-short-timeouts waives o2cb's minimums)"));
                    }
                }
            }
            throw new CliException(ExitCodes.CONFIG, (sysconfig != null ? sysconfig : conf) + ": " + m);
        }
    }

    private interface Reader<T> {
        T read() throws IOException;
    }

    private static <T> T read(Path file, Reader<T> reader) {
        try {
            return reader.read();
        } catch (ConfigParseException e) {
            throw new CliException(ExitCodes.CONFIG, e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCodes.CONFIG, file + ": no such file", e);
        } catch (IOException e) {
            throw new CliException(ExitCodes.CONFIG, file + ": cannot read: " + e, e);
        }
    }

    /** The 1-based line that sets {@code key} last in a sysconfig file, or 0. */
    private static int lineOf(Path sysconfig, String key) {
        try {
            List<String> lines = Files.readAllLines(sysconfig, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).strip().startsWith(key + "=")) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            // the file was read a moment ago; without it the message has no line
        }
        return 0;
    }
}
