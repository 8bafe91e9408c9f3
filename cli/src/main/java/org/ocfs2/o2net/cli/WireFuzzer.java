// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.ocfs2.o2net.wire.BadExtensionException;
import org.ocfs2.o2net.wire.BadMagicException;
import org.ocfs2.o2net.wire.BadSysStatusException;
import org.ocfs2.o2net.wire.FrameEncoder;
import org.ocfs2.o2net.wire.Handshake;
import org.ocfs2.o2net.wire.HandshakeCompletionEvent;
import org.ocfs2.o2net.wire.HandshakeMismatchException;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.PayloadTooLongException;
import org.ocfs2.o2net.wire.ProtocolVersion;
import org.ocfs2.o2net.wire.SysStatus;
import org.ocfs2.o2net.wire.UnexpectedPayloadException;
import org.ocfs2.o2net.wire.WirePipeline;

/**
 * A structure-aware fuzzer of the receive path (issue 13): the bytes a peer sends on a new connection (its handshake,
 * then frames) as v11, v12 and v13 write them, mutated (bit flips, header fields set to boundary values, lengths that
 * lie, truncation, splicing of two inputs, insertions, plain random bytes) and fed in random chunks through the
 * production codecs ({@link WirePipeline}: handshake decoder, frame decoder, decoder error handler) in an
 * {@link EmbeddedChannel}. Every input must end in decoded frames or one of the wire package's typed errors; every
 * buffer handed in must be released; the heap is sampled.
 */
final class WireFuzzer {
    /** The wire package's typed errors: what bad input may raise. */
    static final Set<Class<? extends Throwable>> TYPED = Set.of(
            BadMagicException.class,
            BadExtensionException.class,
            BadSysStatusException.class,
            UnexpectedPayloadException.class,
            PayloadTooLongException.class,
            HandshakeMismatchException.class);

    /** What a run found. */
    static final class Report {
        long inputs;
        long bytes;
        long frames;
        long handshakesAccepted;
        long leaks;
        long peakHeapBytes;
        final Map<String, Long> typed = new TreeMap<>();
        final Map<String, Long> untyped = new TreeMap<>();
        final List<String> untypedExamples = new ArrayList<>();

        long untypedCount() {
            return untyped.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static final int[] INTERESTING16 = {0, 1, 7, 8, 15, 16, 17, 24, 0x7f, 0x80, 4072, 4073, 0x7fff, 0xffff};
    private static final int[] HEADER_FIELDS16 = {0, 2, 4, 6}; // magic, data_len, msg_type, pad1/ext_len

    private final SplittableRandom random;
    private final List<Seed> corpus = new ArrayList<>();

    /** A valid input: what a peer of {@code version} sends, and the handshake the receiving node has. */
    private record Seed(ProtocolVersion version, Handshake local, byte[] bytes) {}

    WireFuzzer(long seed) {
        this.random = new SplittableRandom(seed);
        for (ProtocolVersion v : ProtocolVersion.values()) {
            Handshake local = handshake(v, 5);
            Handshake peer = handshake(v, 7);
            List<byte[]> frames = new ArrayList<>();
            for (O2netMsg m : samples(v)) {
                frames.add(encode(m, v));
            }
            corpus.add(new Seed(v, local, concat(List.of(encode(peer)))));
            for (byte[] f : frames) {
                corpus.add(new Seed(v, local, concat(List.of(encode(peer), f))));
            }
            List<byte[]> all = new ArrayList<>();
            all.add(encode(peer));
            all.addAll(frames);
            corpus.add(new Seed(v, local, concat(all)));
        }
    }

    private static Handshake handshake(ProtocolVersion v, long incarnation) {
        return switch (v) {
            case V11 -> Handshake.v11(28000, 30000, 2000, 2000);
            case V12 -> Handshake.v12(28000, 30000, 2000, 2000, incarnation);
            case V13 -> Handshake.v13(28000, 30000, 2000, 2000, incarnation, 64);
        };
    }

    private static List<O2netMsg> samples(ProtocolVersion v) {
        long seq = v.reliable() ? 3 : 0;
        O2netMsg req = O2netMsg.request(0x42, 0x1234, 7, seq, "hello".getBytes());
        List<O2netMsg> l = new ArrayList<>(List.of(
                req,
                O2netMsg.request(1, 2, 3, seq, new byte[O2netMsg.MAX_PAYLOAD_BYTES]),
                req.statusReply(SysStatus.NONE, -22),
                O2netMsg.keepReq(),
                O2netMsg.keepResp()));
        if (v == ProtocolVersion.V12) {
            l.add(req.removeRequest());
            l.add(req.removeRequest().removedReply());
        }
        if (v == ProtocolVersion.V13) {
            l.add(req.withAck(2));
            l.add(O2netMsg.ackFrame(9));
        }
        return l;
    }

    private static byte[] encode(O2netMsg m, ProtocolVersion v) {
        ByteBuf b = Unpooled.buffer();
        try {
            FrameEncoder.encode(m, v, b);
            byte[] out = new byte[b.readableBytes()];
            b.readBytes(out);
            return out;
        } finally {
            b.release();
        }
    }

    private static byte[] encode(Handshake h) {
        ByteBuf b = Unpooled.buffer();
        try {
            h.writeTo(b);
            byte[] out = new byte[b.readableBytes()];
            b.readBytes(out);
            return out;
        } finally {
            b.release();
        }
    }

    private static byte[] concat(List<byte[]> parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int i = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, i, p.length);
            i += p.length;
        }
        return out;
    }

    /** Runs {@code inputs} inputs into {@code report}. */
    Report run(long inputs, Report report) {
        Runtime rt = Runtime.getRuntime();
        for (long i = 0; i < inputs; i++) {
            Seed s = corpus.get(random.nextInt(corpus.size()));
            byte[] input = mutate(s.bytes());
            feed(s.local(), input, report);
            report.inputs++;
            report.bytes += input.length;
            if ((i & 0x3fff) == 0) {
                report.peakHeapBytes = Math.max(report.peakHeapBytes, rt.totalMemory() - rt.freeMemory());
            }
        }
        report.peakHeapBytes = Math.max(report.peakHeapBytes, rt.totalMemory() - rt.freeMemory());
        return report;
    }

    private byte[] mutate(byte[] in) {
        byte[] b = in.clone();
        int rounds = 1 + random.nextInt(4);
        for (int r = 0; r < rounds; r++) {
            switch (random.nextInt(8)) {
                case 0 -> { // bit flip
                    int i = random.nextInt(b.length);
                    b[i] ^= (byte) (1 << random.nextInt(8));
                }
                case 1 -> { // an interesting byte
                    b[random.nextInt(b.length)] = (byte) new int[] {0, 0xff, 0x7f, 0x80, 0xfa, 0x55}[random.nextInt(6)];
                }
                case 2 -> { // a header field of some frame (or of the handshake) set to a boundary value
                    int base = random.nextInt(Math.max(1, b.length - 24));
                    int off = base + HEADER_FIELDS16[random.nextInt(HEADER_FIELDS16.length)];
                    if (off + 1 < b.length) {
                        int v = INTERESTING16[random.nextInt(INTERESTING16.length)];
                        b[off] = (byte) (v >>> 8);
                        b[off + 1] = (byte) v;
                    }
                }
                case 3 -> b = java.util.Arrays.copyOf(b, random.nextInt(b.length + 1)); // truncation
                case 4 -> { // splice with another seed
                    byte[] other = corpus.get(random.nextInt(corpus.size())).bytes();
                    int cut = random.nextInt(b.length + 1);
                    int from = random.nextInt(other.length);
                    byte[] tail = java.util.Arrays.copyOfRange(other, from, other.length);
                    b = concat(List.of(java.util.Arrays.copyOf(b, cut), tail));
                }
                case 5 -> { // insertion of random bytes
                    int at = random.nextInt(b.length + 1);
                    byte[] ins = new byte[1 + random.nextInt(16)];
                    random.nextBytes(ins);
                    b = concat(List.of(
                            java.util.Arrays.copyOf(b, at), ins, java.util.Arrays.copyOfRange(b, at, b.length)));
                }
                case 6 -> { // a 64-bit field (version, msg_seq, ack, incarnation) set to a boundary value
                    int off = random.nextInt(Math.max(1, b.length - 8));
                    long v = new long[] {0, 1, -1, Long.MAX_VALUE, 11, 12, 13, 14}[random.nextInt(8)];
                    for (int k = 0; k < 8 && off + k < b.length; k++) {
                        b[off + k] = (byte) (v >>> (56 - 8 * k));
                    }
                }
                default -> { // plain random bytes
                    b = new byte[random.nextInt(200)];
                    random.nextBytes(b);
                }
            }
            if (b.length == 0) {
                break;
            }
        }
        return b;
    }

    /** Collects what reaches the end of the pipeline: frames, the handshake event, exceptions. */
    private static final class Sink extends ChannelInboundHandlerAdapter {
        final List<Throwable> errors = new ArrayList<>();
        long frames;
        boolean handshake;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof O2netMsg) {
                frames++;
            } else {
                io.netty.util.ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof HandshakeCompletionEvent e && e.isSuccess()) {
                handshake = true;
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
        }
    }

    private void feed(Handshake local, byte[] input, Report report) {
        Sink sink = new Sink();
        EmbeddedChannel ch = new EmbeddedChannel();
        WirePipeline.addLast(ch.pipeline(), local);
        ch.pipeline().addLast(sink);
        List<ByteBuf> given = new ArrayList<>();
        int i = 0;
        try {
            while (i < input.length) {
                int n = 1 + random.nextInt(Math.min(input.length - i, 1 + random.nextInt(4096)));
                ByteBuf b = Unpooled.wrappedBuffer(java.util.Arrays.copyOfRange(input, i, i + n));
                given.add(b);
                i += n;
                if (ch.isOpen()) {
                    ch.writeInbound(b);
                } else {
                    b.release(); // nobody reads a closed connection: the node would not either
                }
            }
        } catch (RuntimeException e) {
            sink.errors.add(e);
        } finally {
            ch.finishAndReleaseAll();
        }
        for (ByteBuf b : given) {
            if (b.refCnt() != 0) {
                report.leaks++;
                b.release(b.refCnt());
            }
        }
        report.frames += sink.frames;
        if (sink.handshake) {
            report.handshakesAccepted++;
        }
        for (Throwable t : sink.errors) {
            String name = t.getClass().getSimpleName();
            if (TYPED.contains(t.getClass())) {
                report.typed.merge(name, 1L, Long::sum);
            } else {
                report.untyped.merge(name, 1L, Long::sum);
                if (report.untypedExamples.size() < 5) {
                    java.io.StringWriter w = new java.io.StringWriter();
                    t.printStackTrace(new java.io.PrintWriter(w));
                    report.untypedExamples.add(w.toString());
                }
            }
        }
    }
}
