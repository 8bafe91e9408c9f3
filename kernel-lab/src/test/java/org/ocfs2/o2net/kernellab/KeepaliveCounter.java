// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.kernellab;

import java.util.concurrent.atomic.AtomicLongArray;
import org.ocfs2.o2net.netty.FaultInjector;
import org.ocfs2.o2net.wire.Magic;
import org.ocfs2.o2net.wire.O2netMsg;

/**
 * A fault injector that injects nothing: it lets every frame pass and counts the keepalives by direction and kind,
 * so that a test can tell the kernel's KEEP_REQs from its KEEP_RESPs (the node's own statistics count them together).
 */
final class KeepaliveCounter implements FaultInjector {
    private final AtomicLongArray counts = new AtomicLongArray(4);

    @Override
    public Verdict inspect(int node, int peer, Direction direction, O2netMsg frame) {
        Magic m = frame.magic();
        if (m == Magic.KEEP_REQ || m == Magic.KEEP_RESP) {
            counts.incrementAndGet(index(direction, m));
        }
        return Verdict.PASS;
    }

    private static int index(Direction d, Magic m) {
        return (d == Direction.INBOUND ? 0 : 2) + (m == Magic.KEEP_REQ ? 0 : 1);
    }

    /** A snapshot: KEEP_REQs and KEEP_RESPs received from and sent to the peer. */
    record Counts(long reqIn, long respIn, long reqOut, long respOut) {
        Counts minus(Counts o) {
            return new Counts(reqIn - o.reqIn, respIn - o.respIn, reqOut - o.reqOut, respOut - o.respOut);
        }

        @Override
        public String toString() {
            return "KEEP_REQ in " + reqIn + ", KEEP_RESP in " + respIn + ", KEEP_REQ out " + reqOut + ", KEEP_RESP out "
                    + respOut;
        }
    }

    Counts snapshot() {
        return new Counts(
                counts.get(index(Direction.INBOUND, Magic.KEEP_REQ)),
                counts.get(index(Direction.INBOUND, Magic.KEEP_RESP)),
                counts.get(index(Direction.OUTBOUND, Magic.KEEP_REQ)),
                counts.get(index(Direction.OUTBOUND, Magic.KEEP_RESP)));
    }
}
