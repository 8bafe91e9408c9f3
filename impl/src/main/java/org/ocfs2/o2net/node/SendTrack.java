// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

/**
 * One call in progress, as debugfs {@code send_tracking} shows it: who waits, on which message, since when.
 *
 * @param caller     the name of the thread that called
 * @param node       the target node
 * @param msgType    {@code msg_type}
 * @param key        {@code key}
 * @param msgNum     the waiter id ({@code msg_num}); -1 while the call waits for a connection
 * @param msgSeq     the message's sequence number; 0 in v11 or while the call waits for a connection
 * @param startNanos when the call started, on the node's {@link Clock}
 * @param state      where the call is
 */
public record SendTrack(
        String caller, int node, int msgType, int key, int msgNum, long msgSeq, long startNanos, State state) {
    /** Where a call is. */
    public enum State {
        /** No connection to the target yet (the kernel's "sock acquiry"): the message is not written. */
        WAITING_FOR_CONNECTION,
        /** The message is held by the protocol core: written, or to be re-sent, until its status is back. */
        IN_FLIGHT
    }

    /** How long the call has been going on at {@code nowNanos}, in microseconds, as debugfs prints it. */
    public long ageMicros(long nowNanos) {
        return (nowNanos - startNanos) / 1000;
    }
}
