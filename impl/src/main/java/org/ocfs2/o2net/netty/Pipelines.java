// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.netty;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import org.ocfs2.o2net.config.ClusterConfig;
import org.ocfs2.o2net.wire.Handshake;
import org.ocfs2.o2net.wire.WirePipeline;

/**
 * Builds the pipeline of one o2net connection:
 * <pre>
 *  inbound:  handshake decoder -&gt; frame decoder -&gt; decoder-error -&gt; {@link FaultHandler} -&gt;
 *            {@link KeepaliveHandler} -&gt; {@link PeerHandler}
 *  outbound: {@link PeerHandler} / {@link KeepaliveHandler} -&gt; {@link FaultHandler} -&gt; frame encoder,
 *            handshake encoder -&gt; flush consolidation
 * </pre>
 * The codecs are {@link WirePipeline}'s. The fault handler is there only when the node was given a fault injector
 * (tests, the conformance replay): a production pipeline has none. It sees frames, not bytes; the keepalive handler
 * only sees what the fault handler lets through, so a held frame has not arrived yet.
 * <p>
 * Nearest the socket sits {@link FlushBatcher} (Netty's {@code FlushConsolidationHandler} without its object per
 * flush): the frames written while the event loop handles
 * one read (STATUS, MH_REMOVE, MH_REMOVED, KEEP_RESP answer received frames) or one batch of tasks (calls and handler
 * results handed in by other threads) go out in one {@code write} system call instead of one each. Nothing waits
 * longer than the end of the event loop's current task, so no frame is delayed behind a timer.
 */
public final class Pipelines {
    private Pipelines() {}

    /** What one connection's pipeline needs. */
    public static final class Spec {
        final ClusterConfig config;
        final Handshake local;
        final int peer;
        final String peerName;
        final FaultInjector injector;
        final KeepaliveHandler.Listener keepalive;
        final PeerHandler.Listener listener;

        /**
         * @param config    timeouts and this node's number
         * @param local     this node's handshake
         * @param peer      the peer's number
         * @param peerName  the peer as the kernel's log lines name it
         * @param injector  the fault injector, {@link FaultInjector#NONE} for none (then the pipeline has no
         *                  {@link FaultHandler})
         * @param keepalive told about keepalives; may be {@code null}
         * @param listener  the per-peer driver
         */
        public Spec(
                ClusterConfig config,
                Handshake local,
                int peer,
                String peerName,
                FaultInjector injector,
                KeepaliveHandler.Listener keepalive,
                PeerHandler.Listener listener) {
            this.config = requireNonNull(config, "config");
            this.local = requireNonNull(local, "local");
            this.peer = peer;
            this.peerName = requireNonNull(peerName, "peerName");
            this.injector = requireNonNull(injector, "injector");
            this.keepalive = keepalive;
            this.listener = requireNonNull(listener, "listener");
        }
    }

    /** The name of the flush-consolidation handler. */
    public static final String FLUSH_NAME = "o2net-flush";
    /** Flushes that may be put off while a read goes on, before one is let through anyway. */
    static final int FLUSH_AFTER = 64;

    /** Appends the connection's handlers to {@code p}. */
    public static void addLast(ChannelPipeline p, Spec s) {
        p.addLast(FLUSH_NAME, new FlushBatcher(FLUSH_AFTER));
        // views (no frame object per frame received) unless a fault handler, which holds frames back, is there
        WirePipeline.addLast(p, s.local, s.injector == FaultInjector.NONE);
        if (s.injector != FaultInjector.NONE) {
            p.addLast(FaultHandler.NAME, new FaultHandler(s.injector, s.config.localNodeNumber(), s.peer));
        }
        p.addLast(
                KeepaliveHandler.NAME,
                new KeepaliveHandler(s.config.keepaliveDelayMs(), s.config.idleTimeoutMs(), s.peerName, s.keepalive));
        p.addLast(PeerHandler.NAME, new PeerHandler(s.local, s.peerName, s.listener));
    }

    /** Returns an initializer that calls {@link #addLast} when the channel is registered. */
    public static ChannelInitializer<Channel> initializer(Spec s) {
        requireNonNull(s, "s");
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                addLast(ch.pipeline(), s);
            }
        };
    }
}
