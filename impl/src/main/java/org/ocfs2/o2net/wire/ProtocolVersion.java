// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

/**
 * The o2net protocol versions this implementation speaks: the value of {@code protocol_version} in the handshake.
 * <p>
 * Both ends of a connection must use the same version; there is no negotiation (a mismatch closes the connection
 * with a persistent {@link Errno#ENOTCONN}, as in the kernel).
 */
public enum ProtocolVersion {
    /**
     * Kernel o2net ({@code O2NET_PROTOCOL_VERSION} 11): 32-byte handshake, the header's {@code pad1} is 0, no
     * extension.
     */
    V11(11, Handshake.V11_LENGTH),
    /**
     * Reliable o2net: 40-byte handshake (the v11 fields plus {@code incarnation}); {@code pad1} becomes
     * {@code ext_len}, and MSG, STATUS, MH_REMOVE and MH_REMOVED carry an 8-byte {@code msg_seq} extension.
     */
    V12(12, Handshake.V12_LENGTH);

    private final long version;
    private final int handshakeLength;

    ProtocolVersion(long version, int handshakeLength) {
        this.version = version;
        this.handshakeLength = handshakeLength;
    }

    /** Returns the {@code protocol_version} value sent in the handshake. */
    public long version() {
        return version;
    }

    /** Returns the handshake length in bytes: 32 for v11, 40 for v12. */
    public int handshakeLength() {
        return handshakeLength;
    }

    /** Returns {@code true} if {@code magic} is a valid frame kind in this version (MH_* exist only in v12). */
    public boolean supports(Magic magic) {
        return this == V12 || !magic.isReliableOnly();
    }

    /** Returns the {@code ext_len} that frames of kind {@code magic} carry in this version: 0 or 8. */
    public int extLen(Magic magic) {
        return this == V12 && magic.isSequenced() ? O2netMsg.MSG_SEQ_LEN : 0;
    }

    /** Returns the constant for a {@code protocol_version} value, or {@code null} if this code does not speak it. */
    public static ProtocolVersion find(long version) {
        for (ProtocolVersion v : values()) {
            if (v.version == version) {
                return v;
            }
        }
        return null;
    }

    /** Returns {@link #V12} when {@code reliable}, {@link #V11} otherwise. */
    public static ProtocolVersion of(boolean reliable) {
        return reliable ? V12 : V11;
    }
}
