// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Encodes a {@link Handshake} into its 32 (v11) or 40 (v12) wire bytes. Stateless and sharable. */
@Sharable
public final class HandshakeEncoder extends MessageToByteEncoder<Handshake> {
    /** The name {@link WirePipeline} gives this handler. */
    public static final String NAME = "o2net-handshake-encoder";
    /** The shared instance. */
    public static final HandshakeEncoder INSTANCE = new HandshakeEncoder();

    private HandshakeEncoder() {
        super(Handshake.class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Handshake msg, boolean preferDirect) {
        return preferDirect ? ctx.alloc().ioBuffer(msg.length()) : ctx.alloc().heapBuffer(msg.length());
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Handshake msg, ByteBuf out) {
        msg.writeTo(out);
    }
}
