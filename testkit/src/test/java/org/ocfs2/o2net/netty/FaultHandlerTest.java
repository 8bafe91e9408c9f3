// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ocfs2.o2net.netty.FaultInjector.Direction;
import org.ocfs2.o2net.netty.FaultInjector.Verdict;
import org.ocfs2.o2net.wire.Magic;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.SysStatus;

/** {@link FaultHandler} and {@link FrameHolds}: frames are held and released in order, never dropped alone. */
class FaultHandlerTest {
    private static final O2netMsg MSG = O2netMsg.request(7, 1, 0, 1, new byte[] {1});
    private static final O2netMsg STATUS = MSG.statusReply(SysStatus.NONE, 5);

    private EmbeddedChannel ch;

    private FaultHandler open(FaultInjector injector) {
        FaultHandler fh = new FaultHandler(injector, 1, 2);
        ch = new EmbeddedChannel(fh);
        return fh;
    }

    @AfterEach
    void tearDown() {
        ch.finishAndReleaseAll();
    }

    @Test
    void heldWritesWaitAndKeepTheirOrder() {
        FrameHolds holds = new FrameHolds().hold(1, 2, 1, f -> f.magic() == Magic.STATUS);
        FaultHandler fh = open(holds);
        ch.writeOutbound(MSG);
        assertEquals(MSG, ch.readOutbound(), "frames before the hold pass");
        ChannelFuture held = ch.writeAndFlush(STATUS);
        ChannelFuture behind = ch.writeAndFlush(O2netMsg.keepReq());
        assertNull(ch.readOutbound());
        assertFalse(held.isDone());
        assertEquals(2, fh.held(Direction.OUTBOUND), "a frame behind a held one is held too: TCP keeps order");
        assertEquals(0, holds.pendingRules());
        assertEquals(2, fh.release());
        assertEquals(STATUS, ch.readOutbound());
        assertEquals(O2netMsg.keepReq(), ch.readOutbound());
        assertTrue(held.isSuccess());
        assertTrue(behind.isSuccess());
        ch.writeOutbound(MSG);
        assertEquals(MSG, ch.readOutbound(), "after the release frames flow again");
    }

    @Test
    void heldInboundFramesHaveNotArrivedUntilReleased() {
        AtomicInteger n = new AtomicInteger();
        FaultHandler fh = open(
                (node, peer, d, f) -> d == Direction.INBOUND && n.getAndIncrement() == 0 ? Verdict.HOLD : Verdict.PASS);
        ch.writeInbound(MSG);
        ch.writeInbound(STATUS);
        assertNull(ch.readInbound());
        assertEquals(2, fh.held(Direction.INBOUND));
        fh.release();
        assertEquals(MSG, ch.readInbound());
        assertEquals(STATUS, ch.readInbound());
    }

    @Test
    void heldFramesAreLostOnlyWithTheConnection() {
        FaultHandler fh = open(new FrameHolds().hold(1, 2, 1));
        ChannelFuture held = ch.writeAndFlush(MSG);
        ch.close();
        assertEquals(0, fh.held());
        assertInstanceOf(ClosedChannelException.class, held.cause());
    }

    @Test
    void resetVerdictClosesTheConnectionAndLosesTheFrame() {
        FrameHolds holds = new FrameHolds().resetOn(1, 2, f -> f.magic() == Magic.STATUS);
        open(holds);
        ch.writeOutbound(MSG);
        assertEquals(MSG, ch.readOutbound());
        ChannelFuture f = ch.writeAndFlush(STATUS);
        assertFalse(ch.isOpen());
        assertFalse(f.isSuccess());
        assertNull(ch.readOutbound());
        assertEquals(1, holds.resetsSoFar());
    }

    @Test
    void rulesMatchOnlyTheirLinkAtTheSender() {
        FrameHolds holds = new FrameHolds().hold(2, 1, 1);
        assertEquals(Verdict.PASS, holds.inspect(1, 2, Direction.OUTBOUND, MSG), "1->2 is another link");
        assertEquals(Verdict.PASS, holds.inspect(1, 2, Direction.INBOUND, MSG), "rules apply where the sender writes");
        assertEquals(Verdict.HOLD, holds.inspect(2, 1, Direction.OUTBOUND, MSG));
        assertEquals(Verdict.PASS, holds.inspect(2, 1, Direction.OUTBOUND, MSG), "used up");
        ch = new EmbeddedChannel();
    }
}
