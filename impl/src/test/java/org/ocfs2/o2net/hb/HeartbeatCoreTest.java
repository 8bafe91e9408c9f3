// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.hb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ocfs2.o2net.hb.HeartbeatCore.Iteration;
import org.ocfs2.o2net.hb.HeartbeatCore.NodeEvent;
import org.ocfs2.o2net.hb.HeartbeatCore.NoticeKind;
import org.ocfs2.o2net.hb.HeartbeatCore.Start;

/**
 * The decisions of {@code o2hb_check_slot()} and {@code o2hb_check_own_slot()}, one read at a time, on a region held
 * in memory: node 0 is the local node, node 2 (and 3) the others, whose blocks the test writes by hand.
 */
class HeartbeatCoreTest {
    private static final int BYTES = 512;
    private static final int BLOCKS = 8;
    private static final int THRESHOLD = 4;
    private static final long GEN = 0x1111L;
    private static final long GEN_A = 0xaaaaL;
    private static final long GEN_B = 0xbbbbL;
    private static final String DEV = "/dev/test";

    private final ByteBuffer disk = ByteBuffer.allocate(BLOCKS * BYTES);
    private final HeartbeatCore core = new HeartbeatCore(0, BLOCKS, BYTES, THRESHOLD, THRESHOLD * 2000, GEN, DEV);
    private long now = 1_700_000_000L;

    private void put(int slot, HeartbeatBlock b) {
        b.encodeInto(disk, slot * BYTES, BYTES);
    }

    private void beat(int node, long seq, long gen) {
        put(node, new HeartbeatBlock(seq, node, gen, THRESHOLD * 2000));
    }

    /** One iteration as {@link DiskHeartbeat} runs it: read, decide, write this node's block. */
    private Iteration iterate() {
        Iteration it = core.doDiskHeartbeat(disk.duplicate(), now);
        put(0, it.write());
        now += 2;
        return it;
    }

    private List<NodeEvent> events() {
        return iterate().events();
    }

    private static NodeEvent up(int node, long gen) {
        return new NodeEvent(node, true, gen);
    }

    private static NodeEvent down(int node, long gen) {
        return new NodeEvent(node, false, gen);
    }

    /**
     * Node 2 live with {@code gen}: two changed reads after the reference read, then one more, which clears the
     * counts as every changed read of a live node does. Its last {@code hb_seq} is 102.
     */
    private void bringUp(long gen) {
        core.populateSlotData(disk.duplicate());
        beat(2, 100, gen);
        assertEquals(List.of(), events(), "one changed read is not enough");
        beat(2, 101, gen);
        assertEquals(List.of(up(2, gen)), events(), "the second changed read (O2HB_LIVE_THRESHOLD) makes it live");
        beat(2, 102, gen);
        assertEquals(List.of(), events());
    }

    @Test
    void liveAfterTwoChangedReads() {
        bringUp(GEN_A);
        assertTrue(core.isLive(2));
        assertEquals(Map.of(2, GEN_A), core.liveNodes());
    }

    @Test
    void aNodeAlreadyHeartbeatingIsSeenFromTheReferenceRead() {
        beat(2, 500, GEN_A);
        core.populateSlotData(disk.duplicate());
        assertEquals(List.of(), events(), "unchanged since the reference read");
        beat(2, 501, GEN_A);
        assertEquals(List.of(), events());
        beat(2, 502, GEN_A);
        assertEquals(List.of(up(2, GEN_A)), events());
    }

    @Test
    void changedReadsCountAcrossTheWholeDeadTime() {
        core.populateSlotData(disk.duplicate());
        beat(2, 100, GEN_A);
        assertEquals(List.of(), events());
        for (int i = 0; i < 50; i++) {
            assertEquals(List.of(), events(), "equal reads while dead do not reset the changed count");
        }
        beat(2, 101, GEN_A);
        assertEquals(List.of(up(2, GEN_A)), events());
    }

    @Test
    void deadAfterThresholdEqualReads() {
        bringUp(GEN_A);
        for (int i = 1; i < THRESHOLD; i++) {
            assertEquals(List.of(), events(), "equal read " + i + " of " + THRESHOLD);
        }
        assertEquals(List.of(down(2, GEN_A)), events(), "the dead_threshold-th equal read");
        assertFalse(core.isLive(2));
        assertEquals(List.of(), events());
        beat(2, 103, GEN_A);
        assertEquals(List.of(), events(), "the changed count was cleared: two changed reads again");
        beat(2, 104, GEN_A);
        assertEquals(List.of(up(2, GEN_A)), events());
    }

    @Test
    void rightAfterTheUpTheDeadCountStartsOneReadLate() {
        // o2hb_check_slot() does not clear ds_changed_samples on the way up, so the first read after it, even an
        // equal one, clears both counts: dead_threshold + 1 equal reads in all.
        core.populateSlotData(disk.duplicate());
        beat(2, 100, GEN_A);
        events();
        beat(2, 101, GEN_A);
        assertEquals(List.of(up(2, GEN_A)), events());
        for (int i = 0; i < THRESHOLD; i++) {
            assertEquals(List.of(), events(), "equal read " + (i + 1));
        }
        assertEquals(List.of(down(2, GEN_A)), events());
    }

    @Test
    void aChangedReadResetsTheEqualCount() {
        bringUp(GEN_A);
        long seq = 102;
        for (int round = 0; round < 5; round++) {
            for (int i = 1; i < THRESHOLD; i++) {
                assertEquals(List.of(), events());
            }
            beat(2, ++seq, GEN_A);
            assertEquals(List.of(), events(), "a changed read just before the threshold keeps it live");
        }
        assertTrue(core.isLive(2));
    }

    @Test
    void aNewGenerationIsDownThenUp() {
        bringUp(GEN_A);
        beat(2, 103, GEN_B);
        assertEquals(List.of(down(2, GEN_A)), events(), "down at once, with the generation announced up");
        beat(2, 104, GEN_B);
        assertEquals(List.of(up(2, GEN_B)), events(), "the changed read of the down counts: one more is enough");
        assertEquals(Map.of(2, GEN_B), core.liveNodes());
    }

    @Test
    void aNewGenerationWithoutANewSequenceIsStillDown() {
        bringUp(GEN_A);
        beat(2, 102, GEN_B);
        assertEquals(List.of(down(2, GEN_A)), events());
        beat(2, 103, GEN_B);
        assertEquals(List.of(), events());
        beat(2, 104, GEN_B);
        assertEquals(List.of(up(2, GEN_B)), events());
    }

    @Test
    void aCleanStopIsDownAtOnceAndARestartUpAtItsFirstBeat() {
        bringUp(GEN_A);
        beat(2, 103, 0); // o2hb_thread's last block: generation 0
        assertEquals(List.of(down(2, GEN_A)), events(), "down with the generation announced up, not 0");
        for (int i = 0; i < 3 * THRESHOLD; i++) {
            assertEquals(List.of(), events());
        }
        beat(2, 104, GEN_B);
        assertEquals(List.of(up(2, GEN_B)), events());
    }

    @Test
    void aCleanStopRightAfterTheUpIsNotFollowedByAnUpWithGenerationZero() {
        // The kernel's o2hb_check_slot() would announce node 2 up again here, with generation 0: its changed count
        // (3) survives both the up and the generation change. Generation 0 means the node left: it stays down.
        core.populateSlotData(disk.duplicate());
        beat(2, 100, GEN_A);
        events();
        beat(2, 101, GEN_A);
        assertEquals(List.of(up(2, GEN_A)), events());
        beat(2, 102, 0);
        assertEquals(List.of(down(2, GEN_A)), events());
        for (int i = 0; i < 3 * THRESHOLD; i++) {
            assertEquals(List.of(), events(), "no up of a node that left");
        }
        beat(2, 103, GEN_B);
        assertEquals(List.of(up(2, GEN_B)), events(), "its restart is up at its first beat");
    }

    @Test
    void aRestartRightAfterTheUpIsUpAgainOneReadEarlyAsInTheKernel() {
        core.populateSlotData(disk.duplicate());
        beat(2, 100, GEN_A);
        events();
        beat(2, 101, GEN_A);
        assertEquals(List.of(up(2, GEN_A)), events());
        beat(2, 102, GEN_B);
        assertEquals(List.of(down(2, GEN_A)), events());
        assertEquals(List.of(up(2, GEN_B)), events(), "up at an equal read: the changed count was 3");
    }

    @Test
    void aBadChecksumIsIgnoredWhileDead() {
        core.populateSlotData(disk.duplicate());
        for (long seq = 100; seq < 110; seq++) {
            beat(2, seq, GEN_A);
            disk.put(2 * BYTES + 200, (byte) 1); // corrupt every block
            Iteration it = iterate();
            assertEquals(List.of(), it.events());
            assertEquals(List.of(), it.notices(), "no word about a dead node's bad crc");
        }
        assertFalse(core.isLive(2));
    }

    @Test
    void aBadChecksumFromALiveNodeIsLoggedAndCountsAsAMiss() {
        bringUp(GEN_A);
        beat(2, 103, GEN_B); // a new generation and sequence, but the block is corrupt: neither is used
        disk.put(2 * BYTES + 300, (byte) 7);
        for (int i = 1; i < THRESHOLD; i++) {
            Iteration it = iterate();
            assertEquals(List.of(), it.events());
            assertEquals(1, it.notices().size());
            assertEquals(NoticeKind.BAD_CRC, it.notices().get(0).kind());
            assertTrue(
                    it.notices()
                            .get(0)
                            .message()
                            .startsWith("Node 2 has written a bad crc to /dev/test; "
                                    + "Dump slot information: seq = 0x67, node = 2"),
                    it.notices().get(0).message());
        }
        assertEquals(List.of(down(2, GEN_A)), events(), "dead_threshold misses in all");
    }

    @Test
    void aBadChecksumBetweenGoodReadsIsATransientMiss() {
        bringUp(GEN_A);
        beat(2, 103, GEN_A);
        disk.put(2 * BYTES + 300, (byte) 7);
        assertEquals(List.of(), events());
        beat(2, 104, GEN_A);
        assertEquals(List.of(), events());
        assertTrue(core.isLive(2));
    }

    @Test
    void hbNodeIsNotCheckedInOtherSlots() {
        core.populateSlotData(disk.duplicate());
        put(2, new HeartbeatBlock(100, 7, GEN_A, 0));
        assertEquals(List.of(), events());
        put(2, new HeartbeatBlock(101, 7, GEN_A, 0));
        assertEquals(List.of(up(2, GEN_A)), events(), "the slot's node is live, whatever hb_node says");
    }

    @Test
    void aDifferentDeadTimeIsLoggedWhenTheNodeJoins() {
        core.populateSlotData(disk.duplicate());
        put(2, new HeartbeatBlock(100, 2, GEN_A, 60000));
        iterate();
        put(2, new HeartbeatBlock(101, 2, GEN_A, 60000));
        Iteration it = iterate();
        assertEquals(List.of(up(2, GEN_A)), it.events());
        assertEquals(NoticeKind.DEAD_MS_MISMATCH, it.notices().get(0).kind());
        assertTrue(
                it.notices()
                        .get(0)
                        .message()
                        .startsWith("Node 2 on device /dev/test has a dead count of 60000 ms, but our count is "
                                + "8000 ms."),
                it.notices().get(0).message());
    }

    @Test
    void anotherNodeInOurSlotIsReportedAsTheKernelDoes() {
        core.populateSlotData(disk.duplicate());
        assertFalse(iterate().ownSlotOk(), "nothing written yet: the first check is skipped");
        assertTrue(iterate().ownSlotOk(), "the slot holds what was written");
        HeartbeatBlock ours = HeartbeatBlock.peek(disk, 0, BYTES);
        put(0, new HeartbeatBlock(ours.seq() + 1, 5, 0x5555L, 0));
        Iteration it = iterate();
        assertFalse(it.ownSlotOk());
        assertEquals(NoticeKind.ANOTHER_NODE_IN_SLOT, it.notices().get(0).kind());
        assertEquals(
                String.format(
                        "Another node is heartbeating on device (/dev/test): expected(0:0x1111, 0x%x), "
                                + "ondisk(5:0x5555, 0x%x)",
                        ours.seq(), ours.seq() + 1),
                it.notices().get(0).message());
    }

    @Test
    void anotherGenerationOrSequenceInOurSlotIsReported() {
        core.populateSlotData(disk.duplicate());
        iterate();
        HeartbeatBlock ours = HeartbeatBlock.peek(disk, 0, BYTES);
        put(0, new HeartbeatBlock(ours.seq(), 0, 0x2222L, 0));
        Iteration it = iterate();
        assertEquals(NoticeKind.GENERATION_MISMATCH, it.notices().get(0).kind());
        assertTrue(it.notices().get(0).message().startsWith("Heartbeat generation mismatch on device (/dev/test)"));
        ours = HeartbeatBlock.peek(disk, 0, BYTES);
        put(0, new HeartbeatBlock(ours.seq() + 5, 0, GEN, 0));
        it = iterate();
        assertEquals(NoticeKind.SEQUENCE_MISMATCH, it.notices().get(0).kind());
        assertTrue(it.notices().get(0).message().startsWith("Heartbeat sequence mismatch on device (/dev/test)"));
        assertTrue(iterate().ownSlotOk(), "our own write is back");
    }

    @Test
    void theOwnSlotIsNeverAnnounced() {
        core.populateSlotData(disk.duplicate());
        for (int i = 0; i < 10; i++) {
            assertEquals(List.of(), events());
        }
        assertFalse(core.isLive(0));
        assertEquals(Map.of(), core.liveNodes());
    }

    @Test
    void theBlockWrittenIsTheKernels() {
        core.populateSlotData(disk.duplicate());
        Iteration it = core.doDiskHeartbeat(disk.duplicate(), 1_700_000_123L);
        assertEquals(new HeartbeatBlock(1_700_000_123L, 0, GEN, THRESHOLD * 2000), it.write());
        Iteration same = core.doDiskHeartbeat(disk.duplicate(), 1_700_000_123L);
        assertEquals(1_700_000_124L, same.write().seq(), "two beats in one second still differ");
        assertEquals(
                1L,
                new HeartbeatCore(1, BLOCKS, BYTES, 3, 0, GEN, DEV)
                        .doDiskHeartbeat(disk.duplicate(), 0)
                        .write()
                        .seq(),
                "hb_seq is never 0");
    }

    @Test
    void steadyAfterThreeQuietIterations() {
        core.populateSlotData(disk.duplicate());
        Iteration first = iterate();
        assertEquals(Start.STARTING, core.completeIteration(first, true), "own slot not checked yet");
        assertEquals(Start.STARTING, core.completeIteration(iterate(), true));
        assertEquals(Start.STARTING, core.completeIteration(iterate(), true));
        assertEquals(Start.STEADY, core.completeIteration(iterate(), true));
    }

    @Test
    void aMembershipChangeIsNotAQuietIteration() {
        core.populateSlotData(disk.duplicate());
        core.completeIteration(iterate(), true); // own slot not checked yet
        beat(2, 100, GEN_A);
        assertEquals(Start.STARTING, core.completeIteration(iterate(), true)); // quiet: 2 to go
        beat(2, 101, GEN_A);
        Iteration up = iterate();
        assertEquals(List.of(up(2, GEN_A)), up.events());
        assertEquals(Start.STARTING, core.completeIteration(up, true)); // not quiet
        beat(2, 102, GEN_A);
        assertEquals(Start.STARTING, core.completeIteration(iterate(), true), "had the up counted, steady here");
        beat(2, 103, GEN_A);
        assertEquals(Start.STEADY, core.completeIteration(iterate(), true));
    }

    @Test
    void unstableWhenNotSteadyWithinNineIterations() {
        core.populateSlotData(disk.duplicate());
        assertEquals(Start.STARTING, core.completeIteration(iterate(), true));
        for (int i = 2; i < 9; i++) {
            assertEquals(Start.STARTING, core.completeIteration(null, false), "failed read " + i);
        }
        assertEquals(Start.UNSTABLE, core.completeIteration(iterate(), false), "the ninth: a failed write");
        assertEquals(Start.UNSTABLE, core.completeIteration(iterate(), true), "it stays so");
    }

    @Test
    void shutdownTakesEveryLiveNodeDownAndWritesGenerationZero() {
        bringUp(GEN_A);
        beat(3, 1, GEN_B);
        iterate();
        beat(3, 2, GEN_B);
        assertEquals(List.of(up(3, GEN_B)), events());
        assertEquals(List.of(down(2, GEN_A), down(3, GEN_B)), core.shutdown());
        assertEquals(Map.of(), core.liveNodes());
        HeartbeatBlock last = core.clearBlock(now);
        assertEquals(0, last.generation());
        assertNotEquals(HeartbeatBlock.peek(disk, 0, BYTES).seq(), last.seq());
    }

    @Test
    void checksItsArguments() {
        assertThrows(IllegalArgumentException.class, () -> new HeartbeatCore(8, 8, BYTES, 3, 0, GEN, DEV));
        assertThrows(IllegalArgumentException.class, () -> new HeartbeatCore(0, 8, BYTES, 2, 0, GEN, DEV));
        assertThrows(IllegalArgumentException.class, () -> new HeartbeatCore(0, 8, BYTES, 3, 0, 0, DEV));
        assertThrows(IllegalArgumentException.class, () -> core.doDiskHeartbeat(ByteBuffer.allocate(BYTES), now));
    }
}
