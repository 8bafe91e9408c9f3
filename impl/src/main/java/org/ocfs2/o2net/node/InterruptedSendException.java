// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;

/**
 * Thrown by {@link O2netNode#send} when the calling thread is interrupted while it waits. The call is <b>not</b>
 * abandoned: its message stays held (and is re-sent after a reconnect) until the call is over, exactly as if the caller
 * were still waiting, and {@link #future()} completes with its result. The payload array is still the message's (it is
 * not copied): keep it unchanged until the future completes. The thread's interrupt status is set again.
 */
public final class InterruptedSendException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient CompletableFuture<Integer> future;

    InterruptedSendException(String message, CompletableFuture<Integer> future) {
        super(message);
        this.future = requireNonNull(future, "future");
    }

    /** The call's result, as {@link O2netNode#sendAsync} would have returned it. */
    public CompletableFuture<Integer> future() {
        return future;
    }
}
