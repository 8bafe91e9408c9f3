// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench.micro;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.ocfs2.o2net.wire.FrameDecoder;
import org.ocfs2.o2net.wire.FrameEncoder;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.ProtocolVersion;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The frame codec's cost: one MSG frame encoded to bytes and decoded back to an {@link O2netMsg}, in the v11 layout
 * (24-byte header) or the v12 one (header plus the 8-byte {@code msg_seq} extension).
 * <p>
 * Encoding is what {@link FrameEncoder} does per write: a pooled direct buffer of exactly the frame's length from
 * Netty's default allocator ({@code ioBuffer}, as its {@code allocateBuffer}), then {@link FrameEncoder#encode}.
 * Decoding is the real {@link FrameDecoder} in an {@link EmbeddedChannel} reused across invocations: the buffer goes in
 * with {@code writeInbound}, the decoder takes it as its cumulation, emits the frame and releases the buffer, and the
 * frame is read back with {@code readInbound}. So one invocation allocates what the production path allocates per
 * frame (the decoded frame and its payload array; the pooled buffer is recycled), plus the embedded channel's small
 * per-read overhead. Each invocation checks the decoded frame's {@code msg_seq} and length and throws if they differ.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBench {
    /** v11, v12 (8-byte msg_seq extension) or v13 (16-byte msg_seq and ack extension). */
    @Param({"v11", "v12", "v13"})
    public String protocol;

    /** Payload bytes of the frame. */
    @Param({"64", "4072"})
    public int payload;

    private ProtocolVersion version;
    private O2netMsg frame;
    private int frameLength;
    private EmbeddedChannel decoder;
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    @Setup(Level.Trial)
    public void setup() {
        version = CoreCallBench.version(protocol);
        byte[] data = new byte[payload];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 17 + 3);
        }
        frame = O2netMsg.request(
                CoreCallBench.MSG_TYPE, CoreCallBench.KEY, 5, version.reliable() ? 123_456_789L : 0, data);
        frameLength = frame.frameLength(version);
        decoder = new EmbeddedChannel(new FrameDecoder(version));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (decoder != null) {
            decoder.finishAndReleaseAll();
            decoder = null;
        }
    }

    @Benchmark
    public O2netMsg roundTrip() {
        return decode(encode());
    }

    /** Encodes the frame into a new pooled buffer, as {@link FrameEncoder} does for each write. */
    ByteBuf encode() {
        ByteBuf buf = alloc.ioBuffer(frameLength);
        try {
            FrameEncoder.encode(frame, version, buf);
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
        return buf;
    }

    /** Decodes {@code buf} with the {@link FrameDecoder}, which releases it; checks the frame. */
    O2netMsg decode(ByteBuf buf) {
        decoder.writeInbound(buf);
        O2netMsg out = decoder.readInbound();
        if (out == null || out.msgSeq() != frame.msgSeq() || out.dataLen() != payload) {
            throw new IllegalStateException("decoded " + out + ", expected " + frame);
        }
        return out;
    }

    /** The frame each invocation encodes, for tests. */
    O2netMsg frame() {
        return frame;
    }
}
