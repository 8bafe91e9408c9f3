// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;

/**
 * How a peer's delayed-ack timer is scheduled (protocol v13, AckO2net's {@code SendAck}): when the core's ack is ahead
 * of what the connection carried ({@code Effects.ackPending}), {@code fire} must run on the peer's event loop, by
 * default {@code delayMicros} later. A seam ({@link O2netNode.Builder#ackTimer}): a test that steps the protocol holds
 * the timer and fires it when its step says so; whenever it runs, the core writes an ACK only if one is still due.
 */
@FunctionalInterface
public interface AckTimer {
    /** The default: {@code fire} runs on {@code loop} after {@code delayMicros}. */
    AckTimer DELAYED = (loop, fire, delayMicros) -> loop.schedule(fire, delayMicros, TimeUnit.MICROSECONDS);

    /**
     * Schedules one run of {@code fire} on {@code loop}.
     *
     * @param loop        the peer's event loop: {@code fire} must run there
     * @param fire        the core's timer ({@code PeerCore.ackTimer})
     * @param delayMicros the delay the node would wait
     */
    void schedule(EventLoop loop, Runnable fire, long delayMicros);
}
