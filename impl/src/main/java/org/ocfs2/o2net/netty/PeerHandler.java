// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.netty;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import org.ocfs2.o2net.core.ProtocolException;
import org.ocfs2.o2net.wire.Frame;
import org.ocfs2.o2net.wire.FrameView;
import org.ocfs2.o2net.wire.Handshake;
import org.ocfs2.o2net.wire.HandshakeCompletionEvent;
import org.ocfs2.o2net.wire.HandshakeMismatchException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a connection: it writes this node's handshake when the channel becomes active and hands what the
 * connection produces (the peer's handshake, frames, the end of the connection) to a {@link Listener}, the per-peer
 * driver that owns the protocol core. It holds no protocol state and makes no protocol decision.
 * <p>
 * Errors close the connection and nothing else (other connections are not affected):
 * <ul>
 * <li>a framing error ({@link DecoderException}): ERROR {@code "o2net: Closing connection to <peer>: framing error:
 * <what>"};</li>
 * <li>a frame the protocol does not allow now ({@link ProtocolException} from the listener): ERROR
 * {@code "o2net: Closing connection to <peer>: protocol error: <what>"};</li>
 * <li>a socket error ({@link IOException}, e.g. a reset by the peer): INFO, as the kernel treats it as an ordinary end
 * of the connection;</li>
 * <li>anything else: ERROR with the stack trace.</li>
 * </ul>
 * A handshake mismatch reaches the listener as {@link Listener#handshakeFailed}; the exception that follows it is
 * consumed here (the decoder's error handler has already closed the channel).
 */
public final class PeerHandler extends ChannelInboundHandlerAdapter {
    /** The name {@link Pipelines} gives this handler. */
    public static final String NAME = "o2net-peer";

    private static final Logger logger = LoggerFactory.getLogger(PeerHandler.class);

    /** The per-peer driver's side of a connection. Every method is called on the channel's event loop. */
    public interface Listener {
        /** The peer's handshake was accepted; frames may be written from now on. */
        void handshake(Channel ch, Handshake peer);

        /** The peer's handshake was refused; the channel is being closed. */
        void handshakeFailed(Channel ch, HandshakeMismatchException cause);

        /**
         * A frame other than a keepalive was received: a value, or the decoder's view, valid only during this call
         * (take {@link Frame#toValue()} to keep it).
         *
         * @throws ProtocolException if the protocol does not allow it; the connection is then closed
         */
        void frame(Channel ch, Frame frame);

        /** The channel is closed. */
        void closed(Channel ch);

        /**
         * The channel's outbound buffer passed its high water mark ({@code writable} false) or came back under its low
         * one: a peer that does not read what this node writes. The default does nothing.
         */
        default void writabilityChanged(Channel ch, boolean writable) {}
    }

    private final Handshake local;
    private final String peer;
    private final Listener listener;

    /**
     * @param local    this node's handshake, written first
     * @param peer     the peer as the kernel's log lines name it, e.g. {@code "node b (num 1) at 10.0.0.2:7777"}
     * @param listener who gets the connection's events
     */
    public PeerHandler(Handshake local, String peer, Listener listener) {
        this.local = requireNonNull(local, "local");
        this.peer = requireNonNull(peer, "peer");
        this.listener = requireNonNull(listener, "listener");
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(local).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof HandshakeCompletionEvent) {
            HandshakeCompletionEvent e = (HandshakeCompletionEvent) evt;
            if (e.isSuccess()) {
                listener.handshake(ctx.channel(), e.peer());
            } else {
                listener.handshakeFailed(ctx.channel(), e.cause());
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            listener.frame(ctx.channel(), (Frame) msg);
        } catch (ProtocolException e) {
            logger.error("o2net: Closing connection to {}: protocol error: {}", peer, e.getMessage());
            ctx.close();
        } finally {
            if (msg instanceof FrameView v) {
                v.releasePayload(); // the last handler: a payload the listener did not take goes back to the pool
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        listener.writabilityChanged(ctx.channel(), ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        listener.closed(ctx.channel());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof HandshakeMismatchException) {
            ctx.close();
        } else if (cause instanceof DecoderException) {
            String what = cause.getCause() != null && cause.getMessage() == null
                    ? cause.getCause().toString()
                    : cause.getMessage();
            logger.error("o2net: Closing connection to {}: framing error: {}", peer, what);
            ctx.close();
        } else if (cause instanceof IOException) {
            logger.info("o2net: Connection to {} failed: {}", peer, cause.getMessage());
            ctx.close();
        } else {
            logger.error("o2net: Closing connection to {} after an unexpected error", peer, cause);
            ctx.close();
        }
    }
}
