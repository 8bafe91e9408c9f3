// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

import static java.util.Objects.requireNonNull;

/**
 * User event fired by {@link HandshakeDecoder} once the peer's handshake has been checked, before any frame of the
 * connection is passed on. On success it carries the peer's {@link Handshake} (in v12 its {@code incarnation} tells
 * whether the peer restarted); on failure the {@link HandshakeMismatchException}, which the decoder then also throws
 * so that the channel is closed (see {@link DecoderErrorHandler}).
 */
public final class HandshakeCompletionEvent {
    private final Handshake peer;
    private final HandshakeMismatchException cause;

    private HandshakeCompletionEvent(Handshake peer, HandshakeMismatchException cause) {
        this.peer = peer;
        this.cause = cause;
    }

    /** Returns the event for an accepted peer handshake. */
    public static HandshakeCompletionEvent success(Handshake peer) {
        return new HandshakeCompletionEvent(requireNonNull(peer, "peer"), null);
    }

    /** Returns the event for a refused peer handshake. */
    public static HandshakeCompletionEvent failure(HandshakeMismatchException cause) {
        return new HandshakeCompletionEvent(null, requireNonNull(cause, "cause"));
    }

    /** Returns {@code true} if the peer's handshake was accepted. */
    public boolean isSuccess() {
        return cause == null;
    }

    /** Returns the peer's handshake, or {@code null} on failure. */
    public Handshake peer() {
        return peer;
    }

    /** Returns why the handshake was refused, or {@code null} on success. */
    public HandshakeMismatchException cause() {
        return cause;
    }

    @Override
    public String toString() {
        return isSuccess()
                ? "HandshakeCompletionEvent(SUCCESS, " + peer + ")"
                : "HandshakeCompletionEvent(" + cause.field() + ", " + cause.getMessage() + ")";
    }
}
