// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

import io.netty.channel.ChannelPipeline;

/**
 * Installs the o2net codecs on a new connection's pipeline.
 * <pre>
 *  inbound:  [o2net-handshake-decoder -&gt; o2net-frame-decoder] -&gt; o2net-decoder-error -&gt; (your handlers)
 *  outbound: o2net-frame-encoder, o2net-handshake-encoder
 * </pre>
 * The connection layer then writes its own {@link Handshake} first, handles {@link HandshakeCompletionEvent}, reads
 * {@link O2netMsg}s, writes {@link O2netMsg}s only after a successful handshake, and consumes the exceptions that
 * {@link DecoderErrorHandler} passes on after closing.
 */
public final class WirePipeline {
    private WirePipeline() {}

    /** Appends the codecs for a connection whose own handshake is {@code local}. */
    public static void addLast(ChannelPipeline pipeline, Handshake local) {
        addLast(pipeline, local, false);
    }

    /**
     * Appends the codecs for a connection whose own handshake is {@code local}; with {@code views}, the frame decoder
     * emits its reused {@link FrameView} instead of a value per frame (for a pipeline whose handlers keep no frame).
     */
    public static void addLast(ChannelPipeline pipeline, Handshake local, boolean views) {
        pipeline.addLast(HandshakeEncoder.NAME, HandshakeEncoder.INSTANCE);
        pipeline.addLast(FrameEncoder.NAME, new FrameEncoder(local.version()));
        pipeline.addLast(HandshakeDecoder.NAME, new HandshakeDecoder(local, views));
        pipeline.addLast(DecoderErrorHandler.NAME, DecoderErrorHandler.INSTANCE);
    }
}
