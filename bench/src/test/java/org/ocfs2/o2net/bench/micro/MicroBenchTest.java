// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench.micro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.ocfs2.o2net.core.CallResult;
import org.ocfs2.o2net.core.PeerCore;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.SysStatus;

/** One invocation of each micro-benchmark, outside JMH: it does what it claims and leaves nothing behind. */
class MicroBenchTest {

    @Test
    void oneCoreCallCompletesWithTheHandlersStatusInEveryProtocol() {
        for (String protocol : new String[] {"v11", "v12", "v13"}) {
            for (int payload : new int[] {64, O2netMsg.MAX_PAYLOAD_BYTES}) {
                CoreCallBench b = new CoreCallBench();
                b.protocol = protocol;
                b.payload = payload;
                b.setup();
                for (int i = 1; i <= 3; i++) {
                    CallResult r = b.once();
                    assertEquals(new CallResult(SysStatus.NONE, 1000 + payload), r);
                    PeerCore.Stats s = b.senderCore().stats();
                    assertEquals(i, s.calls);
                    assertEquals(0, s.heldCount, "the call must be over in the sender's core");
                    // v13: the last call's Message Holder waits for the ack the next MSG carries (no ACK frame here)
                    assertEquals(
                            protocol.equals("v13") ? 1 : 0, b.receiverCore().stats().mhCount, "Message Holders left");
                }
            }
        }
    }

    @Test
    void codecRoundTripReturnsAnEqualFrameAndReleasesTheBuffer() {
        for (String protocol : new String[] {"v11", "v12", "v13"}) {
            for (int payload : new int[] {64, O2netMsg.MAX_PAYLOAD_BYTES}) {
                CodecBench b = new CodecBench();
                b.protocol = protocol;
                b.payload = payload;
                b.setup();
                try {
                    ByteBuf buf = b.encode();
                    assertEquals(b.frame().frameLength(CoreCallBench.version(protocol)), buf.readableBytes());
                    O2netMsg out = b.decode(buf);
                    assertEquals(b.frame(), out);
                    assertNotSame(b.frame(), out);
                    assertEquals(0, buf.refCnt(), "the decoder must release the buffer");
                    assertEquals(b.frame(), b.roundTrip());
                } finally {
                    b.tearDown();
                }
            }
        }
    }
}
