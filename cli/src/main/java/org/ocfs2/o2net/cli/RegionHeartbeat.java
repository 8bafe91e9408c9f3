// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.ocfs2.o2net.hb.DiskHeartbeat;
import org.ocfs2.o2net.node.NodeLiveness;
import org.ocfs2.o2net.wire.Handshake;

/**
 * The node's o2hb disk heartbeat on a region (a block device or a plain file shared by the nodes): the one place
 * where {@code o2net node} wires {@link DiskHeartbeat}. Its generation is drawn anew at every start, and is the
 * node's incarnation in the v12 handshake.
 */
final class RegionHeartbeat implements HeartbeatView, AutoCloseable {
    /** The region's geometry and timing, from the command line. */
    record Params(Path region, long startBlock, int blockBytes, int blocks, long intervalMs, int deadThreshold) {}

    private final Params params;
    private final DiskHeartbeat hb;
    private final ScheduledThreadPoolExecutor scheduler;

    private RegionHeartbeat(Params params, DiskHeartbeat hb, ScheduledThreadPoolExecutor scheduler) {
        this.params = params;
        this.hb = hb;
        this.scheduler = scheduler;
    }

    /**
     * Starts heartbeating as {@code localNode}: writes its block every interval and reads every slot.
     *
     * @throws CliException (failed) naming the region if it cannot be used
     */
    static RegionHeartbeat start(Params p, int localNode) {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "o2hb-" + localNode);
            t.setDaemon(true);
            return t;
        });
        DiskHeartbeat hb;
        try {
            hb = DiskHeartbeat.builder(p.region(), localNode)
                    .startBlock(p.startBlock())
                    .blockBytes(p.blockBytes())
                    .blocks(p.blocks())
                    .intervalMs(p.intervalMs())
                    .deadThreshold(p.deadThreshold())
                    .generation(Handshake.newIncarnation())
                    .scheduler(scheduler)
                    .build();
            hb.start();
        } catch (IOException | RuntimeException e) {
            scheduler.shutdownNow();
            throw new CliException(ExitCodes.FAILED, "--region " + p.region() + ": " + e.getMessage(), e);
        }
        return new RegionHeartbeat(p, hb, scheduler);
    }

    /** The heartbeat as o2net sees it. */
    NodeLiveness liveness() {
        return hb;
    }

    @Override
    public Map<Integer, Long> liveNodes() {
        return hb.liveNodes();
    }

    @Override
    public String describe() {
        return "region " + params.region() + " start_block " + params.startBlock() + " block_bytes "
                + params.blockBytes() + " blocks " + params.blocks() + " interval " + params.intervalMs()
                + " ms dead_threshold " + params.deadThreshold();
    }

    /** Stops writing the node's block; the other nodes declare it dead after their dead threshold. */
    @Override
    public void close() {
        try {
            hb.close();
        } finally {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
