// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench.micro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.ocfs2.o2net.core.CallResult;
import org.ocfs2.o2net.core.PeerCore;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.ProtocolVersion;
import org.ocfs2.o2net.wire.SysStatus;

/** One invocation of each micro-benchmark, outside JMH: it does what it claims and leaves nothing behind. */
class MicroBenchTest {

    @Test
    void oneCoreCallCompletesWithTheHandlersStatusInBothProtocols() {
        for (boolean reliable : new boolean[] {false, true}) {
            for (int payload : new int[] {64, O2netMsg.MAX_PAYLOAD_BYTES}) {
                CoreCallBench b = new CoreCallBench();
                b.reliable = reliable;
                b.payload = payload;
                b.setup();
                for (int i = 1; i <= 3; i++) {
                    CallResult r = b.once();
                    assertEquals(new CallResult(SysStatus.NONE, 1000 + payload), r);
                    PeerCore.Stats s = b.senderCore().stats();
                    assertEquals(i, s.calls);
                    assertEquals(0, s.heldCount, "the call must be over in the sender's core");
                    assertEquals(0, b.receiverCore().stats().mhCount, "no Message Holder may be left");
                }
            }
        }
    }

    @Test
    void codecRoundTripReturnsAnEqualFrameAndReleasesTheBuffer() {
        for (boolean reliable : new boolean[] {false, true}) {
            for (int payload : new int[] {64, O2netMsg.MAX_PAYLOAD_BYTES}) {
                CodecBench b = new CodecBench();
                b.reliable = reliable;
                b.payload = payload;
                b.setup();
                try {
                    ByteBuf buf = b.encode();
                    assertEquals(b.frame().frameLength(ProtocolVersion.of(reliable)), buf.readableBytes());
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
