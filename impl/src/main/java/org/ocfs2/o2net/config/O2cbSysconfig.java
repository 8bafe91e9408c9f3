// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.config;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.OptionalInt;

/**
 * The timeouts and boot cluster from o2cb's shell-style settings file ({@code /etc/sysconfig/o2cb}, on Debian
 * {@code /etc/default/o2cb}): lines {@code KEY=value}, values optionally quoted, {@code #} comments.
 * <p>
 * Read: {@code O2CB_BOOTCLUSTER}, {@code O2CB_HEARTBEAT_THRESHOLD}, {@code O2CB_IDLE_TIMEOUT_MS},
 * {@code O2CB_KEEPALIVE_DELAY_MS}, {@code O2CB_RECONNECT_DELAY_MS}. Other keys are ignored; an empty value means
 * "not set" (the default applies). Range checks are left to {@link ClusterConfig.Builder#build()}.
 */
public final class O2cbSysconfig {
    /** Where o2cb keeps the file on RPM-based systems. */
    public static final Path DEFAULT_PATH = Paths.get("/etc/sysconfig/o2cb");

    private String bootCluster;
    private OptionalInt heartbeatThreshold = OptionalInt.empty();
    private OptionalInt idleTimeoutMs = OptionalInt.empty();
    private OptionalInt keepaliveDelayMs = OptionalInt.empty();
    private OptionalInt reconnectDelayMs = OptionalInt.empty();

    private O2cbSysconfig() {}

    public static O2cbSysconfig parse(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, file.toString());
        }
    }

    /** Parses the text from {@code reader}; {@code source} names it in error messages. */
    public static O2cbSysconfig parse(Reader reader, String source) throws IOException {
        requireNonNull(source, "source");
        BufferedReader in = reader instanceof BufferedReader ? (BufferedReader) reader : new BufferedReader(reader);
        O2cbSysconfig c = new O2cbSysconfig();
        String text;
        int lineNo = 0;
        while ((text = in.readLine()) != null) {
            lineNo++;
            String line = text.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? "" : line.substring(0, eq);
            if (eq < 0 || key.isEmpty() || !key.chars().allMatch(ch -> ch == '_' || Character.isLetterOrDigit(ch))) {
                throw new ConfigParseException(source, lineNo, "expected KEY=value, got '" + line + "'");
            }
            String value = unquote(line.substring(eq + 1).strip(), source, lineNo);
            switch (key) {
                case "O2CB_BOOTCLUSTER":
                    c.bootCluster = value.isEmpty() ? null : value;
                    break;
                case "O2CB_HEARTBEAT_THRESHOLD":
                    c.heartbeatThreshold = number(key, value, source, lineNo);
                    break;
                case "O2CB_IDLE_TIMEOUT_MS":
                    c.idleTimeoutMs = number(key, value, source, lineNo);
                    break;
                case "O2CB_KEEPALIVE_DELAY_MS":
                    c.keepaliveDelayMs = number(key, value, source, lineNo);
                    break;
                case "O2CB_RECONNECT_DELAY_MS":
                    c.reconnectDelayMs = number(key, value, source, lineNo);
                    break;
                default:
                    break;
            }
        }
        return c;
    }

    private static String unquote(String value, String source, int line) throws ConfigParseException {
        if (!value.isEmpty() && (value.charAt(0) == '"' || value.charAt(0) == '\'')) {
            char q = value.charAt(0);
            if (value.length() < 2 || value.charAt(value.length() - 1) != q) {
                throw new ConfigParseException(source, line, "unterminated quote in '" + value + "'");
            }
            return value.substring(1, value.length() - 1).strip();
        }
        return value;
    }

    private static OptionalInt number(String key, String value, String source, int line) throws ConfigParseException {
        if (value.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            throw new ConfigParseException(source, line, key + " '" + value + "' is not a number");
        }
    }

    /** Returns {@code O2CB_BOOTCLUSTER}, or {@code null} if not set. */
    public String bootCluster() {
        return bootCluster;
    }

    public OptionalInt heartbeatThreshold() {
        return heartbeatThreshold;
    }

    public OptionalInt idleTimeoutMs() {
        return idleTimeoutMs;
    }

    public OptionalInt keepaliveDelayMs() {
        return keepaliveDelayMs;
    }

    public OptionalInt reconnectDelayMs() {
        return reconnectDelayMs;
    }

    /** Sets on {@code builder} every timeout this file sets, and returns the builder. */
    public ClusterConfig.Builder applyTo(ClusterConfig.Builder builder) {
        heartbeatThreshold.ifPresent(builder::heartbeatDeadThreshold);
        idleTimeoutMs.ifPresent(builder::idleTimeoutMs);
        keepaliveDelayMs.ifPresent(builder::keepaliveDelayMs);
        reconnectDelayMs.ifPresent(builder::reconnectDelayMs);
        return builder;
    }
}
