// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the channel on any {@link DecoderException}: a framing error ({@link BadMagicException},
 * {@link PayloadTooLongException}, ...) or a {@link HandshakeMismatchException}, as the kernel shuts the socket down.
 * Place it right after the decoders. The exception is then passed on, so that the connection layer after it can
 * record the cause (for a {@link HandshakeMismatchException}: the persistent error {@link Errno#ENOTCONN}); that
 * layer must consume it. Other exceptions are passed on untouched. Sharable.
 */
@Sharable
public final class DecoderErrorHandler extends ChannelInboundHandlerAdapter {
    /** The name {@link WirePipeline} gives this handler. */
    public static final String NAME = "o2net-decoder-error";
    /** The shared instance. */
    public static final DecoderErrorHandler INSTANCE = new DecoderErrorHandler();

    private static final Logger logger = LoggerFactory.getLogger(DecoderErrorHandler.class);

    private DecoderErrorHandler() {}

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException) {
            if (cause instanceof HandshakeMismatchException) {
                logger.info(((HandshakeMismatchException) cause)
                        .logMessage("peer at " + ctx.channel().remoteAddress()));
            } else {
                logger.warn("o2net: closing connection to {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
            }
            ctx.close();
        }
        ctx.fireExceptionCaught(cause);
    }
}
