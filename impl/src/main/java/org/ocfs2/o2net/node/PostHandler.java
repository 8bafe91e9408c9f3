// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

/**
 * Runs after a handler, once its status has been handed to the protocol core ({@code o2net_post_msg_handler_func}),
 * on the same thread. It runs once per handler run: never for a duplicate (the core never runs a handler twice for one
 * message), nor when no handler ran (NO_HNDLR, OVERFLOW). A post-handler that throws is logged at ERROR; the status is
 * not affected.
 */
@FunctionalInterface
public interface PostHandler {
    /**
     * @param request the request the handler ran for
     * @param status  the status the handler returned ({@code -EIO} if it threw)
     */
    void afterStatus(Request request, int status);
}
