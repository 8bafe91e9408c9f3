// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.hb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.ocfs2.o2net.hb.HeartbeatCore.Iteration;
import org.ocfs2.o2net.hb.HeartbeatCore.NodeEvent;
import org.ocfs2.o2net.hb.HeartbeatCore.Notice;
import org.ocfs2.o2net.hb.HeartbeatCore.Start;
import org.ocfs2.o2net.node.NodeLiveness;
import org.ocfs2.o2net.wire.Handshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * o2hb's disk heartbeat as a {@link NodeLiveness}: this node writes its block into its slot of a shared region every
 * interval and reads every slot, and the others' blocks decide who is alive exactly as the kernel's
 * {@code o2hb_check_slot()} does (the rules are in {@link HeartbeatCore}). Java nodes on one machine can share a
 * region file; a Java node and a kernel node can share a region disk (same {@code start_block}, {@code block_bytes},
 * {@code blocks}, and the kernel's 2000 ms interval).
 *
 * <pre>{@code
 * DiskHeartbeat hb = DiskHeartbeat.builder(Path.of("/dev/sdb1"), 2).startBlock(2048).build();
 * hb.start();                             // the first read, then a heartbeat every interval
 * O2netNode net = O2netNode.builder(config, hb).build();
 * ...
 * hb.close();                             // a clean stop: the others see generation 0 and drop this node at once
 * }</pre>
 *
 * <p>The incarnation is {@code hb_generation}: random and non-zero for each {@code DiskHeartbeat}, as the kernel
 * picks it for each start of a region, so a restarted node is seen as down (its old generation) then up (its new
 * one). Events reach the listeners in order, on the heartbeat thread (on the closing thread for the downs of
 * {@link #close()}), never under a lock: a listener must not block for long, as it delays the next heartbeat.
 * <p>
 * An iteration ({@code o2hb_do_disk_heartbeat()}): read every slot in one read, check this node's slot (another
 * writer there is logged as the kernel does: "Another node is heartbeating on device ..."), write this node's block
 * and force it to the device, check the others' slots, deliver the events. The next iteration starts one interval
 * after this one started, or at once if it took longer ({@code o2hb_thread()}), never in a burst to catch up.
 * <p>
 * Departures from the kernel: no self-fencing when writes stall (the kernel's write timeout calls
 * {@code o2quo_disk_timeout()}, which restarts the machine; here a late write is logged as the kernel's "Heartbeat
 * write timeout" line, after the fact); an unstable start is logged and reported by {@link #awaitSteady}, but the
 * heartbeat goes on (the kernel fails the start and stops); {@code hb_dead_ms} is {@code deadThreshold * intervalMs},
 * which is the kernel's value at the kernel's interval; every slot of the region is checked (the kernel checks its
 * configured nodes); and a node whose block carries generation 0 is never brought up ({@link HeartbeatCore} says why).
 */
public final class DiskHeartbeat implements NodeLiveness, AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(DiskHeartbeat.class);

    /** The default {@code start_block}: the first block the kernel accepts. */
    public static final long DEFAULT_START_BLOCK = 1;
    /** The default {@code blocks}: one slot for every possible node ({@code O2NM_MAX_NODES}). */
    public static final int DEFAULT_BLOCKS = HeartbeatRegion.MAX_BLOCKS;

    private final Path path;
    private final int localNode;
    private final long startBlock;
    private final int blockBytes;
    private final int blocks;
    private final long intervalMs;
    private final int deadThreshold;
    private final long generation;
    private final ScheduledExecutorService scheduler;
    private final boolean ownScheduler;
    private final HeartbeatCore core;

    private final Object ioLock = new Object();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Integer, Long> live = new ConcurrentHashMap<>();
    private final ArrayDeque<NodeEvent> pending = new ArrayDeque<>();
    private final CountDownLatch startSettled = new CountDownLatch(1);
    private boolean delivering;

    // guarded by this
    private boolean started;
    private boolean closed;
    private ScheduledFuture<?> next;
    // guarded by ioLock
    private HeartbeatRegion region;
    private boolean running;
    private long lastWriteNanos;
    private volatile Start startState = Start.STARTING;

    private DiskHeartbeat(Builder b) {
        this.path = b.path;
        this.localNode = b.localNode;
        this.startBlock = b.startBlock;
        this.blockBytes = b.blockBytes;
        this.blocks = b.blocks;
        this.intervalMs = b.intervalMs;
        this.deadThreshold = b.deadThreshold;
        this.generation = b.generation != 0 ? b.generation : Handshake.newIncarnation();
        if (b.scheduler != null) {
            this.scheduler = b.scheduler;
            this.ownScheduler = false;
        } else {
            ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
                Thread th = new Thread(r, "o2hb-" + localNode);
                th.setDaemon(true);
                return th;
            });
            t.setRemoveOnCancelPolicy(true);
            this.scheduler = t;
            this.ownScheduler = true;
        }
        long deadMs = Math.min(0xffffffffL, deadThreshold * intervalMs);
        this.core = new HeartbeatCore(
                localNode, blocks, blockBytes, deadThreshold, (int) deadMs, generation, path.toString());
    }

    /**
     * Returns a builder for node {@code localNode}'s heartbeat on the region at {@code region} (a file, e.g. made by
     * {@link HeartbeatRegion#format}, or a block device).
     */
    public static Builder builder(Path region, int localNode) {
        return new Builder(region, localNode);
    }

    /**
     * Opens the region, reads every slot once for reference ({@code o2hb_populate_slot_data()}), and starts
     * heartbeating: the first iteration runs at once. Returns without waiting for the region to be steady; see
     * {@link #awaitSteady}.
     *
     * @throws IOException if the region cannot be opened or read
     * @throws IllegalStateException if started already or closed
     */
    public synchronized void start() throws IOException {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (started) {
            throw new IllegalStateException("started already");
        }
        HeartbeatRegion r = HeartbeatRegion.open(path, startBlock, blockBytes, blocks);
        try {
            synchronized (ioLock) {
                core.populateSlotData(r.readSlots());
                region = r;
                running = true;
                lastWriteNanos = System.nanoTime();
            }
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
        started = true;
        logger.info(
                "o2hb: node {} heartbeating on region {} with generation 0x{}",
                localNode,
                r,
                Long.toHexString(generation));
        schedule(0);
    }

    /**
     * Waits until the region is steady, as the kernel's start waits ({@code O2HB_LIVE_THRESHOLD + 1} quiet
     * iterations): the nodes heartbeating now have been seen and their node-ups delivered.
     *
     * @return false if {@code timeout} passed first
     * @throws IOException if the start is unstable ("Unable to stabilize heartbeat on region")
     */
    public boolean awaitSteady(long timeout, TimeUnit unit) throws IOException, InterruptedException {
        if (!startSettled.await(timeout, unit)) {
            return false;
        }
        if (startState == Start.UNSTABLE) {
            throw new IOException("o2hb: Unable to stabilize heartbeat on region " + path);
        }
        return true;
    }

    private synchronized void schedule(long delayMs) {
        if (closed) {
            return;
        }
        try {
            next = scheduler.schedule(this::heartbeat, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            logger.error(
                    "o2hb: node {} stops heartbeating on {}: its scheduler refused the next heartbeat",
                    localNode,
                    path);
        }
    }

    /** One iteration ({@code o2hb_thread()}'s loop body), then the next one scheduled. */
    private void heartbeat() {
        long begin = System.nanoTime();
        synchronized (ioLock) {
            if (!running) {
                return;
            }
            iterate();
        }
        deliver();
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        schedule(Math.max(0, intervalMs - elapsedMs));
    }

    /** {@code o2hb_do_disk_heartbeat()}; under ioLock. */
    private void iterate() {
        ByteBuffer slots;
        try {
            slots = region.readSlots();
        } catch (IOException e) {
            logger.error("o2hb: read error on device \"{}\": {}", path, e.toString());
            settle(core.completeIteration(null, false));
            return;
        }
        Iteration it = core.doDiskHeartbeat(slots, System.currentTimeMillis() / 1000);
        for (Notice n : it.notices()) {
            logger.error("{}", n.message());
        }
        boolean written;
        try {
            region.writeSlot(localNode, it.write());
            written = true;
        } catch (IOException e) {
            logger.error("Write error {} on device \"{}\"", e.toString(), path);
            written = false;
        }
        if (written) {
            long now = System.nanoTime();
            long sinceMs = TimeUnit.NANOSECONDS.toMillis(now - lastWriteNanos);
            long maxWriteTimeoutMs = intervalMs * (deadThreshold - 1); // O2HB_MAX_WRITE_TIMEOUT_MS
            if (sinceMs > maxWriteTimeoutMs) {
                logger.error("Heartbeat write timeout to device {} after {} milliseconds", path, sinceMs);
            }
            lastWriteNanos = now;
        }
        for (NodeEvent e : it.events()) {
            logger.debug("o2hb: {} on {}", e, path);
        }
        synchronized (pending) {
            pending.addAll(it.events());
        }
        settle(core.completeIteration(it, written));
    }

    private void settle(Start s) {
        if (s != Start.STARTING && startState == Start.STARTING) {
            startState = s;
            if (s == Start.UNSTABLE) {
                logger.warn("o2hb: Unable to stabilize heartbeat on region {}", path);
            }
            startSettled.countDown();
        }
    }

    /** Delivers the pending events in order, one thread at a time, with no lock held while listeners run. */
    private void deliver() {
        synchronized (pending) {
            if (delivering) {
                return;
            }
            delivering = true;
        }
        for (; ; ) {
            NodeEvent e;
            synchronized (pending) {
                e = pending.poll();
                if (e == null) {
                    delivering = false;
                    return;
                }
            }
            if (e.up()) {
                live.put(e.node(), e.generation());
            } else {
                live.remove(e.node());
            }
            for (Listener l : listeners) {
                try {
                    if (e.up()) {
                        l.nodeUp(e.node(), e.generation());
                    } else {
                        l.nodeDown(e.node(), e.generation());
                    }
                } catch (RuntimeException ex) {
                    logger.error("heartbeat listener of node {} failed on {}", localNode, e, ex);
                }
            }
        }
    }

    /**
     * Stops heartbeating, cleanly: every node this heartbeat saw live is announced down to the listeners
     * ({@code o2hb_shutdown_slot()}), then a last block with generation 0 is written, so the others take this node
     * down at their next read. Idempotent; waits for a heartbeat in progress.
     */
    @Override
    public void close() {
        stop(true);
    }

    /**
     * Stops heartbeating as if the process died ({@code hr_unclean_stop}): no events, no last block. The others see
     * this node's block stop changing and declare it dead after their dead threshold. For tests.
     */
    void stopUnclean() {
        stop(false);
    }

    private void stop(boolean clean) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (next != null) {
                next.cancel(false);
            }
        }
        synchronized (ioLock) {
            if (running) {
                running = false;
                if (clean) {
                    List<NodeEvent> downs = core.shutdown();
                    synchronized (pending) {
                        pending.addAll(downs);
                    }
                    try {
                        region.writeSlot(localNode, core.clearBlock(System.currentTimeMillis() / 1000));
                    } catch (IOException e) {
                        logger.error("Write error {} on device \"{}\"", e.toString(), path);
                    }
                }
                try {
                    region.close();
                } catch (IOException e) {
                    logger.warn("o2hb: closing {}: {}", path, e.toString());
                }
                logger.info("o2hb: node {} stopped heartbeating on {}{}", localNode, path, clean ? "" : " (unclean)");
            }
        }
        if (clean) {
            deliver();
        }
        if (ownScheduler) {
            scheduler.shutdown();
        }
        startSettled.countDown();
    }

    @Override
    public long incarnation() {
        return generation;
    }

    /** This node's number. */
    public int localNode() {
        return localNode;
    }

    /** The region's file or device. */
    public Path region() {
        return path;
    }

    /**
     * The nodes seen live now, each with the generation it was announced up with, this node included (with its own
     * generation). It changes as events are delivered.
     */
    public Map<Integer, Long> liveNodes() {
        Map<Integer, Long> m = new TreeMap<>(live);
        m.put(localNode, generation);
        return m;
    }

    @Override
    public boolean isAlive(int node) {
        return node == localNode || live.containsKey(node);
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    @Override
    public String toString() {
        return "DiskHeartbeat of node " + localNode + " on " + path + " (generation 0x" + Long.toHexString(generation)
                + ")";
    }

    /** Builds a {@link DiskHeartbeat}; every value is checked as the kernel checks it. */
    public static final class Builder {
        private final Path path;
        private final int localNode;
        private long startBlock = DEFAULT_START_BLOCK;
        private int blockBytes = HeartbeatBlock.DEFAULT_BLOCK_BYTES;
        private int blocks = DEFAULT_BLOCKS;
        private long intervalMs = HeartbeatCore.O2HB_REGION_TIMEOUT_MS;
        private int deadThreshold = HeartbeatCore.O2HB_DEFAULT_DEAD_THRESHOLD;
        private long generation;
        private ScheduledExecutorService scheduler;

        private Builder(Path path, int localNode) {
            if (path == null) {
                throw new NullPointerException("region");
            }
            if (localNode < 0 || localNode >= HeartbeatRegion.MAX_BLOCKS) {
                throw new IllegalArgumentException(
                        "node number must be 0.." + (HeartbeatRegion.MAX_BLOCKS - 1) + ": " + localNode);
            }
            this.path = path;
            this.localNode = localNode;
        }

        /**
         * {@code start_block}, in blocks of {@code block_bytes}; default {@value DiskHeartbeat#DEFAULT_START_BLOCK}.
         * It must not be 0: the kernel rejects 0. ocfs2-tools has no fixed value: for a file system it is where the
         * heartbeat system file starts, in sectors ({@code ocfs2_fill_heartbeat_desc()} in libocfs2); for a region of
         * one's own, 1 is the first block the kernel accepts.
         */
        public Builder startBlock(long startBlock) {
            this.startBlock = startBlock;
            return this;
        }

        /** {@code block_bytes}: the device's logical sector size, a power of two from 512 to 4096; default 512. */
        public Builder blockBytes(int blockBytes) {
            this.blockBytes = blockBytes;
            return this;
        }

        /** {@code blocks}: the number of slots, 1..255; default 255. This node's number must be below it. */
        public Builder blocks(int blocks) {
            this.blocks = blocks;
            return this;
        }

        /** The heartbeat interval in ms; default 2000 ({@code O2HB_REGION_TIMEOUT_MS}, the kernel's fixed value). */
        public Builder intervalMs(long intervalMs) {
            this.intervalMs = intervalMs;
            return this;
        }

        /**
         * Equal (unchanged) reads that make a live node dead; default 31 (o2cb's {@code O2CB_HEARTBEAT_THRESHOLD},
         * {@code O2HB_DEFAULT_DEAD_THRESHOLD}); must be above 2, as the kernel's {@code dead_threshold} attribute.
         */
        public Builder deadThreshold(int deadThreshold) {
            this.deadThreshold = deadThreshold;
            return this;
        }

        /** {@code hb_generation}, non-zero; default a random non-zero value, as the kernel picks it at each start. */
        public Builder generation(long generation) {
            if (generation == 0) {
                throw new IllegalArgumentException("a generation of zero is invalid");
            }
            this.generation = generation;
            return this;
        }

        /**
         * The executor the heartbeats run on; it is not shut down by {@link DiskHeartbeat#close()}. Default: a daemon
         * thread of this heartbeat's own, named {@code o2hb-<node>}.
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /**
         * Builds the heartbeat; it does not touch the region until {@link DiskHeartbeat#start()}.
         *
         * @throws IllegalArgumentException naming a bad value
         */
        public DiskHeartbeat build() {
            HeartbeatRegion.checkGeometry(startBlock, blockBytes, blocks);
            if (localNode >= blocks) {
                throw new IllegalArgumentException(
                        "node " + localNode + " has no slot in a region of " + blocks + " blocks");
            }
            if (intervalMs <= 0) {
                throw new IllegalArgumentException("intervalMs must be > 0: " + intervalMs);
            }
            if (deadThreshold <= HeartbeatCore.O2HB_MIN_DEAD_THRESHOLD) {
                throw new IllegalArgumentException(
                        "deadThreshold must be above " + HeartbeatCore.O2HB_MIN_DEAD_THRESHOLD + ": " + deadThreshold);
            }
            return new DiskHeartbeat(this);
        }
    }
}
