// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.netty;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.ocfs2.o2net.netty.FaultInjector.Direction;
import org.ocfs2.o2net.netty.FaultInjector.Verdict;
import org.ocfs2.o2net.wire.Frame;
import org.ocfs2.o2net.wire.FrameView;
import org.ocfs2.o2net.wire.O2netMsg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a {@link FaultInjector}'s verdicts on one connection. It sits right after the frame codec, so it sees
 * {@link O2netMsg}s, never bytes:
 * <pre>
 *  bytes -&gt; [handshake/frame decoder] -&gt; FaultHandler -&gt; KeepaliveHandler -&gt; PeerHandler
 *  bytes &lt;- [frame/handshake encoder] &lt;- FaultHandler &lt;- KeepaliveHandler &lt;- PeerHandler
 * </pre>
 * A held inbound frame has not "arrived" yet: the keepalive and protocol handlers do not see it. A held outbound frame
 * has not left: its write promise stays pending. {@link #release()} lets the held frames of both directions go on, in
 * order. When the connection closes, held frames are lost with it (reported at INFO), and held writes fail with a
 * {@link ClosedChannelException}: the only way a frame is ever lost is with its connection, as with TCP.
 * <p>
 * Anything that is not an {@link O2netMsg} (the handshake) passes untouched. All methods run on the channel's event
 * loop.
 */
public final class FaultHandler extends ChannelDuplexHandler {
    /** The name {@link Pipelines} gives this handler. */
    public static final String NAME = "o2net-fault";

    private static final Logger logger = LoggerFactory.getLogger(FaultHandler.class);

    private final FaultInjector injector;
    private final int node;
    private final int peer;
    private final ArrayDeque<O2netMsg> heldIn = new ArrayDeque<>();
    private final ArrayDeque<HeldWrite> heldOut = new ArrayDeque<>();
    private ChannelHandlerContext ctx;

    /**
     * @param injector who decides
     * @param node     this node's number, passed to the injector
     * @param peer     the peer's number, passed to the injector
     */
    public FaultHandler(FaultInjector injector, int node, int peer) {
        this.injector = requireNonNull(injector, "injector");
        this.node = node;
        this.peer = peer;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        O2netMsg frame = ((Frame) msg).toValue(); // it may hold the frame back: a value, not a decoder's view
        if (msg instanceof FrameView v) {
            v.releasePayload();
        }
        Verdict v = injector.inspect(node, peer, Direction.INBOUND, frame);
        if (v == Verdict.RESET) {
            reset();
        } else if (v == Verdict.HOLD || !heldIn.isEmpty()) {
            heldIn.add(frame);
        } else {
            ctx.fireChannelRead(frame);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof O2netMsg)) {
            ctx.write(msg, promise);
            return;
        }
        O2netMsg frame = (O2netMsg) msg;
        Verdict v = injector.inspect(node, peer, Direction.OUTBOUND, frame);
        if (v == Verdict.RESET) {
            fail(promise, new ClosedChannelException());
            reset();
        } else if (v == Verdict.HOLD || !heldOut.isEmpty()) {
            heldOut.add(new HeldWrite(frame, promise));
        } else {
            ctx.write(frame, promise);
        }
    }

    /**
     * Lets every held frame go on, inbound and outbound, in the order they were held. Must be called on the channel's
     * event loop.
     *
     * @return how many frames were released
     */
    public int release() {
        int n = 0;
        while (!heldOut.isEmpty()) {
            HeldWrite w = heldOut.poll();
            ctx.write(w.frame, w.promise);
            n++;
        }
        if (n > 0) {
            ctx.flush();
        }
        while (!heldIn.isEmpty() && ctx.channel().isActive()) {
            ctx.fireChannelRead(heldIn.poll());
            n++;
        }
        return n;
    }

    /**
     * Lets the oldest {@code max} held frames of {@code direction} go on, in order, and no other: a replay that
     * delivers frames one at a time. Must be called on the channel's event loop.
     *
     * @return how many frames were released
     */
    public int release(Direction direction, int max) {
        int n = 0;
        if (direction == Direction.OUTBOUND) {
            while (n < max && !heldOut.isEmpty()) {
                HeldWrite w = heldOut.poll();
                ctx.write(w.frame, w.promise);
                n++;
            }
            if (n > 0) {
                ctx.flush();
            }
        } else {
            while (n < max && !heldIn.isEmpty() && ctx.channel().isActive()) {
                ctx.fireChannelRead(heldIn.poll());
                n++;
            }
        }
        return n;
    }

    /** Returns the frames held now in {@code direction}, oldest first (a copy; frames are immutable). */
    public List<O2netMsg> heldFrames(Direction direction) {
        List<O2netMsg> frames = new ArrayList<>();
        if (direction == Direction.INBOUND) {
            frames.addAll(heldIn);
        } else {
            heldOut.forEach(w -> frames.add(w.frame));
        }
        return frames;
    }

    /** Returns how many frames are held now, both directions. */
    public int held() {
        return heldIn.size() + heldOut.size();
    }

    /** Returns how many frames are held now in {@code direction}. */
    public int held(Direction direction) {
        return direction == Direction.INBOUND ? heldIn.size() : heldOut.size();
    }

    /** Resets the connection: an abortive close, SO_LINGER 0, so that the kernel sends a real RST. */
    public void reset() {
        abort(ctx.channel());
    }

    /**
     * Closes {@code ch} abortively: SO_LINGER 0 then close, so that the peer gets an RST and every byte in flight is
     * lost. On a transport without SO_LINGER this is a plain close.
     */
    public static void abort(Channel ch) {
        if (!ch.isOpen()) {
            return;
        }
        try {
            ch.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (RuntimeException e) {
            logger.debug("{}: cannot set SO_LINGER 0: {}", ch, e.toString());
        }
        ch.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        discard();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        discard();
    }

    private void discard() {
        int lost = heldIn.size() + heldOut.size();
        if (lost == 0) {
            return;
        }
        logger.info(
                "o2net: {} held frame(s) to/from node {} lost with the connection ({} inbound, {} outbound)",
                lost,
                peer,
                heldIn.size(),
                heldOut.size());
        heldIn.clear();
        ClosedChannelException cause = new ClosedChannelException();
        while (!heldOut.isEmpty()) {
            fail(heldOut.poll().promise, cause);
        }
    }

    /**
     * A held or reset frame's write fails. Not a void promise's (the node writes frames without one): failing that
     * would fire an exception through the pipeline for a frame whose loss is the injected fault itself.
     */
    private static void fail(ChannelPromise promise, Throwable cause) {
        if (!promise.isVoid()) {
            promise.tryFailure(cause);
        }
    }

    private static final class HeldWrite {
        final O2netMsg frame;
        final ChannelPromise promise;

        HeldWrite(O2netMsg frame, ChannelPromise promise) {
            this.frame = frame;
            this.promise = promise;
        }
    }
}
