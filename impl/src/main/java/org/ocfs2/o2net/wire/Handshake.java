// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import java.security.SecureRandom;
import org.ocfs2.o2net.config.ClusterConfig;

/**
 * The kernel's {@code struct o2net_handshake}, the first thing each side writes on a new connection, plus the v12
 * {@code incarnation}. Immutable.
 * <pre>
 *  offset  field                       v11 (32 bytes)   v12 (40 bytes)
 *  0       protocol_version   be64     11               12
 *  8       connector_id       be64     1, never checked
 *  16      o2hb_heartbeat_timeout_ms be32
 *  20      o2net_idle_timeout_ms     be32
 *  24      o2net_keepalive_delay_ms  be32
 *  28      o2net_reconnect_delay_ms  be32  (sent, never checked)
 *  32      incarnation        be64     -                random, non-zero, drawn once per node start
 *  40      window             be32     -                v13 (48 bytes) only: the most messages beyond its ack
 *                                                       the peer may send this node (&gt;= 1)
 *  44      reserved           be32     -                v13 only: 0
 * </pre>
 * The timeouts are u32 on the wire and held here as {@code int} bits.
 */
public final class Handshake {
    /** Length of a v11 handshake. */
    public static final int V11_LENGTH = 32;
    /** Length of a v12 handshake. */
    public static final int V12_LENGTH = 40;
    /** Length of a v13 handshake. */
    public static final int V13_LENGTH = 48;
    /** The {@code connector_id} the kernel sends. */
    public static final long CONNECTOR_ID = 1;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ProtocolVersion version;
    private final long connectorId;
    private final int heartbeatTimeoutMs;
    private final int idleTimeoutMs;
    private final int keepaliveDelayMs;
    private final int reconnectDelayMs;
    private final long incarnation;
    private final int window;

    private Handshake(
            ProtocolVersion version,
            long connectorId,
            int heartbeatTimeoutMs,
            int idleTimeoutMs,
            int keepaliveDelayMs,
            int reconnectDelayMs,
            long incarnation,
            int window) {
        this.version = requireNonNull(version, "version");
        this.window = window;
        this.connectorId = connectorId;
        this.heartbeatTimeoutMs = heartbeatTimeoutMs;
        this.idleTimeoutMs = idleTimeoutMs;
        this.keepaliveDelayMs = keepaliveDelayMs;
        this.reconnectDelayMs = reconnectDelayMs;
        this.incarnation = incarnation;
    }

    /** Returns a v11 (kernel) handshake with {@code connector_id} 1. */
    public static Handshake v11(int heartbeatTimeoutMs, int idleTimeoutMs, int keepaliveDelayMs, int reconnectDelayMs) {
        return new Handshake(
                ProtocolVersion.V11,
                CONNECTOR_ID,
                heartbeatTimeoutMs,
                idleTimeoutMs,
                keepaliveDelayMs,
                reconnectDelayMs,
                0,
                0);
    }

    /**
     * Returns a v12 (reliable) handshake with {@code connector_id} 1.
     *
     * @throws IllegalArgumentException if {@code incarnation} is 0
     */
    public static Handshake v12(
            int heartbeatTimeoutMs, int idleTimeoutMs, int keepaliveDelayMs, int reconnectDelayMs, long incarnation) {
        if (incarnation == 0) {
            throw new IllegalArgumentException("incarnation must be non-zero");
        }
        return new Handshake(
                ProtocolVersion.V12,
                CONNECTOR_ID,
                heartbeatTimeoutMs,
                idleTimeoutMs,
                keepaliveDelayMs,
                reconnectDelayMs,
                incarnation,
                0);
    }

    /**
     * Returns a v13 (one round trip) handshake with {@code connector_id} 1.
     *
     * @param window the most messages beyond its ack the peer may send this node ({@code >= 1})
     * @throws IllegalArgumentException if {@code incarnation} is 0 or {@code window} &lt; 1
     */
    public static Handshake v13(
            int heartbeatTimeoutMs,
            int idleTimeoutMs,
            int keepaliveDelayMs,
            int reconnectDelayMs,
            long incarnation,
            int window) {
        if (incarnation == 0) {
            throw new IllegalArgumentException("incarnation must be non-zero");
        }
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, got " + window);
        }
        return new Handshake(
                ProtocolVersion.V13,
                CONNECTOR_ID,
                heartbeatTimeoutMs,
                idleTimeoutMs,
                keepaliveDelayMs,
                reconnectDelayMs,
                incarnation,
                window);
    }

    /**
     * Returns the handshake this node sends under {@code config}: v12 with {@code incarnation} if
     * {@link ClusterConfig#reliable()}, otherwise v11 ({@code incarnation} is then ignored).
     *
     * @throws IllegalArgumentException if the config is reliable and {@code incarnation} is 0
     */
    public static Handshake of(ClusterConfig config, long incarnation) {
        if (config.protocol() == ProtocolVersion.V13) {
            return v13(
                    config.heartbeatTimeoutMs(),
                    config.idleTimeoutMs(),
                    config.keepaliveDelayMs(),
                    config.reconnectDelayMs(),
                    incarnation,
                    config.window());
        }
        if (config.reliable()) {
            return v12(
                    config.heartbeatTimeoutMs(),
                    config.idleTimeoutMs(),
                    config.keepaliveDelayMs(),
                    config.reconnectDelayMs(),
                    incarnation);
        }
        return v11(
                config.heartbeatTimeoutMs(),
                config.idleTimeoutMs(),
                config.keepaliveDelayMs(),
                config.reconnectDelayMs());
    }

    /** Draws a random non-zero incarnation; call once per node start. */
    public static long newIncarnation() {
        long n;
        do {
            n = RANDOM.nextLong();
        } while (n == 0);
        return n;
    }

    /** Returns a copy with a different {@code connector_id} (which no receiver checks). */
    public Handshake withConnectorId(long connectorId) {
        return new Handshake(
                version,
                connectorId,
                heartbeatTimeoutMs,
                idleTimeoutMs,
                keepaliveDelayMs,
                reconnectDelayMs,
                incarnation,
                window);
    }

    /** Returns the protocol version. */
    public ProtocolVersion version() {
        return version;
    }

    /** Returns the v13 window: the most messages beyond its ack the peer may send this node; 0 before v13. */
    public int window() {
        return window;
    }

    /** Returns the wire length of this handshake: 32, 40 or 48. */
    public int length() {
        return version.handshakeLength();
    }

    public long connectorId() {
        return connectorId;
    }

    /** Returns {@code o2hb_heartbeat_timeout_ms}: 2000 x (dead threshold - 1). */
    public int heartbeatTimeoutMs() {
        return heartbeatTimeoutMs;
    }

    public int idleTimeoutMs() {
        return idleTimeoutMs;
    }

    public int keepaliveDelayMs() {
        return keepaliveDelayMs;
    }

    public int reconnectDelayMs() {
        return reconnectDelayMs;
    }

    /** Returns the v12 incarnation, or 0 for v11. */
    public long incarnation() {
        return incarnation;
    }

    /** Writes the 32 or 40 wire bytes. */
    public void writeTo(ByteBuf out) {
        out.writeLong(version.version());
        out.writeLong(connectorId);
        out.writeInt(heartbeatTimeoutMs);
        out.writeInt(idleTimeoutMs);
        out.writeInt(keepaliveDelayMs);
        out.writeInt(reconnectDelayMs);
        if (version.reliable()) {
            out.writeLong(incarnation);
        }
        if (version == ProtocolVersion.V13) {
            out.writeInt(window);
            out.writeInt(0);
        }
    }

    /** Reads a handshake of {@code version}, whose {@code version.handshakeLength()} bytes must be readable. */
    static Handshake readFrom(ByteBuf in, ProtocolVersion version) {
        long v = in.readLong();
        assert v == version.version();
        long connectorId = in.readLong();
        int heartbeat = in.readInt();
        int idle = in.readInt();
        int keepalive = in.readInt();
        int reconnect = in.readInt();
        long incarnation = version.reliable() ? in.readLong() : 0;
        int window = 0;
        if (version == ProtocolVersion.V13) {
            window = in.readInt();
            in.readInt(); // reserved
        }
        return new Handshake(version, connectorId, heartbeat, idle, keepalive, reconnect, incarnation, window);
    }

    /**
     * Checks the peer's handshake against this one, in the kernel's order: protocol version, idle timeout,
     * keepalive delay, heartbeat timeout; then, in v12, a non-zero incarnation. {@code connector_id} and the
     * reconnect delay are not checked.
     *
     * @throws HandshakeMismatchException naming the first field that does not match
     */
    public void verify(Handshake peer) {
        if (peer.version != version) {
            throw versionMismatch(peer.version.version());
        }
        check(HandshakeMismatchException.Field.IDLE_TIMEOUT, idleTimeoutMs, peer.idleTimeoutMs);
        check(HandshakeMismatchException.Field.KEEPALIVE_DELAY, keepaliveDelayMs, peer.keepaliveDelayMs);
        check(HandshakeMismatchException.Field.HEARTBEAT_TIMEOUT, heartbeatTimeoutMs, peer.heartbeatTimeoutMs);
        if (version.reliable() && peer.incarnation == 0) {
            throw new HandshakeMismatchException(HandshakeMismatchException.Field.INCARNATION, incarnation, 0);
        }
        if (version == ProtocolVersion.V13 && Integer.compareUnsigned(peer.window, 1) < 0) {
            throw new HandshakeMismatchException(HandshakeMismatchException.Field.WINDOW, window, 0);
        }
    }

    /** Returns the mismatch for a peer that advertised {@code peerVersion} (which may be one we do not know). */
    HandshakeMismatchException versionMismatch(long peerVersion) {
        return new HandshakeMismatchException(
                HandshakeMismatchException.Field.PROTOCOL_VERSION, version.version(), peerVersion);
    }

    private static void check(HandshakeMismatchException.Field field, int local, int peer) {
        if (local != peer) {
            throw new HandshakeMismatchException(field, Integer.toUnsignedLong(local), Integer.toUnsignedLong(peer));
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Handshake)) {
            return false;
        }
        Handshake h = (Handshake) o;
        return version == h.version
                && connectorId == h.connectorId
                && heartbeatTimeoutMs == h.heartbeatTimeoutMs
                && idleTimeoutMs == h.idleTimeoutMs
                && keepaliveDelayMs == h.keepaliveDelayMs
                && reconnectDelayMs == h.reconnectDelayMs
                && incarnation == h.incarnation
                && window == h.window;
    }

    @Override
    public int hashCode() {
        int h = version.hashCode();
        h = 31 * h + Long.hashCode(connectorId);
        h = 31 * h + heartbeatTimeoutMs;
        h = 31 * h + idleTimeoutMs;
        h = 31 * h + keepaliveDelayMs;
        h = 31 * h + reconnectDelayMs;
        h = 31 * h + window;
        return 31 * h + Long.hashCode(incarnation);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(160)
                .append("Handshake(v")
                .append(version.version())
                .append(", connectorId=")
                .append(Long.toUnsignedString(connectorId))
                .append(", heartbeatTimeoutMs=")
                .append(Integer.toUnsignedString(heartbeatTimeoutMs))
                .append(", idleTimeoutMs=")
                .append(Integer.toUnsignedString(idleTimeoutMs))
                .append(", keepaliveDelayMs=")
                .append(Integer.toUnsignedString(keepaliveDelayMs))
                .append(", reconnectDelayMs=")
                .append(Integer.toUnsignedString(reconnectDelayMs));
        if (version.reliable()) {
            sb.append(", incarnation=0x").append(Long.toHexString(incarnation));
        }
        if (version == ProtocolVersion.V13) {
            sb.append(", window=").append(Integer.toUnsignedString(window));
        }
        return sb.append(')').toString();
    }
}
