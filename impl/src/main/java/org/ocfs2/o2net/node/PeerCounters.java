// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import java.util.concurrent.atomic.AtomicLong;
import org.ocfs2.o2net.core.PeerCore;
import org.ocfs2.o2net.wire.Errno;

/**
 * The statistics of one peer that are not protocol state: connections, keepalives and handler runs (the protocol's
 * own counters are the core's, {@link PeerCore.Stats}). Kept apart so that the connection and handler code only
 * count, and {@link #stats} is the one place that puts a {@link PeerStats} together.
 * <p>
 * Threading: the connection counters are touched only on the peer's event loop; the handler counters are updated
 * on handler threads and read on the loop, so they are atomic.
 */
final class PeerCounters {
    // loop
    long connects;
    long disconnects;
    long connectAttempts;
    long keepalivesSent;
    long keepalivesReceived;
    long idleTimeouts;
    long handshakeTimeouts;
    long handshakesReplaced;
    long readPauses;

    // any thread
    final AtomicLong handlerRuns = new AtomicLong();
    final AtomicLong handlerNanos = new AtomicLong();
    final AtomicLong handlerExceptions = new AtomicLong();
    final AtomicLong noHandler = new AtomicLong();
    final AtomicLong overflows = new AtomicLong();

    /** The peer's counters now, with the core's and the connection's state; on the loop. */
    PeerStats stats(
            int self,
            int peer,
            boolean valid,
            boolean alive,
            Errno persistentError,
            String lastError,
            PeerCore<?> core) {
        PeerCore.Stats s = core.stats();
        return new PeerStats(
                self,
                peer,
                valid,
                alive,
                persistentError,
                lastError,
                core.peerIncarnation(),
                s.calls,
                s.resends,
                s.duplicates,
                s.staleStatuses,
                s.failedCalls,
                s.mhCount,
                s.heldCount,
                core.orphanCount(),
                s.unsentCount,
                handlerRuns.get(),
                handlerNanos.get(),
                handlerExceptions.get(),
                noHandler.get(),
                overflows.get(),
                connects,
                disconnects,
                connectAttempts,
                keepalivesSent,
                keepalivesReceived,
                idleTimeouts,
                s.acksSent,
                s.acksReceived,
                s.mhFreedByAck,
                s.refused,
                handshakeTimeouts,
                handshakesReplaced,
                readPauses);
    }
}
