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
    V12(12, Handshake.V12_LENGTH),
    /**
     * One round trip ({@code spec/tla/AckO2net.tla}): 48-byte handshake (the v12 fields plus {@code window} and a
     * reserved word); MSG and STATUS carry a 16-byte extension ({@code msg_seq}, {@code ack}), the new ACK frame an
     * 8-byte one ({@code ack}); MH_REMOVE and MH_REMOVED do not exist. A new number: v12 stays the RFC as written.
     */
    V13(13, Handshake.V13_LENGTH);

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

    /** Returns the handshake length in bytes: 32 for v11, 40 for v12, 48 for v13. */
    public int handshakeLength() {
        return handshakeLength;
    }

    /**
     * Returns {@code true} if {@code magic} is a valid frame kind in this version: MH_REMOVE and MH_REMOVED exist only
     * in v12, ACK only in v13.
     */
    public boolean supports(Magic magic) {
        return switch (this) {
            case V11 -> !magic.isReliableOnly();
            case V12 -> magic != Magic.ACK;
            case V13 -> magic != Magic.MH_REMOVE && magic != Magic.MH_REMOVED;
        };
    }

    /**
     * Returns the {@code ext_len} that frames of kind {@code magic} carry in this version: 0, 8 ({@code msg_seq} in
     * v12; {@code ack} of a v13 ACK) or 16 ({@code msg_seq} and {@code ack} of a v13 MSG or STATUS).
     */
    public int extLen(Magic magic) {
        return switch (this) {
            case V11 -> 0;
            case V12 -> magic.isSequenced() ? O2netMsg.MSG_SEQ_LEN : 0;
            case V13 ->
                magic == Magic.MSG || magic == Magic.STATUS
                        ? O2netMsg.MSG_SEQ_LEN + O2netMsg.ACK_LEN
                        : magic == Magic.ACK ? O2netMsg.ACK_LEN : 0;
        };
    }

    /** Returns {@code true} if frames of this version carry the sender's cumulative {@code ack} (v13). */
    public boolean carriesAck() {
        return this == V13;
    }

    /** Returns {@code true} for the reliable versions (v12, v13): {@code msg_seq}, Message Holders, incarnations. */
    public boolean reliable() {
        return this != V11;
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
