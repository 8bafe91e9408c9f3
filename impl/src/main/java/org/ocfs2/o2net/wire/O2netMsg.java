// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One o2net frame: the kernel's {@code struct o2net_msg} header, the v12 {@code msg_seq} extension and the payload.
 * <p>
 * Immutable. The payload is a private {@code byte[]} (at most {@value #MAX_PAYLOAD_BYTES} bytes), copied in and out,
 * so a frame owns no {@code ByteBuf}, needs no release, and can be kept (for example in a Message Holder) and encoded
 * again after a reconnect. The integer fields hold the wire bits: {@code sysStatus}, {@code status}, {@code key} and
 * {@code msgNum} are 32-bit and {@code msgSeq} 64-bit; the u32 fields are unsigned on the wire and {@code status} is
 * signed. {@code msgType} is 16-bit unsigned ({@code 0..65535}).
 * <p>
 * {@code msgSeq} is {@code 0} for frames without the extension: every v11 frame and every keepalive. In v12 a
 * sequenced frame (see {@link Magic#isSequenced()}) carries a non-zero {@code msgSeq}.
 * <p>
 * The wire layout is drawn in {@link FrameDecoder}.
 */
public final class O2netMsg implements Frame {
    /** {@code sizeof(struct o2net_msg)}. */
    public static final int HEADER_LEN = 24;
    /** Length of the v12 extension: {@code msg_seq}, be64. */
    public static final int MSG_SEQ_LEN = 8;
    /** Length of the v13 {@code ack} field, be64 (after {@code msg_seq} in MSG and STATUS; alone in ACK). */
    public static final int ACK_LEN = 8;
    /** {@code O2NET_MAX_PAYLOAD_BYTES}: 4096 minus the header. */
    public static final int MAX_PAYLOAD_BYTES = 4096 - HEADER_LEN;
    /** The longest frame on the wire: a v13 MSG with a full payload. */
    public static final int MAX_FRAME_LEN = HEADER_LEN + MSG_SEQ_LEN + ACK_LEN + MAX_PAYLOAD_BYTES;
    /** Largest {@code msg_type} that fits in the 16-bit wire field. */
    public static final int MAX_MSG_TYPE = 0xffff;

    private static final byte[] EMPTY = new byte[0];
    private static final O2netMsg KEEP_REQ = new O2netMsg(Magic.KEEP_REQ, 0, 0, 0, 0, 0, 0, EMPTY);
    private static final O2netMsg KEEP_RESP = new O2netMsg(Magic.KEEP_RESP, 0, 0, 0, 0, 0, 0, EMPTY);

    private final Magic magic;
    private final int msgType;
    private final int sysStatus;
    private final int status;
    private final int key;
    private final int msgNum;
    private final long msgSeq;
    private final long ack;
    private final byte[] payload;

    /** Takes ownership of {@code payload}; validates every field. A frame without {@code ack} (v11, v12). */
    O2netMsg(Magic magic, int msgType, int sysStatus, int status, int key, int msgNum, long msgSeq, byte[] payload) {
        this(magic, msgType, sysStatus, status, key, msgNum, msgSeq, payload, 0);
    }

    /** Takes ownership of {@code payload}; validates every field. */
    O2netMsg(
            Magic magic,
            int msgType,
            int sysStatus,
            int status,
            int key,
            int msgNum,
            long msgSeq,
            byte[] payload,
            long ack) {
        this.magic = requireNonNull(magic, "magic");
        this.payload = requireNonNull(payload, "payload");
        if (msgType < 0 || msgType > MAX_MSG_TYPE) {
            throw new IllegalArgumentException("msgType " + msgType + " does not fit the 16-bit wire field");
        }
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds "
                    + "O2NET_MAX_PAYLOAD_BYTES (" + MAX_PAYLOAD_BYTES + ")");
        }
        if (payload.length != 0 && !magic.mayCarryPayload()) {
            throw new IllegalArgumentException(magic + " frame cannot carry a payload (" + payload.length + " bytes)");
        }
        if (!magic.isSequenced() && msgSeq != 0) {
            throw new IllegalArgumentException(
                    magic + " frame carries no msg_seq, got " + Long.toUnsignedString(msgSeq));
        }
        if (magic == Magic.STATUS && (sysStatus < 0 || sysStatus >= SysStatus.MAX)) {
            throw new IllegalArgumentException("STATUS sys_status " + Integer.toUnsignedString(sysStatus)
                    + " is not below O2NET_ERR_MAX (" + SysStatus.MAX + ")");
        }
        if (ack != 0 && magic != Magic.MSG && magic != Magic.STATUS && magic != Magic.ACK) {
            throw new IllegalArgumentException(magic + " frame carries no ack, got " + Long.toUnsignedString(ack));
        }
        this.ack = ack;
        this.msgType = msgType;
        this.sysStatus = sysStatus;
        this.status = status;
        this.key = key;
        this.msgNum = msgNum;
        this.msgSeq = msgSeq;
    }

    /**
     * Returns a request ({@link Magic#MSG}).
     *
     * @param msgType handler type, {@code 0..65535}
     * @param key     handler key
     * @param msgNum  the sender's waiter id
     * @param msgSeq  the per-peer sequence number (v12, from 1), or {@code 0} for v11
     * @param payload copied; at most {@value #MAX_PAYLOAD_BYTES} bytes
     */
    public static O2netMsg request(int msgType, int key, int msgNum, long msgSeq, byte[] payload) {
        return new O2netMsg(
                Magic.MSG,
                msgType,
                0,
                0,
                key,
                msgNum,
                msgSeq,
                requireNonNull(payload, "payload").clone());
    }

    /**
     * Returns a request over the caller's own array, not a copy, stamped with the sender's acknowledgement {@code ack}
     * (v13; {@code 0} otherwise): the frame a node holds for resends, built once per call. The array must not change
     * while the frame lives; a node's {@code send} documents that its caller keeps it unchanged until the call returns.
     *
     * @param msgType handler type, {@code 0..65535}
     * @param key     handler key
     * @param msgNum  the sender's waiter id
     * @param msgSeq  the per-peer sequence number (v12, from 1), or {@code 0} for v11
     * @param ack     the sender's cumulative acknowledgement (v13), or {@code 0}
     * @param payload not copied; at most {@value #MAX_PAYLOAD_BYTES} bytes
     */
    public static O2netMsg wrapRequest(int msgType, int key, int msgNum, long msgSeq, long ack, byte[] payload) {
        return new O2netMsg(Magic.MSG, msgType, 0, 0, key, msgNum, msgSeq, requireNonNull(payload, "payload"), ack);
    }

    /**
     * Returns a status reply ({@link Magic#STATUS}) given as its fields: what {@link #statusReply(SysStatus, int, long)}
     * returns for a request with this {@code msgType}, {@code key}, {@code msgNum} and {@code msgSeq}.
     *
     * @param sysStatus {@code O2NET_ERR_*}, below {@link SysStatus#MAX}
     * @param ack       the replying node's cumulative acknowledgement (v13), or {@code 0}
     */
    public static O2netMsg status(int msgType, int sysStatus, int status, int key, int msgNum, long msgSeq, long ack) {
        return new O2netMsg(Magic.STATUS, msgType, sysStatus, status, key, msgNum, msgSeq, EMPTY, ack);
    }

    /**
     * Returns a v13 ACK frame: the sender's cumulative acknowledgement {@code ack} alone
     * ({@code spec/tla/AckO2net.tla}'s {@code AckFrame(a)}).
     */
    public static O2netMsg ackFrame(long ack) {
        return new O2netMsg(Magic.ACK, 0, 0, 0, 0, 0, 0, EMPTY, ack);
    }

    /** Returns the keepalive request: a bare header, every field but {@code magic} zero. */
    public static O2netMsg keepReq() {
        return KEEP_REQ;
    }

    /** Returns the keepalive response: a bare header, every field but {@code magic} zero. */
    public static O2netMsg keepResp() {
        return KEEP_RESP;
    }

    /** Returns a builder for a frame of kind {@code magic}, every field zero. */
    public static Builder builder(Magic magic) {
        return new Builder(magic);
    }

    /**
     * Returns the status reply to this request, as the kernel builds it: magic STATUS, {@code msg_type}, {@code key},
     * {@code msg_num} (and {@code msg_seq}) unchanged, {@code data_len} 0.
     *
     * @throws IllegalStateException if this frame is not a {@link Magic#MSG}
     */
    public O2netMsg statusReply(SysStatus sysStatus, int status) {
        requireNonNull(sysStatus, "sysStatus");
        checkMagic(Magic.MSG, "statusReply");
        return new O2netMsg(Magic.STATUS, msgType, sysStatus.code(), status, key, msgNum, msgSeq, EMPTY);
    }

    /**
     * Returns the status reply to this request stamped with the replying node's acknowledgement {@code ack} (v13):
     * {@link #statusReply(SysStatus, int)} and {@link #withAck(long)} in one frame.
     *
     * @throws IllegalStateException if this frame is not a {@link Magic#MSG}
     */
    public O2netMsg statusReply(SysStatus sysStatus, int status, long ack) {
        requireNonNull(sysStatus, "sysStatus");
        checkMagic(Magic.MSG, "statusReply");
        return new O2netMsg(Magic.STATUS, msgType, sysStatus.code(), status, key, msgNum, msgSeq, EMPTY, ack);
    }

    /**
     * Returns the {@link Magic#MH_REMOVE} for the message this request or status reply belongs to: {@code msg_type},
     * {@code key}, {@code msg_num} and {@code msg_seq} unchanged, the status fields zero, no payload.
     *
     * @throws IllegalStateException if this frame is neither {@link Magic#MSG} nor {@link Magic#STATUS}
     */
    public O2netMsg removeRequest() {
        if (magic != Magic.MSG && magic != Magic.STATUS) {
            throw new IllegalStateException("removeRequest() needs a MSG or STATUS frame, not " + magic);
        }
        return removeRequest(msgType, key, msgNum, msgSeq);
    }

    /**
     * Returns the {@link Magic#MH_REMOVE} for the message with this {@code msgType}, {@code key}, {@code msgNum} and
     * {@code msgSeq} (v12): what {@link #removeRequest()} returns for its request, for a sender that holds the header
     * and not the frame.
     */
    public static O2netMsg removeRequest(int msgType, int key, int msgNum, long msgSeq) {
        return new O2netMsg(Magic.MH_REMOVE, msgType, 0, 0, key, msgNum, msgSeq, EMPTY);
    }

    /**
     * Returns the {@link Magic#MH_REMOVED} confirming this {@link Magic#MH_REMOVE}, with the same {@code msg_type},
     * {@code key}, {@code msg_num} and {@code msg_seq}.
     *
     * @throws IllegalStateException if this frame is not a {@link Magic#MH_REMOVE}
     */
    public O2netMsg removedReply() {
        checkMagic(Magic.MH_REMOVE, "removedReply");
        return new O2netMsg(Magic.MH_REMOVED, msgType, 0, 0, key, msgNum, msgSeq, EMPTY);
    }

    /** Returns a copy with {@code msg_num} replaced, for example for a re-send under a new waiter id. */
    public O2netMsg withMsgNum(int msgNum) {
        return new O2netMsg(magic, msgType, sysStatus, status, key, msgNum, msgSeq, payload, ack);
    }

    /** Returns a copy with {@code msg_seq} replaced. */
    public O2netMsg withMsgSeq(long msgSeq) {
        return new O2netMsg(magic, msgType, sysStatus, status, key, msgNum, msgSeq, payload, ack);
    }

    private void checkMagic(Magic expected, String op) {
        if (magic != expected) {
            throw new IllegalStateException(op + "() needs a " + expected + " frame, not " + magic);
        }
    }

    /** Returns the frame kind. */
    public Magic magic() {
        return magic;
    }

    /** Returns {@code data_len}: the payload length in bytes, header and extension not counted. */
    public int dataLen() {
        return payload.length;
    }

    /** Returns this frame: it is a value already. */
    @Override
    public O2netMsg toValue() {
        return this;
    }

    /** Returns {@code msg_type}, {@code 0..65535}. */
    public int msgType() {
        return msgType;
    }

    /** Returns {@code sys_status} (u32 bits). */
    public int sysStatus() {
        return sysStatus;
    }

    /**
     * Returns {@code sys_status} as a {@link SysStatus}.
     *
     * @throws IllegalArgumentException if the value is not a valid code (only possible for non-STATUS frames)
     */
    public SysStatus sysStatusCode() {
        return SysStatus.of(sysStatus);
    }

    /** Returns {@code status}: in a reply, the handler's signed return value. */
    public int status() {
        return status;
    }

    /** Returns {@code key} (u32 bits). */
    public int key() {
        return key;
    }

    /** Returns {@code msg_num} (u32 bits): the sender's waiter id. */
    public int msgNum() {
        return msgNum;
    }

    /** Returns {@code msg_seq} (u64 bits), or {@code 0} for a frame without the extension. */
    public long msgSeq() {
        return msgSeq;
    }

    /**
     * Returns the sender's cumulative acknowledgement carried by a v13 MSG, STATUS or ACK: every message of its own
     * at or below it is finished, so the receiver may free their Message Holders. {@code 0}: none (and in v11/v12).
     */
    public long ack() {
        return ack;
    }

    /** Returns a copy carrying {@code ack} (v13: stamped when the frame is written, so a re-send carries today's). */
    public O2netMsg withAck(long ack) {
        return ack == this.ack
                ? this
                : new O2netMsg(magic, msgType, sysStatus, status, key, msgNum, msgSeq, payload, ack);
    }

    /** Returns a copy of the payload; empty, never {@code null}, for frames without one. */
    public byte[] payload() {
        return payload.length == 0 ? EMPTY : payload.clone();
    }

    /**
     * Returns the payload as a read-only buffer over the frame's own bytes, without a copy (position 0, limit
     * {@code data_len}): for readers that need no array of their own.
     */
    public ByteBuffer payloadBuffer() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }

    /**
     * The big-endian 32-bit integer at byte {@code index} of the payload, read in place, as a kernel handler reads a
     * field of the message it was given: no copy, no buffer.
     *
     * @throws IndexOutOfBoundsException if the payload has no 4 bytes at {@code index}
     */
    public int payloadInt(int index) {
        java.util.Objects.checkFromIndexSize(index, 4, payload.length);
        return (payload[index] & 0xff) << 24
                | (payload[index + 1] & 0xff) << 16
                | (payload[index + 2] & 0xff) << 8
                | (payload[index + 3] & 0xff);
    }

    /** The payload without a copy: for the encoder and decoder of this package only. */
    byte[] payloadArray() {
        return payload;
    }

    /** Returns the number of bytes this frame occupies on the wire in {@code version}: 24 + ext_len + data_len. */
    public int frameLength(ProtocolVersion version) {
        return HEADER_LEN + version.extLen(magic) + payload.length;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof O2netMsg)) {
            return false;
        }
        O2netMsg m = (O2netMsg) o;
        return magic == m.magic
                && msgType == m.msgType
                && sysStatus == m.sysStatus
                && status == m.status
                && key == m.key
                && msgNum == m.msgNum
                && msgSeq == m.msgSeq
                && ack == m.ack
                && Arrays.equals(payload, m.payload);
    }

    @Override
    public int hashCode() {
        int h = magic.hashCode();
        h = 31 * h + msgType;
        h = 31 * h + sysStatus;
        h = 31 * h + status;
        h = 31 * h + key;
        h = 31 * h + msgNum;
        h = 31 * h + Long.hashCode(msgSeq);
        h = 31 * h + Long.hashCode(ack);
        return 31 * h + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(96).append(magic).append('(');
        if (magic == Magic.KEEP_REQ || magic == Magic.KEEP_RESP) {
            return sb.append(')').toString();
        }
        if (magic == Magic.ACK) {
            return sb.append("ack=")
                    .append(Long.toUnsignedString(ack))
                    .append(')')
                    .toString();
        }
        sb.append("msgType=")
                .append(msgType)
                .append(", key=0x")
                .append(Integer.toHexString(key))
                .append(", msgNum=")
                .append(Integer.toUnsignedString(msgNum));
        if (msgSeq != 0) {
            sb.append(", msgSeq=").append(Long.toUnsignedString(msgSeq));
        }
        if (ack != 0) {
            sb.append(", ack=").append(Long.toUnsignedString(ack));
        }
        if (magic == Magic.STATUS || sysStatus != 0 || status != 0) {
            sb.append(", sysStatus=")
                    .append(Integer.toUnsignedString(sysStatus))
                    .append(", status=")
                    .append(status);
        }
        if (payload.length != 0) {
            sb.append(", dataLen=").append(payload.length);
        }
        return sb.append(')').toString();
    }

    /**
     * Builds any frame, field by field; {@link #build()} validates as the constructor does. Mostly for tests and for
     * frames the factory methods do not cover.
     */
    public static final class Builder {
        private final Magic magic;
        private int msgType;
        private int sysStatus;
        private int status;
        private int key;
        private int msgNum;
        private long msgSeq;
        private long ack;
        private byte[] payload = EMPTY;

        private Builder(Magic magic) {
            this.magic = requireNonNull(magic, "magic");
        }

        public Builder msgType(int msgType) {
            this.msgType = msgType;
            return this;
        }

        public Builder sysStatus(int sysStatus) {
            this.sysStatus = sysStatus;
            return this;
        }

        public Builder sysStatus(SysStatus sysStatus) {
            this.sysStatus = sysStatus.code();
            return this;
        }

        public Builder status(int status) {
            this.status = status;
            return this;
        }

        public Builder key(int key) {
            this.key = key;
            return this;
        }

        public Builder msgNum(int msgNum) {
            this.msgNum = msgNum;
            return this;
        }

        public Builder msgSeq(long msgSeq) {
            this.msgSeq = msgSeq;
            return this;
        }

        /** Sets the v13 cumulative acknowledgement (MSG, STATUS, ACK). */
        public Builder ack(long ack) {
            this.ack = ack;
            return this;
        }

        /** Sets the payload; the array is copied. */
        public Builder payload(byte[] payload) {
            this.payload = requireNonNull(payload, "payload").clone();
            return this;
        }

        /**
         * Returns the frame.
         *
         * @throws IllegalArgumentException if a field is out of range for this kind of frame
         */
        public O2netMsg build() {
            return new O2netMsg(magic, msgType, sysStatus, status, key, msgNum, msgSeq, payload, ack);
        }
    }
}
