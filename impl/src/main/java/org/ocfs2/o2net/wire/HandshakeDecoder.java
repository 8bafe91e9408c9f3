// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Reads and checks the peer's {@link Handshake}, then replaces itself with a {@link FrameDecoder} (named
 * {@link FrameDecoder#NAME}) for the same protocol version. Bytes that arrived after the handshake are kept and passed
 * to the frame decoder, so a handshake and frames in one read are all decoded.
 * <p>
 * The decoder reads the 8-byte {@code protocol_version} first: 11 means 32 bytes follow in all, 12 means 40, any
 * other value is a version mismatch at once. A complete handshake is checked by {@link Handshake#verify(Handshake)}
 * (the kernel's order: version, idle timeout, keepalive delay, heartbeat timeout; then a v12 incarnation).
 * <p>
 * Before the replacement it fires {@link HandshakeCompletionEvent#success(Handshake)}, so that the next handlers
 * learn the peer's handshake before its first frame. On a mismatch it fires
 * {@link HandshakeCompletionEvent#failure(HandshakeMismatchException)}, then throws the
 * {@link HandshakeMismatchException} (the channel is to be closed and the peer marked with the persistent error
 * {@link Errno#ENOTCONN}), and from then on discards all input.
 */
public final class HandshakeDecoder extends ByteToMessageDecoder {
    /** The name {@link WirePipeline} gives this handler. */
    public static final String NAME = "o2net-handshake-decoder";

    private static final int VERSION_LEN = 8;

    private final Handshake local;
    private final boolean views;
    private boolean failed;

    /** @param local the handshake this node sends; the peer's must match it */
    public HandshakeDecoder(Handshake local) {
        this(local, false);
    }

    /**
     * @param local the handshake this node sends; the peer's must match it
     * @param views the frame decoder that follows emits {@link FrameView}s, not values (see {@link FrameDecoder})
     */
    public HandshakeDecoder(Handshake local, boolean views) {
        this.local = requireNonNull(local, "local");
        this.views = views;
    }

    /** Returns the handshake the peer's is checked against. */
    public Handshake local() {
        return local;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < VERSION_LEN) {
            return;
        }
        long peerVersion = in.getLong(in.readerIndex());
        ProtocolVersion version = ProtocolVersion.find(peerVersion);
        if (version == null) {
            throw fail(ctx, in, local.versionMismatch(peerVersion));
        }
        if (in.readableBytes() < version.handshakeLength()) {
            return;
        }
        Handshake peer = Handshake.readFrom(in, version);
        try {
            local.verify(peer);
        } catch (HandshakeMismatchException e) {
            throw fail(ctx, in, e);
        }
        ctx.fireUserEventTriggered(HandshakeCompletionEvent.success(peer));
        if (!ctx.isRemoved()) {
            ctx.pipeline().replace(this, FrameDecoder.NAME, new FrameDecoder(local.version(), views));
        }
    }

    private HandshakeMismatchException fail(ChannelHandlerContext ctx, ByteBuf in, HandshakeMismatchException e) {
        failed = true;
        in.skipBytes(in.readableBytes());
        ctx.fireUserEventTriggered(HandshakeCompletionEvent.failure(e));
        return e;
    }
}
