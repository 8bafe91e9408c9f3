// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

/**
 * A message handler ({@code o2net_msg_handler_func}): runs on the receiving node for each request of its
 * {@code (msg_type, key)} and returns the status that goes back to the caller.
 * <p>
 * The requests of one peer are handled one at a time, in arrival order. Where a handler runs is declared when it is
 * registered ({@link HandlerRegistration.Dispatch}): by default on the receive path, on the peer's event loop, as the
 * kernel runs o2net handlers (it must not block: the loop serves other peers and keepalives too); registered for the
 * executor, off the I/O threads, where it may block, holding up only the requests of its own peer.
 * <p>
 * A handler that throws is logged at ERROR with its type, key, sequence number, node and stack trace, counted, and
 * answered with status {@code -EIO} (-5) and {@code sys_status} NONE.
 */
@FunctionalInterface
public interface Handler {
    /**
     * @param request the request; valid after the call too (it owns a copy of the payload)
     * @return the status returned to the caller
     * @throws Exception answered with status {@code -EIO}
     */
    int handle(Request request) throws Exception;
}
