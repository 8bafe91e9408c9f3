// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import org.ocfs2.o2net.wire.O2netMsg;

/**
 * A message the sender keeps until its call is over (ReliableO2net's {@code held[seq]}): re-sent on every new
 * connection as MSG while its status is missing, as MH_REMOVE once the status is kept. It carries the caller's
 * opaque call object, which the core hands back in {@link Effects#complete} and never looks into.
 *
 * @param <C> the caller's call object
 */
final class HeldMessage<C> {
    /** ReliableO2net's {@code phase}; O2net (v11) uses only MSG. UNSENT: not written yet, no connection was up. */
    enum Phase {
        UNSENT,
        MSG,
        REMOVE
    }

    final C call;
    final O2netMsg msg;
    Phase phase;
    /** ReliableO2net (v12): the status kept in phase REMOVE. */
    CallResult result;

    HeldMessage(C call, O2netMsg msg, Phase phase) {
        this.call = call;
        this.msg = msg;
        this.phase = phase;
    }
}
