// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ocfs2.o2net.node.TestCluster.KEY;
import static org.ocfs2.o2net.node.TestCluster.MSG;
import static org.ocfs2.o2net.node.TestCluster.payload;
import static org.ocfs2.o2net.node.TestCluster.statusOf;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ocfs2.o2net.netty.Await;

/**
 * Bounded memory per peer (issue 13 item 2): a peer whose requests pile up faster than its handlers run (here: its
 * handler blocks) gets its reading paused once {@link HandlerRunner#HIGH_WATER} runs are queued, so the receiver's
 * Message Holders and queued work stop growing with what the peer sends; another peer's calls go on meanwhile; and
 * everything completes once the handlers move again.
 */
class BackpressureTest {
    private TestCluster cluster;
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void tearDown() {
        release.countDown();
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aFloodOfRequestsWhoseHandlersCannotKeepUpPausesReadingAndStaysBounded() throws Exception {
        // v12: no window, so only the backpressure bounds the receiver
        cluster = TestCluster.builder(3).start().awaitConnected();
        cluster.hook = r -> {
            if (new String(r.payload()).startsWith("flood")) {
                release.await();
            }
            return 0;
        };
        O2netNode n1 = cluster.node(1);
        int flood = 6000;
        List<CompletableFuture<Integer>> calls = new ArrayList<>(flood);
        for (int i = 0; i < flood; i++) {
            calls.add(cluster.node(2).sendAsync(MSG, KEY, payload("flood" + i), 1));
        }
        Await.until(
                "node 1 paused reading from node 2",
                () -> n1.stats(2).readPauses() >= 1,
                () -> n1.stats(2).toString());
        // once paused, what node 1 holds for node 2 no longer grows: at most the high water mark plus what one
        // read had already brought in
        int bound = HandlerRunner.HIGH_WATER + 2048;
        for (int i = 0; i < 20; i++) {
            int mh = n1.stats(2).mhCount();
            assertTrue(mh <= bound, "node 1 holds " + mh + " Message Holders for node 2, more than " + bound);
            // another peer is not affected
            assertEquals(statusOf(payload("n3-" + i)), cluster.node(3).send(MSG, KEY, payload("n3-" + i), 1));
        }
        assertTrue(n1.stats(2).mhCount() < flood, "not everything was read: " + n1.stats(2));
        release.countDown();
        for (int i = 0; i < flood; i++) {
            assertEquals(statusOf(payload("flood" + i)), calls.get(i).get(Await.TIMEOUT_MS * 4, TimeUnit.MILLISECONDS));
        }
        cluster.awaitQuiet();
        assertEquals(flood + 20, cluster.runs.size(), "every call's handler ran once");
    }
}
