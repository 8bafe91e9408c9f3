// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A decoder with views ({@code FrameDecoder(version, true)}, a node's pipeline): the same frames as the value decoder,
 * through one reused {@link FrameView} whose payload is a slice of the bytes received, taken or released by the last
 * handler; nothing of the received buffer is left unreleased.
 */
class FrameViewTest {

    /** Reads what the value decoder would have emitted, then takes (and releases) or leaves every other payload. */
    private static final class Reader extends ChannelInboundHandlerAdapter {
        final List<O2netMsg> values = new ArrayList<>();
        final List<FrameView> views = new ArrayList<>();
        final List<ByteBuf> taken = new ArrayList<>();
        private int withPayload;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            FrameView v = (FrameView) msg;
            views.add(v);
            O2netMsg value = v.toValue();
            values.add(value);
            assertEquals(value.dataLen(), v.dataLen());
            assertEquals(value.msgSeq(), v.msgSeq());
            assertEquals(value.ack(), v.ack());
            if (value.dataLen() > 0 && withPayload++ % 2 == 0) { // the first payload, the third, ...
                ByteBuf p = v.takePayload();
                assertEquals(value.dataLen(), p.readableBytes());
                assertEquals(value.payloadBuffer(), p.nioBuffer(), "the payload is the frame's bytes, in place");
                taken.add(p);
                assertEquals(0, v.takePayload().readableBytes(), "a payload is taken once");
                assertThrows(IllegalStateException.class, v::toValue, "no value of a frame whose payload is gone");
                assertTrue(v.toString().contains("taken"), v.toString());
            } else {
                v.releasePayload(); // what PeerHandler does with a payload nobody took
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void viewsCarryTheValuesFieldsAndGiveEveryPayloadBack(ProtocolVersion v) {
        List<O2netMsg> samples = FrameCodecTest.samples(v);
        ByteBuf in = PooledByteBufAllocator.DEFAULT.directBuffer();
        for (O2netMsg m : samples) {
            in.writeBytes(Bytes.encode(m, v));
        }
        Reader reader = new Reader();
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(v, true), DecoderErrorHandler.INSTANCE, reader);
        ch.writeInbound(in); // every frame in one read, as a batch arrives

        assertEquals(samples, reader.values);
        assertTrue(reader.views.stream().allMatch(x -> x == reader.views.get(0)), "one view for every frame");
        assertTrue(!reader.taken.isEmpty(), "some payload was taken");
        assertTrue(in.refCnt() > 0, "a taken payload keeps the received bytes");
        for (ByteBuf p : reader.taken) {
            p.release();
        }
        assertEquals(0, in.refCnt(), "the received bytes are released once the taken payloads are");
        ch.finishAndReleaseAll();
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void theValueDecoderIsUnchanged(ProtocolVersion v) {
        O2netMsg m = FrameCodecTest.samples(v).get(0);
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(v, false));
        ch.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(Bytes.encode(m, v)));
        O2netMsg got = ch.readInbound();
        assertEquals(m, got);
        assertSame(got, got.toValue(), "a value is its own value");
        ch.finishAndReleaseAll();
    }
}
