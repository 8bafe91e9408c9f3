// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.hb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ocfs2.o2net.netty.Await;
import org.ocfs2.o2net.netty.LogCapture;
import org.ocfs2.o2net.node.NodeLiveness;

/**
 * Several {@link DiskHeartbeat}s sharing one region file, heartbeating every {@value #INTERVAL_MS} ms: they see each
 * other up, a closed one goes down at once (its last block has generation 0), one that stops without a word goes down
 * after the dead threshold, and a restarted one comes back down-then-up with its new incarnation. Every wait is for an
 * event, with a generous bound.
 */
class DiskHeartbeatTest {
    private static final long INTERVAL_MS = 30;
    private static final int BLOCKS = 8;
    private static final long WAIT_S = 30;

    @TempDir
    Path dir;

    private final List<DiskHeartbeat> started = new ArrayList<>();

    record Ev(int node, boolean up, long generation) {}

    /** Records a heartbeat's events in order. */
    static final class Recorder implements NodeLiveness.Listener {
        final BlockingQueue<Ev> events = new LinkedBlockingQueue<>();
        volatile String thread;

        @Override
        public void nodeUp(int node, long incarnation) {
            thread = Thread.currentThread().getName();
            events.add(new Ev(node, true, incarnation));
        }

        @Override
        public void nodeDown(int node, long incarnation) {
            events.add(new Ev(node, false, incarnation));
        }

        Ev next() throws InterruptedException {
            Ev e = events.poll(WAIT_S, TimeUnit.SECONDS);
            assertNotNull(e, "no heartbeat event within " + WAIT_S + " s");
            return e;
        }

        Set<Ev> next(int n) throws InterruptedException {
            Set<Ev> s = new HashSet<>();
            for (int i = 0; i < n; i++) {
                s.add(next());
            }
            return s;
        }
    }

    @AfterEach
    void closeAll() {
        started.forEach(DiskHeartbeat::close);
    }

    private Path region() throws IOException {
        Path f = dir.resolve("region");
        if (!Files.exists(f)) {
            HeartbeatRegion.format(f, 1, 512, BLOCKS);
        }
        return f;
    }

    private DiskHeartbeat.Builder builder(int node) throws IOException {
        return DiskHeartbeat.builder(region(), node).blocks(BLOCKS).intervalMs(INTERVAL_MS);
    }

    private DiskHeartbeat start(DiskHeartbeat.Builder b, Recorder r) throws IOException {
        DiskHeartbeat hb = b.build();
        hb.addListener(r);
        started.add(hb);
        hb.start();
        return hb;
    }

    private static Ev up(DiskHeartbeat hb) {
        return new Ev(hb.localNode(), true, hb.incarnation());
    }

    private static Ev down(DiskHeartbeat hb) {
        return new Ev(hb.localNode(), false, hb.incarnation());
    }

    /** Starts nodes 1..n and waits until each has seen every other up. */
    private DiskHeartbeat[] startCluster(Recorder... rs) throws Exception {
        DiskHeartbeat[] hbs = new DiskHeartbeat[rs.length];
        for (int i = 0; i < rs.length; i++) {
            hbs[i] = start(builder(i + 1), rs[i]);
        }
        for (int i = 0; i < rs.length; i++) {
            Set<Ev> expected = new HashSet<>();
            for (int j = 0; j < rs.length; j++) {
                if (j != i) {
                    expected.add(up(hbs[j]));
                }
            }
            assertEquals(expected, rs[i].next(rs.length - 1), "node " + (i + 1) + " sees the others up");
        }
        return hbs;
    }

    @Test
    void threeNodesSeeEachOtherUp() throws Exception {
        Recorder r1 = new Recorder();
        Recorder r2 = new Recorder();
        Recorder r3 = new Recorder();
        DiskHeartbeat[] hbs = startCluster(r1, r2, r3);
        for (DiskHeartbeat hb : hbs) {
            assertTrue(hb.awaitSteady(WAIT_S, TimeUnit.SECONDS));
            assertEquals(
                    Map.of(1, hbs[0].incarnation(), 2, hbs[1].incarnation(), 3, hbs[2].incarnation()), hb.liveNodes());
            assertTrue(hb.isAlive(1) && hb.isAlive(2) && hb.isAlive(3));
            assertFalse(hb.isAlive(4));
        }
        assertEquals(
                3,
                Arrays.stream(hbs)
                        .mapToLong(DiskHeartbeat::incarnation)
                        .distinct()
                        .count());
        // Each node's slot holds its own block, in the kernel's format.
        byte[] file = Files.readAllBytes(region());
        for (DiskHeartbeat hb : hbs) {
            int at = (1 + hb.localNode()) * 512;
            HeartbeatBlock b = HeartbeatBlock.decode(Arrays.copyOfRange(file, at, at + 512), hb.localNode());
            assertEquals(hb.incarnation(), b.generation());
            assertEquals(31 * INTERVAL_MS, b.deadMs());
        }
    }

    @Test
    void aClosedNodeIsDeclaredDownByTheOthers() throws Exception {
        Recorder r1 = new Recorder();
        Recorder r2 = new Recorder();
        Recorder r3 = new Recorder();
        DiskHeartbeat[] hbs = startCluster(r1, r2, r3);
        hbs[2].close();
        assertEquals(down(hbs[2]), r1.next());
        assertEquals(down(hbs[2]), r2.next());
        assertFalse(hbs[0].isAlive(3));
        assertEquals(Set.of(1, 2), hbs[0].liveNodes().keySet());
        // o2hb_shutdown_slot(): the stopped node's own listeners hear every node go down.
        assertEquals(Set.of(down(hbs[0]), down(hbs[1])), r3.next(2));
        hbs[2].close(); // idempotent
        assertNull(r3.events.poll());
        int at = (1 + 3) * 512;
        HeartbeatBlock last = HeartbeatBlock.decode(Arrays.copyOfRange(Files.readAllBytes(region()), at, at + 512), 3);
        assertEquals(0, last.generation(), "the last block of a clean stop");
    }

    @Test
    void aNodeThatStopsWithoutAWordIsDeclaredDownAfterTheDeadThreshold() throws Exception {
        Recorder r1 = new Recorder();
        Recorder r2 = new Recorder();
        DiskHeartbeat[] hbs = startCluster(r1, r2);
        hbs[1].stopUnclean();
        assertEquals(down(hbs[1]), r1.next());
        assertNull(r2.events.poll(), "an unclean stop announces nothing");
        int at = (1 + 2) * 512;
        HeartbeatBlock last = HeartbeatBlock.decode(Arrays.copyOfRange(Files.readAllBytes(region()), at, at + 512), 2);
        assertEquals(hbs[1].incarnation(), last.generation(), "no generation-0 block");
    }

    @Test
    void aQuicklyRestartedNodeComesBackDownThenUpWithItsNewIncarnation() throws Exception {
        Recorder r1 = new Recorder();
        Recorder r2 = new Recorder();
        Recorder r3 = new Recorder();
        DiskHeartbeat[] hbs = startCluster(r1, r2, r3);
        DiskHeartbeat old = hbs[1];
        old.stopUnclean();
        Recorder r2b = new Recorder();
        DiskHeartbeat restarted = start(builder(2), r2b);
        assertNotEquals(old.incarnation(), restarted.incarnation());
        for (Recorder r : List.of(r1, r3)) {
            assertEquals(down(old), r.next(), "down first, with the incarnation announced up");
            assertEquals(up(restarted), r.next(), "then up, with the new one");
        }
        assertEquals(Set.of(up(hbs[0]), up(hbs[2])), r2b.next(2), "the restarted node sees the others again");
        assertEquals(restarted.incarnation(), hbs[0].liveNodes().get(2));
    }

    @Test
    void aNodeRestartedAfterACleanStopComesBackWithItsNewIncarnation() throws Exception {
        Recorder r1 = new Recorder();
        Recorder r2 = new Recorder();
        DiskHeartbeat[] hbs = startCluster(r1, r2);
        hbs[1].close();
        assertEquals(down(hbs[1]), r1.next());
        DiskHeartbeat again = start(builder(2).generation(0x1234_5678_9abcL), new Recorder());
        assertEquals(0x1234_5678_9abcL, again.incarnation());
        assertEquals(up(again), r1.next());
    }

    @Test
    void anotherNodeHeartbeatingInOurSlotIsLoggedAsTheKernelDoes() throws Exception {
        // Node 1 with start_block 2 and node 2 with start_block 1 both write block 3: each finds the other's block
        // in its own slot.
        Path f = dir.resolve("misconfigured");
        HeartbeatRegion.format(f, 1, 512, BLOCKS + 1);
        try (LogCapture log = new LogCapture()) {
            start(DiskHeartbeat.builder(f, 1).startBlock(2).blocks(BLOCKS).intervalMs(INTERVAL_MS), new Recorder());
            start(DiskHeartbeat.builder(f, 2).startBlock(1).blocks(BLOCKS).intervalMs(INTERVAL_MS), new Recorder());
            Await.until(
                    "the kernel's error about another writer in our slot",
                    () -> log.contains("Another node is heartbeating on device (" + f + "): expected(1:")
                            && log.contains("Another node is heartbeating on device (" + f + "): expected(2:"),
                    log::text);
        }
    }

    @Test
    void aDifferentDeadTimeIsLoggedAsTheKernelDoes() throws Exception {
        Path f = region();
        try (LogCapture log = new LogCapture()) {
            Recorder r1 = new Recorder();
            start(builder(1), r1);
            DiskHeartbeat hb2 = start(builder(2).deadThreshold(20), new Recorder());
            assertEquals(up(hb2), r1.next(), "a different dead time is no reason to refuse a node");
            Await.until(
                    "the kernel's notice",
                    () -> log.contains("Node 2 on device " + f + " has a dead count of " + (20 * INTERVAL_MS)
                            + " ms, but our count is " + (31 * INTERVAL_MS) + " ms."),
                    log::text);
        }
    }

    @Test
    void heartbeatsRunOnTheGivenSchedulerWhichCloseLeavesRunning() throws Exception {
        ScheduledThreadPoolExecutor sched = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "test-o2hb");
            t.setDaemon(true);
            return t;
        });
        try {
            Recorder r1 = new Recorder();
            DiskHeartbeat hb1 = start(builder(1).scheduler(sched), r1);
            DiskHeartbeat hb2 = start(builder(2), new Recorder());
            assertEquals(up(hb2), r1.next());
            assertEquals("test-o2hb", r1.thread, "listeners run on the heartbeat thread");
            hb1.close();
            assertFalse(sched.isShutdown());
        } finally {
            sched.shutdownNow();
        }
    }

    @Test
    void startFailsOnAMissingRegionAndRunsOnce() throws Exception {
        DiskHeartbeat missing = DiskHeartbeat.builder(dir.resolve("absent"), 1).build();
        assertThrows(IOException.class, missing::start);
        missing.close();
        DiskHeartbeat hb = start(builder(1), new Recorder());
        assertThrows(IllegalStateException.class, hb::start);
        hb.close();
        assertThrows(IllegalStateException.class, hb::start);
    }

    @Test
    void theBuilderChecksValuesAsTheKernelDoes() throws Exception {
        Path f = region();
        assertThrows(
                IllegalArgumentException.class,
                () -> DiskHeartbeat.builder(f, 1).startBlock(0).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> DiskHeartbeat.builder(f, 4).blocks(4).build());
        assertThrows(IllegalArgumentException.class, () -> DiskHeartbeat.builder(f, 255));
        assertThrows(
                IllegalArgumentException.class,
                () -> DiskHeartbeat.builder(f, 1).blockBytes(1000).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> DiskHeartbeat.builder(f, 1).deadThreshold(2).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> DiskHeartbeat.builder(f, 1).intervalMs(0).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> DiskHeartbeat.builder(f, 1).generation(0));
        DiskHeartbeat a = DiskHeartbeat.builder(f, 1).build();
        DiskHeartbeat b = DiskHeartbeat.builder(f, 1).build();
        assertNotEquals(0, a.incarnation());
        assertNotEquals(a.incarnation(), b.incarnation(), "a random generation for each");
        assertTrue(a.isAlive(1), "a node is always alive to itself");
        assertEquals(Map.of(1, a.incarnation()), a.liveNodes());
        a.close();
        b.close();
    }
}
