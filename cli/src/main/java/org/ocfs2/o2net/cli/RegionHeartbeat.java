// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.ocfs2.o2net.hb.DiskHeartbeat;
import org.ocfs2.o2net.hb.HeartbeatRegion;
import org.ocfs2.o2net.node.NodeLiveness;
import org.ocfs2.o2net.wire.Handshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's o2hb disk heartbeat on a region (a block device or a plain file shared by the nodes): the one place
 * where {@code o2net node} wires {@link DiskHeartbeat}. Its generation is drawn anew at every start, and is the
 * node's incarnation in the v12 handshake.
 */
final class RegionHeartbeat implements HeartbeatView, AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(RegionHeartbeat.class);

    /** The region's geometry and timing, from the command line. */
    record Params(
            Path region,
            long startBlock,
            int blockBytes,
            int blocks,
            long intervalMs,
            int deadThreshold,
            boolean create) {}

    private final Params params;
    private final DiskHeartbeat hb;
    private final ScheduledThreadPoolExecutor scheduler;

    private RegionHeartbeat(Params params, DiskHeartbeat hb, ScheduledThreadPoolExecutor scheduler) {
        this.params = params;
        this.hb = hb;
        this.scheduler = scheduler;
    }

    /**
     * Starts heartbeating as {@code localNode}: writes its block every interval and reads every slot; returns once
     * the region is steady (the nodes heartbeating now are seen live), as the kernel's start waits before o2net
     * connects. With {@code create}, a region file that does not exist is created with zeroed slots first.
     *
     * @throws CliException (failed) naming the region if it cannot be used
     */
    static RegionHeartbeat start(Params p, int localNode) {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "o2hb-" + localNode);
            t.setDaemon(true);
            return t;
        });
        DiskHeartbeat hb = null;
        try {
            hb = DiskHeartbeat.builder(p.region(), localNode)
                    .startBlock(p.startBlock())
                    .blockBytes(p.blockBytes())
                    .blocks(p.blocks())
                    .intervalMs(p.intervalMs())
                    .deadThreshold(p.deadThreshold())
                    .generation(Handshake.newIncarnation())
                    .scheduler(scheduler)
                    .build(); // checks the geometry before anything is created
            if (p.create()) {
                create(p);
            }
            hb.start();
            long waitMs = Math.max(10_000, 10 * p.intervalMs());
            if (!hb.awaitSteady(waitMs, TimeUnit.MILLISECONDS)) {
                logger.warn("o2hb: region {} not steady after {} ms; going on", p.region(), waitMs);
            }
        } catch (IOException | RuntimeException e) {
            if (hb != null) {
                hb.close();
            }
            scheduler.shutdownNow();
            if (e instanceof NoSuchFileException) {
                throw new CliException(
                        ExitCodes.FAILED, "--region " + p.region() + ": no such file (--create-region makes one)", e);
            }
            if (e instanceof IllegalArgumentException) { // the geometry or timing, as the kernel checks them
                throw new CliException(ExitCodes.USAGE, "--region " + p.region() + ": " + e.getMessage(), e);
            }
            throw new CliException(ExitCodes.FAILED, "--region " + p.region() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            hb.close();
            scheduler.shutdownNow();
            throw new CliException(ExitCodes.FAILED, "--region " + p.region() + ": interrupted while starting", e);
        }
        return new RegionHeartbeat(p, hb, scheduler);
    }

    /** Creates the region file with zeroed slots if it does not exist; an existing one is left alone. */
    private static void create(Params p) throws IOException {
        try {
            Files.createFile(p.region());
        } catch (FileAlreadyExistsException e) {
            return;
        }
        HeartbeatRegion.format(p.region(), p.startBlock(), p.blockBytes(), p.blocks());
        logger.info("o2hb: created heartbeat region {}", p.region());
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

    /**
     * Stops heartbeating cleanly: a last block with generation 0 is written, so the other nodes take this node down
     * at their next read instead of after their dead threshold.
     */
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
