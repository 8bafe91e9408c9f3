// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

/**
 * The frame kinds, identified by the {@code magic} field of {@code struct o2net_msg}.
 */
public enum Magic {
    /** {@code O2NET_MSG_MAGIC}: a request for a remote handler; the only kind that carries a payload. */
    MSG(0xfa55, true, false),
    /** {@code O2NET_MSG_STATUS_MAGIC}: the status reply to a {@link #MSG}. */
    STATUS(0xfa56, true, false),
    /** {@code O2NET_MSG_KEEP_REQ_MAGIC}: keepalive request, a bare header. */
    KEEP_REQ(0xfa57, false, false),
    /** {@code O2NET_MSG_KEEP_RESP_MAGIC}: keepalive response, a bare header. */
    KEEP_RESP(0xfa58, false, false),
    /** Reliable protocol (v12) only: the sender asks the receiver to remove the Message Holder of a message. */
    MH_REMOVE(0xfa59, true, true),
    /** Reliable protocol (v12) only: the receiver confirms that the Message Holder is gone. */
    MH_REMOVED(0xfa5a, true, true),
    /**
     * One-round-trip protocol (v13) only: the sender's cumulative acknowledgement alone, when no MSG carried it
     * ({@code spec/tla/AckO2net.tla}'s {@code SendAck}); an 8-byte {@code ack} extension, no {@code msg_seq}.
     */
    ACK(0xfa5b, false, true);

    private final int value;
    private final boolean sequenced;
    private final boolean reliableOnly;

    Magic(int value, boolean sequenced, boolean reliableOnly) {
        this.value = value;
        this.sequenced = sequenced;
        this.reliableOnly = reliableOnly;
    }

    /** Returns the 16-bit value on the wire. */
    public int value() {
        return value;
    }

    /** Returns {@code true} if frames of this kind carry the {@code msg_seq} extension in v12. */
    public boolean isSequenced() {
        return sequenced;
    }

    /** Returns {@code true} if this kind exists only in a reliable protocol (v12 or v13; see {@link ProtocolVersion#supports}). */
    public boolean isReliableOnly() {
        return reliableOnly;
    }

    /** Returns {@code true} if frames of this kind may have {@code data_len} > 0 (only {@link #MSG}). */
    public boolean mayCarryPayload() {
        return this == MSG;
    }

    /** Returns the constant for a wire value, or {@code null} if the value is not a known magic. */
    public static Magic find(int value) {
        switch (value) {
            case 0xfa55:
                return MSG;
            case 0xfa56:
                return STATUS;
            case 0xfa57:
                return KEEP_REQ;
            case 0xfa58:
                return KEEP_RESP;
            case 0xfa59:
                return MH_REMOVE;
            case 0xfa5a:
                return MH_REMOVED;
            case 0xfa5b:
                return ACK;
            default:
                return null;
        }
    }

    /** Formats a wire magic as the kernel writes it, for example {@code 0xfa55}. */
    static String hex(int value) {
        return String.format("0x%04x", value);
    }
}
