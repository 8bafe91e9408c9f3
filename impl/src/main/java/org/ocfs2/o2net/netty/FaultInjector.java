// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.netty;

import org.ocfs2.o2net.wire.O2netMsg;

/**
 * Decides, frame by frame, what the network does to a connection: the fault-injection point of the pipeline, in the
 * manner of Aeron's loss generators. {@link FaultHandler} consults it for every frame after the frame codec and before
 * the connection's protocol handlers, in both directions.
 * <p>
 * TCP never loses, duplicates or reorders a frame inside a connection, so neither can an injector: it can only
 * <em>hold</em> a frame (it stays in flight until {@link FaultHandler#release()}, or is lost with the connection), or
 * <em>reset</em> the connection (an abortive close that sends a real RST; every frame in flight is lost, as on a real
 * reset). Once a frame of one direction is held, every later frame of that direction is held behind it, so order is
 * kept.
 * <p>
 * {@link #inspect} is called on the connection's event loop, possibly from several event loops at once when one
 * injector serves several connections or nodes: implementations must be thread-safe and must not block.
 */
@FunctionalInterface
public interface FaultInjector {
    /** Which way a frame travels, seen from the node whose pipeline holds the handler. */
    enum Direction {
        /** Received from the peer. */
        INBOUND,
        /** Written to the peer. */
        OUTBOUND
    }

    /** What happens to a frame. */
    enum Verdict {
        /** The frame goes on (behind any frame already held in its direction). */
        PASS,
        /** The frame is held in flight until released, or lost with the connection. */
        HOLD,
        /** The connection is reset now (SO_LINGER 0, then close); this frame and every held one are lost. */
        RESET
    }

    /**
     * No injector: every frame passes. A node built with it (the default) puts no {@link FaultHandler} in its
     * pipelines at all.
     */
    FaultInjector NONE = (node, peer, direction, frame) -> Verdict.PASS;

    /**
     * Returns what happens to {@code frame}.
     *
     * @param node      the number of the node whose pipeline sees the frame
     * @param peer      the number of the node at the other end of the connection
     * @param direction whether {@code node} received or is writing the frame
     * @param frame     the frame; keepalives included
     */
    Verdict inspect(int node, int peer, Direction direction, O2netMsg frame);
}
