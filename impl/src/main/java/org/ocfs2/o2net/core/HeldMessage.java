// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import org.ocfs2.o2net.wire.O2netMsg;

/**
 * A message the sender keeps until its call is over (ReliableO2net's {@code held[seq]}): re-sent on every new
 * connection as MSG while its status is missing, as MH_REMOVE once the status is kept.
 */
final class HeldMessage {
    /** ReliableO2net's {@code phase}; O2net (v11) uses only MSG, and UNSENT while no connection is up. */
    enum Phase {
        UNSENT,
        MSG,
        REMOVE
    }

    final Waiter waiter;
    final O2netMsg msg;
    Phase phase;
    CallResult result;

    HeldMessage(Waiter waiter, O2netMsg msg, Phase phase) {
        this.waiter = waiter;
        this.msg = msg;
        this.phase = phase;
    }
}
