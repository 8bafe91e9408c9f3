// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ocfs2.o2net.bench.Table;
import org.ocfs2.o2net.core.CallResult;
import org.ocfs2.o2net.core.Effects;
import org.ocfs2.o2net.core.MessageHolder;
import org.ocfs2.o2net.core.PeerCore;
import org.ocfs2.o2net.wire.Errno;
import org.ocfs2.o2net.wire.O2netMsg;

/** The core-level memory measurement with a small N: plausible figures, and the count checks catch a wrong state. */
class CoreMemoryTest {
    private static final int N = 40;

    @Test
    void aHeldMessageRetainsMoreThanItsPayload() {
        for (int payload : new int[] {64, O2netMsg.MAX_PAYLOAD_BYTES}) {
            for (boolean reliable : new boolean[] {false, true}) {
                CoreMemory.Sample s = CoreMemory.sender(reliable, payload, N, false);
                assertTrue(s.perMessage() > payload, s.state() + ": " + s.perMessage());
            }
            CoreMemory.Sample kept = CoreMemory.sender(true, payload, N, true);
            assertTrue(kept.perMessage() > payload, kept.state() + ": " + kept.perMessage());
        }
    }

    @Test
    void aMessageHolderRetainsBytesAndAV11ReceiverNone() {
        for (boolean done : new boolean[] {false, true}) {
            CoreMemory.Sample mh = CoreMemory.receiver(true, 64, N, done);
            assertTrue(mh.perMessage() > 0, mh.state() + ": " + mh.perMessage());
        }
        CoreMemory.Sample v11 = CoreMemory.receiver(false, 64, N, true);
        assertTrue(v11.perMessage() < 64, v11.state() + ": " + v11.perMessage());
    }

    @Test
    void aV13MessageHolderKeepsNoPayload() {
        CoreMemory.Sample small = CoreMemory.receiverV13(64, N);
        CoreMemory.Sample large = CoreMemory.receiverV13(O2netMsg.MAX_PAYLOAD_BYTES, N);
        assertTrue(small.perMessage() > 0, small.toString());
        assertEquals(small.perMessage(), large.perMessage(), 0.001, "the same at any payload");
        CoreMemory.Sample sent = CoreMemory.senderV13(64, N);
        assertTrue(sent.perMessage() > 64, sent.toString());
    }

    @Test
    void theTablesHaveARowPerMeasurement() {
        List<CoreMemory.Sample> all = CoreMemory.all(N, new int[] {64});
        Table t = CoreMemory.table(all, N);
        assertEquals(8, t.rows().size());
        assertTrue(CoreMemory.breakdown(all.get(1)).rows().size() > 3);
    }

    @Test
    void theCountChecksFireOnAWrongState() {
        List<MessageHolder> runs = new ArrayList<>();
        PeerCore<Object> sender = new PeerCore<>(2, 1, true, 7, new Quiet(runs));
        sender.connect(8, 0);
        for (int i = 0; i < 3; i++) {
            sender.send(new Object(), 5, 9, new byte[10], "t", i);
        }
        CoreMemory.expectHeld(sender, 3, "MSG");
        assertThrows(IllegalStateException.class, () -> CoreMemory.expectHeld(sender, 4, "MSG"));
        assertThrows(IllegalStateException.class, () -> CoreMemory.expectHeld(sender, 3, "REMOVE"));
        assertThrows(IllegalStateException.class, () -> CoreMemory.expectMhs(sender, 0, true));

        PeerCore<Object> receiver = new PeerCore<>(1, 2, true, 8, new Quiet(runs));
        receiver.connect(7, 0);
        receiver.receive(O2netMsg.request(5, 9, 0, 1, new byte[10]), 1);
        CoreMemory.expectMhs(receiver, 1, false);
        assertThrows(IllegalStateException.class, () -> CoreMemory.expectMhs(receiver, 1, true));
        assertThrows(IllegalStateException.class, () -> CoreMemory.expectMhs(receiver, 2, false));
        receiver.handlerDone(runs.get(0), 0, 3, 2);
        CoreMemory.expectMhs(receiver, 1, true);
    }

    /** Effects that drop frames and keep the handler runs asked for. */
    private static final class Quiet implements Effects<Object> {
        private final List<MessageHolder> runs;

        Quiet(List<MessageHolder> runs) {
            this.runs = runs;
        }

        @Override
        public void write(O2netMsg frame) {}

        @Override
        public void runHandler(MessageHolder mh) {
            runs.add(mh);
        }

        @Override
        public void complete(Object call, CallResult result) {}

        @Override
        public void refuse(Object call, Errno errno, String why) {
            throw new IllegalStateException("call refused: " + why);
        }

        @Override
        public void disconnect(String why) {}
    }
}
