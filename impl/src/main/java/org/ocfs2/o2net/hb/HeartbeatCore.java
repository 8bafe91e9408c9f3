// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.hb;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * o2hb's liveness decisions for one node on one region, as a deterministic state machine: slot contents go in, node
 * up/down events and the kernel's error notices come out; no I/O, no clock (the caller passes the time in seconds for
 * {@code hb_seq}). {@link DiskHeartbeat} does the reads, the writes and the timer around it. Each method mirrors a
 * function of {@code fs/ocfs2/cluster/heartbeat.c} and says which.
 * <p>
 * Per slot it keeps the kernel's {@code struct o2hb_disk_slot}: {@code ds_last_time} (the last {@code hb_seq}
 * seen), {@code ds_last_generation}, {@code ds_changed_samples}, {@code ds_equal_samples}, and whether the node is
 * live; plus the generation last announced up, which a node-down carries. The rules ({@link #checkSlot}, i.e.
 * {@code o2hb_check_slot()}):
 * <ul>
 * <li>A read whose {@code hb_seq} differs from the last one is a <b>changed</b> sample, otherwise an <b>equal</b>
 * one. The first reference values come from one read before heartbeating starts, unverified
 * ({@code o2hb_populate_slot_data()}), so a node already heartbeating is not missed and an idle slot is not news.</li>
 * <li>A dead node becomes <b>live</b> once {@value #O2HB_LIVE_THRESHOLD} changed samples
 * ({@code O2HB_LIVE_THRESHOLD}) have accumulated at any time during its dead time: node-up, with the current
 * {@code hb_generation}. A different {@code hb_dead_ms} in its block is logged (the kernel's "has a dead count of"
 * notice), nothing more.</li>
 * <li>A live node becomes <b>dead</b> after {@code dead_threshold} consecutive equal samples: node-down. Any changed
 * sample resets the count.</li>
 * <li>A changed {@code hb_generation} resets the equal count and, if the node is live, takes it <b>down at once</b>
 * (it restarted before it timed out, or it stopped cleanly and wrote generation 0); its changed samples are kept, so
 * one more changed read brings it up again with the new generation: down then up.</li>
 * <li><b>One departure</b>: a node whose block carries generation 0 (it stopped cleanly: "this node has left this
 * region") is never brought up. The kernel does not clear {@code ds_changed_samples} on the way up, and keeps it on
 * a generation change; so when a node's clean stop is the very read after its node-up, the kernel takes it down and,
 * at the next read, changed or not, up again with generation 0, until {@code dead_threshold} reads later. Here it
 * stays down. (After a restart the same quirk brings the node up one read early, with its new generation: kept.)</li>
 * <li>A block with a <b>bad checksum</b> is ignored while the node is dead (a fresh region has no checksums; here a
 * zeroed block happens to verify, its checksum being 0). From a live node it is logged ("Node N has written a bad
 * crc to DEVICE", and the slot dump) and counts as an equal sample; its other fields are not used.</li>
 * <li>{@code hb_node} is <b>not checked</b> in other nodes' slots: the kernel does not. In this node's own slot
 * ({@link #checkOwnSlot}, {@code o2hb_check_own_slot()}) the block read must be the one written last time; if not,
 * the kernel's error names the cause: "Another node is heartbeating on device" (another {@code hb_node}),
 * "Heartbeat generation mismatch on device", or "Heartbeat sequence mismatch on device".</li>
 * </ul>
 * Every slot of the region is checked, where the kernel checks the configured nodes (it has the cluster's node map);
 * this node's own slot is never announced: {@link org.ocfs2.o2net.node.NodeLiveness} treats a node as always alive to
 * itself.
 * <p>
 * Start-up ({@code o2hb_region_dev_store()}): the region is <b>steady</b> after {@code O2HB_LIVE_THRESHOLD + 1}
 * iterations whose I/O succeeded, whose own-slot check passed and that changed no membership; if it is not steady
 * within three times that many iterations it is unstable (the kernel then fails the start with "Unable to stabilize
 * heartbeat on region").
 * <p>
 * Not thread-safe: one thread drives it.
 */
public final class HeartbeatCore {
    /** Changed samples that make a dead node live ({@code O2HB_LIVE_THRESHOLD}). */
    public static final int O2HB_LIVE_THRESHOLD = 2;
    /** The kernel's default dead threshold ({@code O2HB_DEFAULT_DEAD_THRESHOLD}; o2cb's O2CB_HEARTBEAT_THRESHOLD). */
    public static final int O2HB_DEFAULT_DEAD_THRESHOLD = 31;
    /** The dead threshold must be above this ({@code O2HB_MIN_DEAD_THRESHOLD}; {@code o2hb_dead_threshold_set()}). */
    public static final int O2HB_MIN_DEAD_THRESHOLD = 2;
    /** The kernel's heartbeat interval ({@code O2HB_REGION_TIMEOUT_MS}). */
    public static final int O2HB_REGION_TIMEOUT_MS = 2000;

    /** Where the region stands in its start ({@code hr_steady_iterations}, {@code hr_unsteady_iterations}). */
    public enum Start {
        /** Not yet steady. */
        STARTING,
        /** Steady: the iterations the kernel waits for before its start returns have passed. */
        STEADY,
        /** Not steady within the kernel's limit: "Unable to stabilize heartbeat on region". */
        UNSTABLE
    }

    /** A node-up or node-down decided by one check ({@code o2hb_queue_node_event()}). */
    public record NodeEvent(int node, boolean up, long generation) {
        @Override
        public String toString() {
            return "node " + node + (up ? " up" : " down") + " (generation 0x" + Long.toHexString(generation) + ")";
        }
    }

    /** The kind of an error the kernel logs while heartbeating. */
    public enum NoticeKind {
        /** {@code o2hb_check_slot()}: a live node wrote a bad checksum. */
        BAD_CRC,
        /** {@code o2hb_check_slot()}: a node joined with another {@code hb_dead_ms}. */
        DEAD_MS_MISMATCH,
        /** {@code o2hb_check_own_slot()}: another {@code hb_node} in this node's slot. */
        ANOTHER_NODE_IN_SLOT,
        /** {@code o2hb_check_own_slot()}: another generation in this node's slot. */
        GENERATION_MISMATCH,
        /** {@code o2hb_check_own_slot()}: another sequence in this node's slot. */
        SEQUENCE_MISMATCH
    }

    /** An error the kernel would log ({@code ML_ERROR}), with its text. */
    public record Notice(NoticeKind kind, int node, String message) {}

    /**
     * One heartbeat iteration's outcome ({@code o2hb_do_disk_heartbeat()} up to the write): the block to write into
     * this node's slot, the events in order, the notices, and whether the own-slot check passed.
     */
    public record Iteration(HeartbeatBlock write, List<NodeEvent> events, List<Notice> notices, boolean ownSlotOk) {}

    /** {@code struct o2hb_disk_slot}, plus the generation announced up. */
    private static final class DiskSlot {
        final int nodeNum;
        long lastTime;
        long lastGeneration;
        int changedSamples;
        int equalSamples;
        boolean live;
        long announced;

        DiskSlot(int nodeNum) {
            this.nodeNum = nodeNum;
        }
    }

    private final int localNode;
    private final int blocks;
    private final int blockBytes;
    private final int deadThreshold;
    private final int deadMs;
    private final long generation;
    private final String device;
    private final DiskSlot[] slots;
    private int steadyIterations = O2HB_LIVE_THRESHOLD + 1;
    private int unsteadyIterations = 3 * (O2HB_LIVE_THRESHOLD + 1);
    private Start start = Start.STARTING;
    private long lastSeqWritten;

    /**
     * @param localNode this node's number, whose slot it writes
     * @param blocks the region's slots
     * @param blockBytes the region's {@code block_bytes}
     * @param deadThreshold equal samples that make a live node dead; above {@value #O2HB_MIN_DEAD_THRESHOLD}
     * @param deadMs this node's dead time in ms, written as {@code hb_dead_ms} and compared with the others'
     * @param generation this node's {@code hb_generation}, non-zero
     * @param device the region's name in notices (the kernel prints the block device)
     */
    public HeartbeatCore(
            int localNode, int blocks, int blockBytes, int deadThreshold, int deadMs, long generation, String device) {
        if (blocks < 1 || blocks > HeartbeatRegion.MAX_BLOCKS) {
            throw new IllegalArgumentException("blocks must be 1.." + HeartbeatRegion.MAX_BLOCKS + ": " + blocks);
        }
        if (localNode < 0 || localNode >= blocks) {
            throw new IllegalArgumentException(
                    "node " + localNode + " has no slot in a region of " + blocks + " blocks");
        }
        if (blockBytes < HeartbeatBlock.FIELD_BYTES) {
            throw new IllegalArgumentException("block_bytes " + blockBytes);
        }
        if (deadThreshold <= O2HB_MIN_DEAD_THRESHOLD) {
            throw new IllegalArgumentException(
                    "dead_threshold must be above " + O2HB_MIN_DEAD_THRESHOLD + ": " + deadThreshold);
        }
        if (generation == 0) {
            throw new IllegalArgumentException("a generation of zero is invalid");
        }
        this.localNode = localNode;
        this.blocks = blocks;
        this.blockBytes = blockBytes;
        this.deadThreshold = deadThreshold;
        this.deadMs = deadMs;
        this.generation = generation;
        this.device = device;
        this.slots = new DiskSlot[blocks];
        for (int i = 0; i < blocks; i++) {
            slots[i] = new DiskSlot(i);
        }
    }

    /**
     * {@code o2hb_populate_slot_data()}: takes each slot's {@code hb_seq} and {@code hb_generation} from a first read,
     * unverified, as the reference the next reads are compared with.
     *
     * @param region every slot, slot N at index {@code N * block_bytes}
     */
    public void populateSlotData(ByteBuffer region) {
        checkRegion(region);
        for (DiskSlot slot : slots) {
            HeartbeatBlock b = HeartbeatBlock.peek(region, slot.nodeNum * blockBytes, blockBytes);
            slot.lastTime = b.seq();
            slot.lastGeneration = b.generation();
        }
        lastSeqWritten = slots[localNode].lastTime;
    }

    /**
     * {@code o2hb_do_disk_heartbeat()}: given this iteration's read of every slot, checks this node's own slot, prepares
     * the block to write, and checks every other slot. The caller writes {@link Iteration#write()} into this node's
     * slot, then reports with {@link #completeIteration}.
     *
     * @param region every slot, slot N at index {@code N * block_bytes}
     * @param nowSeconds the wall clock in seconds, for {@code hb_seq}
     */
    public Iteration doDiskHeartbeat(ByteBuffer region, long nowSeconds) {
        checkRegion(region);
        List<Notice> notices = new ArrayList<>();
        boolean ownSlotOk = checkOwnSlot(region, notices);
        HeartbeatBlock write = prepareBlock(generation, nowSeconds);
        // The kernel prepares the block in the slot's read buffer, so checking its own slot records what it wrote.
        DiskSlot own = slots[localNode];
        own.lastTime = write.seq();
        own.lastGeneration = write.generation();
        List<NodeEvent> events = new ArrayList<>();
        for (DiskSlot slot : slots) {
            if (slot.nodeNum != localNode) {
                checkSlot(slot, region, events, notices);
            }
        }
        return new Iteration(write, List.copyOf(events), List.copyOf(notices), ownSlotOk);
    }

    /**
     * The end of {@code o2hb_do_disk_heartbeat()}: counts the iteration towards a steady start.
     *
     * @param it the iteration, or null if the read failed
     * @param ioOk whether the read and the write succeeded
     * @return where the start stands after it
     */
    public Start completeIteration(Iteration it, boolean ioOk) {
        if (start != Start.STARTING) {
            return start;
        }
        if (ioOk && it != null && it.ownSlotOk() && it.events().isEmpty()) {
            if (--steadyIterations == 0) {
                start = Start.STEADY;
                return start;
            }
        }
        if (--unsteadyIterations == 0) {
            start = Start.UNSTABLE;
        }
        return start;
    }

    /** Where the start stands. */
    public Start start() {
        return start;
    }

    /**
     * {@code o2hb_check_own_slot()}: whether this node's slot holds what it wrote last time (skipped, as not ok, before
     * anything is known). Adds the kernel's error to {@code notices} if not.
     */
    private boolean checkOwnSlot(ByteBuffer region, List<Notice> notices) {
        DiskSlot slot = slots[localNode];
        if (slot.lastTime == 0) {
            return false;
        }
        HeartbeatBlock b = HeartbeatBlock.peek(region, localNode * blockBytes, blockBytes);
        if (b.seq() == slot.lastTime && b.generation() == slot.lastGeneration && b.node() == slot.nodeNum) {
            return true;
        }
        NoticeKind kind;
        String what;
        if (b.node() != slot.nodeNum) {
            kind = NoticeKind.ANOTHER_NODE_IN_SLOT;
            what = "Another node is heartbeating on device";
        } else if (b.generation() != slot.lastGeneration) {
            kind = NoticeKind.GENERATION_MISMATCH;
            what = "Heartbeat generation mismatch on device";
        } else {
            kind = NoticeKind.SEQUENCE_MISMATCH;
            what = "Heartbeat sequence mismatch on device";
        }
        notices.add(new Notice(
                kind,
                localNode,
                String.format(
                        "%s (%s): expected(%d:0x%x, 0x%x), ondisk(%d:0x%x, 0x%x)",
                        what,
                        device,
                        slot.nodeNum,
                        slot.lastGeneration,
                        slot.lastTime,
                        b.node(),
                        b.generation(),
                        b.seq())));
        return false;
    }

    /**
     * {@code o2hb_prepare_block()}: this node's block. {@code hb_seq} is the wall clock in seconds, as the kernel
     * writes it, but always different from the last value written (one more when the clock has not moved on), so that
     * intervals under a second still read as changes.
     */
    private HeartbeatBlock prepareBlock(long gen, long nowSeconds) {
        long seq = nowSeconds == 0 ? 1 : nowSeconds;
        if (seq <= lastSeqWritten && lastSeqWritten != Long.MAX_VALUE) {
            seq = lastSeqWritten + 1;
        }
        lastSeqWritten = seq;
        return new HeartbeatBlock(seq, localNode, gen, deadMs);
    }

    /**
     * {@code o2hb_check_slot()} for one other node's slot: the rules in the class comment. Adds at most one event.
     */
    private void checkSlot(DiskSlot slot, ByteBuffer region, List<NodeEvent> events, List<Notice> notices) {
        int index = slot.nodeNum * blockBytes;
        boolean genChanged = false;
        HeartbeatBlock b = HeartbeatBlock.peek(region, index, blockBytes);
        if (!HeartbeatBlock.verifyCrc(region, index, blockBytes)) {
            if (!slot.live) {
                return; // a freshly formatted area has no checksums: not worth a word
            }
            notices.add(new Notice(
                    NoticeKind.BAD_CRC,
                    slot.nodeNum,
                    String.format("Node %d has written a bad crc to %s; ", slot.nodeNum, device)
                            + HeartbeatBlockException.dumpSlot(b, HeartbeatBlock.storedCksum(region, index))));
            slot.equalSamples++; // a transient miss; the other fields may be junk
        } else {
            if (slot.lastTime != b.seq()) {
                slot.changedSamples++;
            } else {
                slot.equalSamples++;
            }
            slot.lastTime = b.seq();
            if (slot.lastGeneration != b.generation()) {
                genChanged = true;
                slot.equalSamples = 0;
            }
            slot.lastGeneration = b.generation();
        }

        if (!slot.live && slot.changedSamples >= O2HB_LIVE_THRESHOLD && slot.lastGeneration != 0) {
            slot.live = true;
            slot.announced = slot.lastGeneration;
            slot.equalSamples = 0;
            events.add(new NodeEvent(slot.nodeNum, true, slot.announced));
            int theirs = b.deadMs();
            if (theirs != 0 && theirs != deadMs) {
                notices.add(new Notice(
                        NoticeKind.DEAD_MS_MISMATCH,
                        slot.nodeNum,
                        String.format(
                                "Node %d on device %s has a dead count of %d ms, but our count is %d ms. "
                                        + "Please double check your configuration values for "
                                        + "'O2CB_HEARTBEAT_THRESHOLD'",
                                slot.nodeNum, device, Integer.toUnsignedLong(theirs), Integer.toUnsignedLong(deadMs))));
            }
            return;
        }
        if (!slot.live) {
            return;
        }
        if (slot.equalSamples >= deadThreshold || genChanged) {
            slot.live = false;
            events.add(new NodeEvent(slot.nodeNum, false, slot.announced));
            slot.announced = 0;
            if (!genChanged) {
                slot.changedSamples = 0; // kept on a generation change: the node is still writing
            }
            return;
        }
        if (slot.changedSamples != 0) {
            slot.changedSamples = 0;
            slot.equalSamples = 0;
        }
    }

    /**
     * {@code o2hb_shutdown_slot()} on every slot, when this node stops heartbeating: every live node goes down, as
     * this node no longer watches the region. Later checks start from no live node.
     */
    public List<NodeEvent> shutdown() {
        List<NodeEvent> events = new ArrayList<>();
        for (DiskSlot slot : slots) {
            if (slot.live) {
                slot.live = false;
                events.add(new NodeEvent(slot.nodeNum, false, slot.announced));
                slot.announced = 0;
            }
        }
        return events;
    }

    /**
     * The block of a clean stop ({@code o2hb_prepare_block(reg, 0)} in {@code o2hb_thread()}): generation 0, so that
     * the others take this node down at their next read instead of waiting out the dead threshold.
     */
    public HeartbeatBlock clearBlock(long nowSeconds) {
        return prepareBlock(0, nowSeconds);
    }

    /** The live nodes other than this one and the generation each was announced up with. */
    public Map<Integer, Long> liveNodes() {
        Map<Integer, Long> m = new TreeMap<>();
        for (DiskSlot slot : slots) {
            if (slot.live) {
                m.put(slot.nodeNum, slot.announced);
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /** Whether {@code node} is live in this region (this node's own slot is never checked). */
    public boolean isLive(int node) {
        return node >= 0 && node < blocks && slots[node].live;
    }

    /** This node's number. */
    public int localNode() {
        return localNode;
    }

    /** This node's generation. */
    public long generation() {
        return generation;
    }

    /** The dead threshold: equal samples that make a live node dead. */
    public int deadThreshold() {
        return deadThreshold;
    }

    /** {@code hb_dead_ms} this node writes. */
    public int deadMs() {
        return deadMs;
    }

    private void checkRegion(ByteBuffer region) {
        if (region.limit() < blocks * blockBytes) {
            throw new IllegalArgumentException(
                    "a read of " + region.limit() + " bytes does not hold " + blocks + " slots of " + blockBytes);
        }
    }
}
