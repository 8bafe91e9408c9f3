// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.hb;

/**
 * A heartbeat block, with a good checksum, whose {@code hb_node} is not the node whose slot it was read from: another
 * node writes at this offset (a different {@code start_block}, or two nodes configured with one number). In its own
 * slot the kernel reports this as "Another node is heartbeating on device" ({@code o2hb_check_own_slot()}).
 */
public final class WrongNodeException extends HeartbeatBlockException {
    private static final long serialVersionUID = 1L;

    private final int expectedNode;

    WrongNodeException(HeartbeatBlock block, int storedCksum, int expectedNode) {
        super(String.format("hb_node %d in the slot of node %d", block.node(), expectedNode), block, storedCksum);
        this.expectedNode = expectedNode;
    }

    /** The slot's node number. */
    public int expectedNode() {
        return expectedNode;
    }
}
