// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.DecoderException;

/**
 * The peer's handshake is not acceptable. As in the kernel ({@code o2net_check_handshake}) the connection is shut
 * down and the peer gets the persistent error {@link #persistentError()} ({@link Errno#ENOTCONN}): sends to it fail at
 * once. This implementation attempts no reconnect until heartbeat reports the node down and up again; the kernel's
 * {@code o2net_connect_expired} clears the error about idle_timeout later and it tries again.
 * <p>
 * The message reads like the kernel's notice and ends in "Disconnecting."; {@link #logMessage(String)} prefixes it
 * with a node description.
 */
public final class HandshakeMismatchException extends DecoderException {
    private static final long serialVersionUID = 1L;

    /** What did not match, in the order the checks run. */
    public enum Field {
        /** {@code protocol_version} differs from ours, or is not a version this code knows. */
        PROTOCOL_VERSION,
        /** {@code o2net_idle_timeout_ms} differs. */
        IDLE_TIMEOUT,
        /** {@code o2net_keepalive_delay_ms} differs. */
        KEEPALIVE_DELAY,
        /** {@code o2hb_heartbeat_timeout_ms} differs. */
        HEARTBEAT_TIMEOUT,
        /** v12 and v13, checked after the timeouts: the peer's {@code incarnation} is 0, which no node may use. */
        INCARNATION,
        /** v13 only, checked last: the peer announced a {@code window} of 0, in which nothing could ever be sent. */
        WINDOW
    }

    private final Field field;
    private final long local;
    private final long peer;

    /**
     * @param field what did not match
     * @param local our value (u32 fields as unsigned)
     * @param peer  the peer's value (u32 fields as unsigned)
     */
    public HandshakeMismatchException(Field field, long local, long peer) {
        super(text(requireNonNull(field, "field"), local, peer, "peer"));
        this.field = field;
        this.local = local;
        this.peer = peer;
    }

    private static String text(Field field, long local, long peer, String who) {
        switch (field) {
            case PROTOCOL_VERSION:
                return who + " advertised net protocol version " + Long.toUnsignedString(peer) + " but " + local
                        + " is required. Disconnecting.";
            case IDLE_TIMEOUT:
                return who + " uses a network idle timeout of " + peer + " ms, but we use " + local
                        + " ms locally. Disconnecting.";
            case KEEPALIVE_DELAY:
                return who + " uses a keepalive delay of " + peer + " ms, but we use " + local
                        + " ms locally. Disconnecting.";
            case HEARTBEAT_TIMEOUT:
                return who + " uses a heartbeat timeout of " + peer + " ms, but we use " + local
                        + " ms locally. Disconnecting.";
            case INCARNATION:
                return who + " advertised incarnation 0, which is reserved. Disconnecting.";
            case WINDOW:
                return who + " announced a window of 0 messages (at least 1 is needed; ours is " + local
                        + "). Disconnecting.";
            default:
                throw new AssertionError(field);
        }
    }

    /** Returns what did not match. */
    public Field field() {
        return field;
    }

    /** Returns our value of {@link #field()}. */
    public long localValue() {
        return local;
    }

    /** Returns the peer's value of {@link #field()}. */
    public long peerValue() {
        return peer;
    }

    /** Returns the error the connection layer records for the peer: always {@link Errno#ENOTCONN}. */
    public Errno persistentError() {
        return Errno.ENOTCONN;
    }

    /**
     * Returns the kernel-style notice naming the peer, for example
     * {@code "o2net: node b (num 1) at 10.0.0.2:7777 uses a keepalive delay of ... Disconnecting."}.
     */
    public String logMessage(String peerDescription) {
        return "o2net: " + text(field, local, peer, peerDescription);
    }
}
