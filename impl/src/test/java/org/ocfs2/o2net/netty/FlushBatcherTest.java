// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link FlushBatcher}: writes go out at the end of the read or of the task batch, in one flush. */
class FlushBatcherTest {

    private static List<Object> written(EmbeddedChannel ch) {
        return List.copyOf(ch.outboundMessages());
    }

    // EmbeddedChannel runs its pending tasks after every write that reaches the socket end; so the tests write
    // everything first and then flush, as the event loop does when one batch of tasks writes and flushes frames.

    @Test
    void flushesOutsideAReadGoOutTogetherWhenTheQueuedTaskRuns() {
        EmbeddedChannel ch = new EmbeddedChannel(new FlushBatcher(64));
        ch.pipeline().write("a");
        ch.pipeline().write("b");
        ch.pipeline().flush();
        ch.pipeline().flush();
        assertTrue(ch.outboundMessages().isEmpty(), "put off until the loop's task");
        ch.runPendingTasks();
        assertEquals(List.of("a", "b"), written(ch));
        ch.finishAndReleaseAll();
    }

    @Test
    void flushesDuringAReadGoOutAtTheEndOfTheRead() {
        EmbeddedChannel ch = new EmbeddedChannel(new FlushBatcher(64), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ctx.writeAndFlush("re:" + msg);
            }
        });
        ch.pipeline().fireChannelRead("x");
        ch.pipeline().fireChannelRead("y");
        ch.runPendingTasks();
        assertTrue(ch.outboundMessages().isEmpty(), "not before the read ends, even when the loop runs its tasks");
        ch.pipeline().fireChannelReadComplete();
        assertEquals(List.of("re:x", "re:y"), written(ch));
        ch.finishAndReleaseAll();
    }

    @Test
    void theNthFlushPutOffGoesThroughAtOnce() {
        EmbeddedChannel ch = new EmbeddedChannel(new FlushBatcher(3));
        ch.pipeline().write("1");
        ch.pipeline().write("2");
        ch.pipeline().write("3");
        ch.pipeline().flush();
        ch.pipeline().flush();
        assertTrue(ch.outboundMessages().isEmpty());
        ch.pipeline().flush();
        assertEquals(List.of("1", "2", "3"), written(ch));
        ch.finishAndReleaseAll();
    }

    @Test
    void aCloseFlushesWhatWasPutOffFirst() {
        EmbeddedChannel ch = new EmbeddedChannel(new FlushBatcher(64));
        ch.pipeline().writeAndFlush("last");
        ch.close();
        assertEquals(List.of("last"), written(ch));
        ch.finishAndReleaseAll();
    }

    @Test
    void aBatchOfAtLeastOneIsRequired() {
        assertThrows(IllegalArgumentException.class, () -> new FlushBatcher(0));
    }
}
