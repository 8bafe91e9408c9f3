// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import org.ocfs2.o2net.wire.Errno;

/**
 * One node's counters towards one peer: the protocol core's ({@code PeerCore.Stats}) and the connection layer's.
 * Counters count since the node started; gauges ({@code mhCount}, {@code heldCount}, ...) are the value at the
 * snapshot.
 *
 * @param node               this node
 * @param peer               the peer
 * @param connected          a connection is up and both handshakes passed
 * @param alive              heartbeat sees the peer alive
 * @param persistentError    the error sends fail with at once (ENOTCONN after a handshake mismatch), or null
 * @param lastError          why the last connection was refused or dropped, or null
 * @param peerIncarnation    the peer's incarnation from the last handshake (v12), 0 if none
 * @param calls              calls started in the core
 * @param resends            messages written again on a new connection
 * @param duplicates         duplicates received and not handled again
 * @param staleStatuses      statuses received and dropped
 * @param failedCalls        calls the core failed with EHOSTDOWN
 * @param mhCount            Message Holders of the peer's messages held now
 * @param heldCount          messages to the peer held now
 * @param orphans            handlers still running whose Message Holder was freed
 * @param waitingForConnection calls waiting for a connection now
 * @param handlerRuns        handlers run for the peer's requests
 * @param handlerNanos       their total run time
 * @param handlerExceptions  handlers that threw
 * @param noHandler          requests answered NO_HNDLR
 * @param overflows          requests answered OVERFLOW
 * @param connects           connections made (both handshakes passed)
 * @param disconnects        connections lost after they were made
 * @param connectAttempts    connect attempts made (connector side)
 * @param keepalivesSent     KEEP_REQs written
 * @param keepalivesReceived KEEP_REQs and KEEP_RESPs received
 * @param idleTimeouts       connections closed by the idle timer
 * @param acksSent           v13: ACK frames written (acks that no MSG or STATUS carried in time)
 * @param acksReceived       v13: ACK frames received
 * @param mhFreedByAck       v13: Message Holders of the peer's messages freed by its acks
 * @param refused            v13: the peer's MSG frames refused as outside the window (each closed the connection)
 * @param handshakeTimeouts  connections closed because their handshake did not pass within the deadline
 * @param handshakesReplaced accepted connections without a handshake closed for a newer one from the same node
 * @param readPauses         times reading from the peer paused (its handler runs backlogged past the high water
 *                           mark, or it did not read what this node writes)
 */
public record PeerStats(
        int node,
        int peer,
        boolean connected,
        boolean alive,
        Errno persistentError,
        String lastError,
        long peerIncarnation,
        long calls,
        long resends,
        long duplicates,
        long staleStatuses,
        long failedCalls,
        int mhCount,
        int heldCount,
        int orphans,
        int waitingForConnection,
        long handlerRuns,
        long handlerNanos,
        long handlerExceptions,
        long noHandler,
        long overflows,
        long connects,
        long disconnects,
        long connectAttempts,
        long keepalivesSent,
        long keepalivesReceived,
        long idleTimeouts,
        long acksSent,
        long acksReceived,
        long mhFreedByAck,
        long refused,
        long handshakeTimeouts,
        long handshakesReplaced,
        long readPauses) {
    /** The debugfs {@code stats}-like one-line form. */
    @Override
    public String toString() {
        return "node " + node + " -> " + peer + ": " + (connected ? "connected" : "not connected")
                + (alive ? "" : " (down)") + (persistentError == null ? "" : " error=" + persistentError)
                + " calls=" + calls + " resends=" + resends + " duplicates=" + duplicates + " stale=" + staleStatuses
                + " failed=" + failedCalls + " mh=" + mhCount + " held=" + heldCount + " orphans=" + orphans
                + " waiting=" + waitingForConnection + " handlers=" + handlerRuns + "/" + handlerNanos / 1000 + "us"
                + " handlerExceptions=" + handlerExceptions + " noHandler=" + noHandler + " overflows=" + overflows
                + " connects=" + connects + " disconnects=" + disconnects + " attempts=" + connectAttempts
                + " keepalives=" + keepalivesSent + "/" + keepalivesReceived + " idle=" + idleTimeouts + " acks="
                + acksSent + "/" + acksReceived + " mhFreedByAck=" + mhFreedByAck + " refused=" + refused
                + " handshakeTimeouts=" + handshakeTimeouts
                + " handshakesReplaced=" + handshakesReplaced + " readPauses=" + readPauses;
    }
}
