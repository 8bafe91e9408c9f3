// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

/**
 * The peer sent a frame the protocol does not allow in the current state (for example MH_REMOVED for a message that
 * is not waiting for it). The connection that carried it is closed; the message says what was wrong.
 */
public final class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }
}
