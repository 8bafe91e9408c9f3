// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts the byte stream that follows the handshake into {@link O2netMsg} frames. {@link HandshakeDecoder} installs it
 * in its own place once the peer's handshake is accepted.
 *
 * <h2>Header ({@code struct o2net_msg}, 24 bytes, big-endian)</h2>
 * In v11 the field at offset 6 is the kernel's {@code pad1} and must be 0. In v12 it is {@code ext_len}: the number
 * of extension bytes between the header and the payload (8 for the sequenced kinds, 0 for keepalives).
 * {@code data_len} counts the payload only, so a frame is {@code 24 + ext_len + data_len} bytes.
 * <pre>
 *  v11                                               v12
 *  0        2         4         6         8           0        2         4         6         8
 *  +--------+---------+---------+---------+           +--------+---------+---------+---------+
 *  | magic  |data_len |msg_type |pad1 = 0 |           | magic  |data_len |msg_type | ext_len |
 *  +--------+---------+---------+---------+           +--------+---------+---------+---------+
 *  |    sys_status    |      status       |  8        |    sys_status    |      status       |  8
 *  +------------------+-------------------+           +------------------+-------------------+
 *  |       key        |      msg_num      | 16        |       key        |      msg_num      | 16
 *  +------------------+-------------------+           +------------------+-------------------+
 *  |  payload (data_len bytes, max 4072)  | 24        |      msg_seq, be64 (if ext_len 8)    | 24
 *  +--------------------------------------+           +--------------------------------------+
 *                                                     |  payload (data_len bytes, max 4072)  | 24 + ext_len
 *                                                     +--------------------------------------+
 * </pre>
 *
 * <h2>Frame kinds ({@code [msg_seq]} only in v12; {@code ext} is pad1 = 0 in v11, ext_len in v12)</h2>
 * <pre>
 *  MSG: a request, 24 + n bytes (v11) or 32 + n bytes (v12), n = data_len, at most 4072
 *  +--------+------+----------+-----+------------+--------+-----+---------+-----------+-------------+
 *  | 0xfa55 |  n   | msg_type | 0/8 |     0      |   0    | key | msg_num | [msg_seq] | payload (n) |
 *  +--------+------+----------+-----+------------+--------+-----+---------+-----------+-------------+
 *  STATUS: the reply; msg_type, key, msg_num (and msg_seq) are the request's; 24 or 32 bytes
 *  +--------+------+----------+-----+------------+--------+-----+---------+-----------+
 *  | 0xfa56 |  0   | msg_type | 0/8 | O2NET_ERR_ | ret    | key | msg_num | [msg_seq] |
 *  +--------+------+----------+-----+------------+--------+-----+---------+-----------+
 *  KEEP_REQ / KEEP_RESP: bare headers, every other field 0, no extension in either version; 24 bytes
 *  +--------+------+----------+-----+------------+--------+-----+---------+
 *  | 0xfa57 |  0   |    0     |  0  |     0      |   0    |  0  |    0    |   (0xfa58 for KEEP_RESP)
 *  +--------+------+----------+-----+------------+--------+-----+---------+
 *  MH_REMOVE / MH_REMOVED (v12 only): the message's msg_type, key, msg_num and msg_seq; 32 bytes
 *  +--------+------+----------+-----+------------+--------+-----+---------+---------+
 *  | 0xfa59 |  0   | msg_type |  8  |     0      |   0    | key | msg_num | msg_seq |   (0xfa5a for MH_REMOVED)
 *  +--------+------+----------+-----+------------+--------+-----+---------+---------+
 * </pre>
 *
 * <h2>v13 (one round trip, {@code spec/tla/AckO2net.tla})</h2>
 * MSG and STATUS carry a 16-byte extension, {@code msg_seq} then {@code ack} (the sender's cumulative
 * acknowledgement of its own calls; 0 if none); the new ACK frame carries {@code ack} alone; MH_REMOVE and
 * MH_REMOVED do not exist; keepalives as before.
 * <pre>
 *  MSG (40 + n bytes) / STATUS (40 bytes)
 *  +--------+------+----------+----+------------+--------+-----+---------+---------+---------+-------------+
 *  | 0xfa55 |  n   | msg_type | 16 |     0      |   0    | key | msg_num | msg_seq |   ack   | payload (n) |
 *  +--------+------+----------+----+------------+--------+-----+---------+---------+---------+-------------+
 *  ACK: 32 bytes
 *  +--------+------+----------+----+------------+--------+-----+---------+---------+
 *  | 0xfa5b |  0   |    0     |  8 |     0      |   0    |  0  |    0    |   ack   |
 *  +--------+------+----------+----+------------+--------+-----+---------+---------+
 * </pre>
 *
 * <h2>Example: a v12 request</h2>
 * <pre>
 *  BEFORE DECODE (37 bytes)                                     AFTER DECODE
 *  +--------+------+------+-----+-----+-----+--------+-----+    +-------------------------------+
 *  | fa 55  |00 05 |00 42 |00 08| 0   | 0   |00001234| 7   |    | O2netMsg                      |
 *  +--------+------+------+-----+-----+-----+--------+-----+--->|  magic=MSG msgType=0x42       |
 *  | 00 00 00 00 00 00 00 03    | "HELLO"              |        |  key=0x1234 msgNum=7 msgSeq=3 |
 *  +----------------------------+----------------------+        |  payload="HELLO" (a byte[])   |
 *                                                               +-------------------------------+
 * </pre>
 *
 * <h2>Errors</h2>
 * Checked on the header alone, before the rest of the frame is waited for, in this order: {@code data_len} &gt; 4072
 * ({@link PayloadTooLongException}); magic unknown in this version ({@link BadMagicException}); {@code pad1}/{@code
 * ext_len} wrong for the kind ({@link BadExtensionException}); {@code data_len} != 0 on a kind without payload
 * ({@link UnexpectedPayloadException}); a STATUS {@code sys_status} &gt;= 4 ({@link BadSysStatusException}). A v12
 * {@code msg_seq} of 0 is a {@link BadExtensionException}. A frame therefore never needs more than
 * {@link O2netMsg#MAX_FRAME_LEN} bytes of buffer.
 * <p>
 * o2net has no frame delimiter, so after an error the stream cannot be resynchronised: the decoder throws once,
 * discards the buffered bytes and everything it receives later, and emits nothing more. The channel must be closed;
 * {@link DecoderErrorHandler} does that.
 * <p>
 * Each frame is emitted as an immutable {@link O2netMsg} whose payload is copied into a {@code byte[]}: nothing
 * emitted by this decoder needs releasing. A decoder made with {@code views} emits instead one {@link FrameView} of its
 * own, set anew for every frame, whose payload is a retained slice of the bytes received: decoding makes no frame
 * object and copies no payload, and the handlers after it must take what they keep before their {@code channelRead}
 * returns; the last one takes the payload or releases it ({@link FrameView#releasePayload()}). A node's pipeline uses
 * views; one with a fault injector, whose handler holds frames back, uses values.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    /** The name {@link HandshakeDecoder} gives this handler. */
    public static final String NAME = "o2net-frame-decoder";

    private static final Logger logger = LoggerFactory.getLogger(FrameDecoder.class);
    private static final byte[] EMPTY = new byte[0];

    private final ProtocolVersion version;
    /** The view emitted for every frame, or null: a value per frame. */
    private final FrameView view;

    private boolean failed;

    /** A decoder of {@code version} that emits a value per frame. */
    public FrameDecoder(ProtocolVersion version) {
        this(version, false);
    }

    /**
     * @param version the protocol version it accepts
     * @param views   emit one reused {@link FrameView} instead of a value per frame
     */
    public FrameDecoder(ProtocolVersion version, boolean views) {
        this.version = requireNonNull(version, "version");
        this.view = views ? new FrameView() : null;
    }

    /** Returns the protocol version this decoder accepts. */
    public ProtocolVersion version() {
        return version;
    }

    /** Returns {@code true} once a framing error was thrown; from then on all input is discarded. */
    public boolean isFailed() {
        return failed;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < O2netMsg.HEADER_LEN) {
            return;
        }
        int start = in.readerIndex();
        int magicValue = in.getUnsignedShort(start);
        int dataLen = in.getUnsignedShort(start + 2);
        int msgType = in.getUnsignedShort(start + 4);
        int extLen = in.getUnsignedShort(start + 6);
        int sysStatus = in.getInt(start + 8);

        if (dataLen > O2netMsg.MAX_PAYLOAD_BYTES) {
            throw fail(in, new PayloadTooLongException(magicValue, dataLen));
        }
        Magic magic = Magic.find(magicValue);
        if (magic == null || !version.supports(magic)) {
            throw fail(in, new BadMagicException(magicValue, version));
        }
        if (extLen != version.extLen(magic)) {
            throw fail(in, BadExtensionException.badLength(magic, extLen, version));
        }
        if (dataLen != 0 && !magic.mayCarryPayload()) {
            throw fail(in, new UnexpectedPayloadException(magic, dataLen));
        }
        if (magic == Magic.STATUS && (sysStatus < 0 || sysStatus >= SysStatus.MAX)) {
            throw fail(in, new BadSysStatusException(sysStatus));
        }

        int frameLen = O2netMsg.HEADER_LEN + extLen + dataLen;
        if (in.readableBytes() < frameLen) {
            return;
        }
        long msgSeq = 0;
        long ack = 0;
        if (magic == Magic.ACK) {
            ack = in.getLong(start + O2netMsg.HEADER_LEN);
        } else if (extLen != 0) {
            msgSeq = in.getLong(start + O2netMsg.HEADER_LEN);
            if (msgSeq == 0) {
                throw fail(in, BadExtensionException.zeroMsgSeq(magic, version));
            }
            if (extLen > O2netMsg.MSG_SEQ_LEN) {
                ack = in.getLong(start + O2netMsg.HEADER_LEN + O2netMsg.MSG_SEQ_LEN);
            }
        }
        int status = in.getInt(start + 12);
        int key = in.getInt(start + 16);
        int msgNum = in.getInt(start + 20);
        int payloadAt = start + O2netMsg.HEADER_LEN + extLen;
        if (view != null) {
            // the payload read in place: a slice of the received bytes (pooled, recycled), which the view's handler
            // takes or releases; ByteToMessageDecoder hands each frame on before it decodes the next, so one view
            // serves them all
            ByteBuf payload = dataLen == 0 ? Unpooled.EMPTY_BUFFER : in.retainedSlice(payloadAt, dataLen);
            in.skipBytes(frameLen);
            out.add(view.set(magic, msgType, sysStatus, status, key, msgNum, msgSeq, ack, payload));
            return;
        }
        byte[] payload = EMPTY;
        if (dataLen != 0) {
            payload = new byte[dataLen];
            in.getBytes(payloadAt, payload);
        }
        in.skipBytes(frameLen);
        out.add(new O2netMsg(magic, msgType, sysStatus, status, key, msgNum, msgSeq, payload, ack));
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (!failed && in.isReadable()) {
            logger.debug("{} closed with {} bytes of an incomplete frame", ctx.channel(), in.readableBytes());
        }
    }

    private DecoderException fail(ByteBuf in, DecoderException cause) {
        failed = true;
        in.skipBytes(in.readableBytes());
        return cause;
    }
}
