// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import java.util.List;
import org.ocfs2.o2net.core.PeerCore;
import org.ocfs2.o2net.wire.O2netMsg;

/**
 * One node's state towards one peer at one moment, for inspection by the test kit ({@code NodeControl.inspect} in
 * o2net-testkit; the conformance replay and tests read it): the protocol core's
 * state, the frames the fault injector holds on the connection, and the calls waiting for a connection. Taken on the
 * peer's event loop, so it is consistent and free of data races; immutable. Inspecting changes nothing.
 *
 * @param core                 the protocol core's state ({@link PeerCore#snapshot()})
 * @param connection           a connection exists, established or being made
 * @param valid                a connection is up and both handshakes passed ({@code nn_sc_valid})
 * @param alive                heartbeat sees the peer alive
 * @param heldOutbound         frames to the peer the fault injector holds on the current connection, oldest first
 *                             (keepalives included)
 * @param heldInbound          frames from the peer it holds, oldest first
 * @param waitingForConnection the payloads of the v11 calls waiting in the core for a connection (its {@code Send}
 *                             guard {@code conn = "up"}), in the order they will be sent (copies); none in v12
 */
public record PeerInspection(
        PeerCore.Snapshot core,
        boolean connection,
        boolean valid,
        boolean alive,
        List<O2netMsg> heldOutbound,
        List<O2netMsg> heldInbound,
        List<byte[]> waitingForConnection) {
    public PeerInspection {
        heldOutbound = List.copyOf(heldOutbound);
        heldInbound = List.copyOf(heldInbound);
        waitingForConnection = List.copyOf(waitingForConnection);
    }
}
