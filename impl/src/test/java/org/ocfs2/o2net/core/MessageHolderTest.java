// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ocfs2.o2net.wire.Errno;
import org.ocfs2.o2net.wire.Frame;
import org.ocfs2.o2net.wire.FrameDecoder;
import org.ocfs2.o2net.wire.FrameEncoder;
import org.ocfs2.o2net.wire.FrameView;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.ProtocolVersion;

/**
 * What a Message Holder keeps of its request: the value it came as (the same object), or, for a request that came as
 * a decoder's view, its header only, unless the event log needs the request (then a value with the payload).
 */
class MessageHolderTest {

    /** A receiving core fed by a real decoder with views, as a node's pipeline feeds it. */
    private static final class Receiver implements Effects<Object> {
        final boolean tracing;
        final List<MessageHolder> runs = new ArrayList<>();
        final PeerCore<Object> core;

        Receiver(boolean tracing) {
            this.tracing = tracing;
            this.core = new PeerCore<>(1, 2, ProtocolVersion.V13, 5, 8, this);
            core.connect(9, 8, 0);
        }

        @Override
        public void write(O2netMsg frame) {}

        @Override
        public void runHandler(MessageHolder mh) {
            runs.add(mh);
        }

        @Override
        public void complete(Object call, CallResult result) {}

        @Override
        public void refuse(Object call, Errno errno, String why) {}

        @Override
        public void disconnect(String why) {}

        @Override
        public boolean tracing() {
            return tracing;
        }

        /** Decodes {@code msg}'s bytes with a view decoder and hands each frame to the core, as PeerConnection does. */
        void receiveAsView(O2netMsg msg) {
            io.netty.buffer.ByteBuf wire = Unpooled.buffer();
            FrameEncoder.encode(msg, ProtocolVersion.V13, wire);
            List<Class<?>> kinds = new ArrayList<>();
            EmbeddedChannel ch = new EmbeddedChannel(
                    new FrameDecoder(ProtocolVersion.V13, true), new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object m) {
                            kinds.add(m.getClass());
                            core.receive((Frame) m, 1);
                            ((FrameView) m).releasePayload();
                        }
                    });
            ch.writeInbound(wire);
            ch.finishAndReleaseAll();
            assertEquals(List.of(FrameView.class), kinds);
        }
    }

    private static final O2netMsg REQUEST =
            O2netMsg.wrapRequest(0x62, 0xbe4c, 3, 1, 0, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

    @Test
    void aRequestThatCameAsAViewIsNotKeptUnlessTheEventLogNeedsIt() {
        Receiver r = new Receiver(false);
        r.receiveAsView(REQUEST);
        MessageHolder mh = r.runs.get(0);
        assertNull(mh.value(), "the holder keeps no frame of a view");
        assertEquals(0x62, mh.msgType());
        assertEquals(0xbe4c, mh.key());
        assertEquals(3, mh.msgNum());
        assertEquals(1, mh.msgSeq());
        assertEquals(0, mh.msg().dataLen(), "its frame is the header alone");
        assertEquals(REQUEST.msgType(), mh.msg().msgType());

        Receiver traced = new Receiver(true);
        traced.receiveAsView(REQUEST);
        MessageHolder kept = traced.runs.get(0);
        assertNotNull(kept.value(), "the event log names calls by payload: the request is kept");
        assertArrayEquals(REQUEST.payload(), kept.value().payload());
        assertSame(kept.value(), kept.msg());
    }

    @Test
    void aRequestThatCameAsAValueIsKeptAsThatValue() {
        Receiver r = new Receiver(false);
        r.core.receive(REQUEST, 1);
        MessageHolder mh = r.runs.get(0);
        assertSame(REQUEST, mh.value(), "the same object: the conformance tiers match runs by identity");
        assertSame(REQUEST, mh.msg());
        r.core.handlerDone(mh, 0, 7, 2);
        assertNull(mh.value(), "a DONE v13 holder keeps the status only");
        assertEquals(7, mh.status());
        assertEquals(0, mh.msg().dataLen());
    }
}
