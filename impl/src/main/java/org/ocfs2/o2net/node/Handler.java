// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

/**
 * A message handler ({@code o2net_msg_handler_func}): runs on the receiving node for each request of its
 * {@code (msg_type, key)} and returns the status that goes back to the caller.
 * <p>
 * Handlers run off the I/O threads, on a per-peer ordered executor: the requests of one peer are handled one at a time,
 * in arrival order, while other peers' requests and all I/O (keepalives included) go on. A handler may block, but it
 * holds up the requests of its peer while it does.
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
