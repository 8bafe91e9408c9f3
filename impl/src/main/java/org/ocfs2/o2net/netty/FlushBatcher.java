// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.netty;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Flush consolidation, as Netty's {@code FlushConsolidationHandler(n, true)} does it, without an object per flush: the
 * frames written while the event loop handles one read go out at the end of the read ({@code channelReadComplete}),
 * those written by one batch of tasks (calls and handler results) by one flush task queued behind them; one
 * {@code write} system call for all instead of one each. Netty's handler queues that task with {@code submit}, which
 * wraps it in a new promise task every time (about 80 bytes a call at one caller); this one queues the same
 * {@link Runnable} with {@code execute}, which on the loop's own thread allocates nothing. A flush goes through at
 * once after {@code flushAfter} flushes put off, when the channel stops being writable, and before it closes.
 * Nothing waits for a timer: at most until the end of the event loop's current read or task.
 */
public final class FlushBatcher extends ChannelDuplexHandler {
    private final int flushAfter;
    private ChannelHandlerContext ctx;
    private boolean readInProgress;
    private int flushesPutOff;
    private boolean taskQueued;
    private final Runnable flushTask = this::flushTask;

    /** @param flushAfter flushes put off, at most, before one goes through anyway */
    public FlushBatcher(int flushAfter) {
        if (flushAfter < 1) {
            throw new IllegalArgumentException("flushAfter " + flushAfter + " < 1");
        }
        this.flushAfter = flushAfter;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (++flushesPutOff >= flushAfter) {
            flushNow(ctx);
        } else if (!readInProgress && !taskQueued) {
            taskQueued = true;
            ctx.channel().eventLoop().execute(flushTask);
        }
    }

    private void flushTask() {
        taskQueued = false;
        if (flushesPutOff > 0 && !readInProgress) {
            flushNow(ctx);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        readInProgress = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        endOfRead(ctx);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        endOfRead(ctx);
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
        endOfRead(ctx);
        ctx.disconnect(promise);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        endOfRead(ctx);
        ctx.close(promise);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!ctx.channel().isWritable()) {
            flushIfPutOff(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        flushIfPutOff(ctx);
    }

    private void endOfRead(ChannelHandlerContext ctx) {
        readInProgress = false;
        flushIfPutOff(ctx);
    }

    private void flushIfPutOff(ChannelHandlerContext ctx) {
        if (flushesPutOff > 0) {
            flushNow(ctx);
        }
    }

    private void flushNow(ChannelHandlerContext ctx) {
        flushesPutOff = 0;
        ctx.flush();
    }
}
