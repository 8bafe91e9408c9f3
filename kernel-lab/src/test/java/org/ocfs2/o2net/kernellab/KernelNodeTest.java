// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.kernellab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.ocfs2.o2net.cli.O2netCli;
import org.ocfs2.o2net.config.ClusterConfig;
import org.ocfs2.o2net.hb.DiskHeartbeat;
import org.ocfs2.o2net.hb.HeartbeatBlock;
import org.ocfs2.o2net.hb.HeartbeatStops;
import org.ocfs2.o2net.node.NodeControl;
import org.ocfs2.o2net.node.O2netNode;
import org.ocfs2.o2net.node.PeerStats;
import org.ocfs2.o2net.node.Request;
import org.ocfs2.o2net.wire.Errno;
import org.ocfs2.o2net.wire.O2netException;

/**
 * Debian's stock kernel as node 1 of a three-node o2cb cluster whose nodes 0 and 2 are Java {@link O2netNode}s on the
 * host, all three heartbeating on one region (a host file that is the guest's {@code /dev/vda}). Node 0 is lower than
 * the kernel, so the kernel connects to it (through a guestfwd relay); node 2 is higher, so it connects to the kernel
 * (through the hostfwd). The guest boots once for the class; the checks run in order, each leaving the cluster
 * connected for the next. Timeouts are short where the kernel allows (idle 5000 ms, keepalive 1000 ms, reconnect
 * 2000 ms, dead threshold 7, the o2cb tools' minimums), and the Java nodes use the same.
 *
 * <p>Every wait is for an event (a console line, a control-channel answer, a heartbeat view) with a generous upper
 * bound; the times printed ({@code kernel-lab timing}) are measurements, never asserted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KernelNodeTest {
    static final String CLUSTER = "klab";
    static final String REGION = "4B4C41424F324E45544B45524E454C31"; // "KLABO2NETKERNEL1" in hex, as o2cb names regions
    static final int IDLE_MS = 5000;
    static final int KEEPALIVE_MS = 1000;
    static final int RECONNECT_MS = 2000;
    static final int DEAD_THRESHOLD = 7;
    static final int BLOCK_BYTES = 512;
    static final long START_BLOCK = 8;
    static final int BLOCKS = 16;
    static final int JAVA_LOW = 0;
    static final int KERNEL = 1;
    static final int JAVA_HIGH = 2;
    static final String JAVA_LOW_GUEST_ADDRESS = "10.0.2.100";
    static final String JAVA_LOW_HOST = "127.0.0.2";
    static final String JAVA_HIGH_HOST = "127.0.0.3";
    static final Duration LONG = Duration.ofSeconds(90);

    /** {@code DLM_MOD_KEY}, {@code DLM_QUERY_JOIN_MSG} and the packed {@code dlm_query_join_response} codes. */
    static final int DLM_MOD_KEY = 0x666c6172;

    static final int DLM_QUERY_JOIN_MSG = 510;
    static final int QUERY_JOIN_REQUEST_BYTES = 104;
    static final int JOIN_DISALLOW = 0;
    static final int JOIN_OK_NO_MAP = 2 << 24;
    static final int JOIN_PROTOCOL_MISMATCH = 3 << 24;

    static KernelGuest guest;
    static Path region;
    static final Map<String, Long> timings = new LinkedHashMap<>();
    static final List<String> notes = new ArrayList<>();
    static final JavaSide low = new JavaSide(JAVA_LOW, JAVA_LOW_HOST);
    static final JavaSide high = new JavaSide(JAVA_HIGH, JAVA_HIGH_HOST);

    /** One Java node: its heartbeat, its o2net node, and the DLM_QUERY_JOIN_MSG requests its handler saw. */
    static final class JavaSide {
        final int number;
        final String host;
        DiskHeartbeat hb;
        O2netNode net;
        final LinkedBlockingQueue<Request> joins = new LinkedBlockingQueue<>();
        final AtomicInteger joinStatus = new AtomicInteger(JOIN_OK_NO_MAP);
        KeepaliveCounter keepalives;
        ServerSocketChannel listener;
        int port;

        JavaSide(int number, String host) {
            this.number = number;
            this.host = host;
        }

        DiskHeartbeat startHeartbeat() throws IOException {
            hb = DiskHeartbeat.builder(region, number)
                    .startBlock(START_BLOCK)
                    .blockBytes(BLOCK_BYTES)
                    .blocks(BLOCKS)
                    .intervalMs(ClusterConfig.HEARTBEAT_INTERVAL_MS)
                    .deadThreshold(DEAD_THRESHOLD)
                    .build();
            hb.start();
            return hb;
        }

        /** Binds a listening socket on an OS-chosen port, for the next {@link #startNet}. */
        void bind() {
            listener = O2netNode.listen(host, 0);
            port = O2netNode.port(listener);
        }

        /**
         * Starts the o2net node on the socket {@link #bind} bound (binding one if needed), with {@code idleMs} as its
         * idle timeout. Node 2 connects to node 0 at node 0's port; node 0 never connects to node 2 (lower numbers
         * only accept), so node 2 may restart on another port.
         */
        void startNet(int idleMs) {
            if (listener == null) {
                bind();
            }
            ClusterConfig config = ClusterConfig.newBuilder()
                    .name(CLUSTER)
                    .addNode(JAVA_LOW, "java0", JAVA_LOW_HOST, low.port)
                    .addNode(KERNEL, "kernel1", "127.0.0.1", guest.hostForwardPort())
                    .addNode(JAVA_HIGH, "java2", JAVA_HIGH_HOST, high.port)
                    .localNode(number)
                    .idleTimeoutMs(idleMs)
                    .keepaliveDelayMs(KEEPALIVE_MS)
                    .reconnectDelayMs(RECONNECT_MS)
                    .heartbeatDeadThreshold(DEAD_THRESHOLD)
                    .reliable(false)
                    .build();
            keepalives = new KeepaliveCounter();
            net = O2netNode.builder(config, hb)
                    .serverChannel(listener)
                    .faultInjector(keepalives)
                    .build();
            listener = null;
            net.registerHandler(DLM_QUERY_JOIN_MSG, DLM_MOD_KEY, QUERY_JOIN_REQUEST_BYTES, req -> {
                joins.add(req);
                return joinStatus.get();
            });
            net.start();
            if (number == JAVA_LOW) {
                guest.forwards().get(0).target(host, port);
            }
        }

        void close() {
            if (net != null) {
                net.close();
            }
            if (hb != null) {
                hb.close();
            }
        }

        PeerStats toKernel() {
            return net.stats(KERNEL);
        }
    }

    @BeforeAll
    static void bootKernelAndJavaNodes() throws Exception {
        Path home = Path.of(System.getProperty("kernel.lab.home", "."));
        Path work = Path.of(System.getProperty("kernel.lab.work", "target/kernel-lab"));
        KernelLab lab = KernelLab.setup(home);
        timings.put("setup (kernel-lab-setup)", lab.setupMillis());
        Files.createDirectories(work);
        region = work.resolve("region.img");
        Files.deleteIfExists(region);
        try (RandomAccessFile f = new RandomAccessFile(region.toFile(), "rw")) {
            f.setLength((START_BLOCK + BLOCKS) * BLOCK_BYTES);
        }
        guest = KernelGuest.boot(lab, work, region, List.of(JAVA_LOW_GUEST_ADDRESS), Duration.ofSeconds(240));
        timings.put("boot to control shell", guest.bootMillis());
        long t = System.nanoTime();
        guest.configureCluster(
                CLUSTER,
                IDLE_MS,
                KEEPALIVE_MS,
                RECONNECT_MS,
                DEAD_THRESHOLD,
                List.of(
                        new KernelGuest.GuestNode(JAVA_LOW, "java0", JAVA_LOW_GUEST_ADDRESS, KernelGuest.GUEST_PORT),
                        new KernelGuest.GuestNode(KERNEL, "kernel1", KernelGuest.GUEST_ADDRESS, KernelGuest.GUEST_PORT),
                        new KernelGuest.GuestNode(
                                JAVA_HIGH, "java2", KernelGuest.HOST_AS_SEEN_BY_GUEST, KernelGuest.GUEST_PORT)),
                KERNEL);
        guest.startHeartbeat(CLUSTER, REGION, BLOCK_BYTES, START_BLOCK, BLOCKS);
        low.startHeartbeat();
        high.startHeartbeat();
        awaitTrue(
                "the kernel's o2hb to see itself and both Java nodes live",
                LONG,
                () -> guest.liveNodes().containsAll(Set.of(JAVA_LOW, KERNEL, JAVA_HIGH)),
                () -> "kernel livenodes " + guest.liveNodes());
        low.bind();
        high.bind();
        low.startNet(IDLE_MS);
        high.startNet(IDLE_MS);
        timings.put("configfs + heartbeat steady + Java nodes started", ms(t));
        kernel = "kernel-lab: kernel " + lab.kernelVersion() + " (Debian " + lab.packageVersion() + ")";
        System.out.println(kernel);
    }

    /** The kernel line printed at boot, for the summary. */
    private static String kernel;

    @AfterAll
    static void tearDown() {
        try {
            low.close();
            high.close();
        } finally {
            if (guest != null) {
                guest.close();
            }
        }
        List<String> summary = new ArrayList<>();
        if (kernel != null) {
            summary.add(kernel);
        }
        notes.forEach(n -> summary.add("kernel-lab note: " + n));
        timings.forEach((k, v) ->
                summary.add(String.format("kernel-lab timing: %-72s %7d %s", k, v, k.endsWith("(us)") ? "us" : "ms")));
        summary.forEach(System.out::println);
        // for the main job's HTML report (org.ocfs2.o2net.spec.HtmlReport)
        try {
            Path work = Path.of(System.getProperty("kernel.lab.work", "target/kernel-lab"));
            Files.createDirectories(work);
            Files.write(work.resolve("summary.txt"), summary, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ----------------------------------------------------------------------------------------------------------------
    // 1. heartbeat
    // ----------------------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void eachSidesHeartbeatSeesTheOtherLive() throws Exception {
        long t = System.nanoTime();
        assertTrue(low.hb.awaitSteady(60, TimeUnit.SECONDS), "Java node 0's heartbeat never became steady");
        assertTrue(high.hb.awaitSteady(60, TimeUnit.SECONDS), "Java node 2's heartbeat never became steady");
        awaitTrue(
                "Java node 0's and node 2's o2hb to see the kernel (node 1) live",
                LONG,
                () -> low.hb.isAlive(KERNEL) && high.hb.isAlive(KERNEL),
                () -> "node 0 sees " + low.hb.liveNodes() + ", node 2 sees " + high.hb.liveNodes());
        Set<Integer> kernelView = guest.liveNodes();
        assertEquals(
                Set.of(JAVA_LOW, KERNEL, JAVA_HIGH),
                kernelView,
                "the kernel's /sys/kernel/debug/o2hb/livenodes should list both Java nodes and itself");
        // the kernel's block in slot 1, as the Java side reads it
        HeartbeatBlock kernelBlock = HeartbeatBlock.decode(readSlot(KERNEL), KERNEL);
        assertNotEquals(0L, kernelBlock.generation(), "the kernel's heartbeat block has generation 0");
        assertEquals(
                kernelBlock.generation(),
                low.hb.liveNodes().get(KERNEL),
                "Java node 0 announced the kernel up with a generation other than the one in the kernel's block");
        timings.put("check 1a: both heartbeats see each other", ms(t));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // 2. handshakes, keepalives, idle timeout
    // ----------------------------------------------------------------------------------------------------------------

    @Test
    @Order(2)
    void handshakesPassInBothRoles() {
        long t = System.nanoTime();
        guest.console()
                .await(
                        0,
                        Pattern.compile("o2net: Accepted connection from node java2 \\(num 2\\) at 10\\.0\\.2\\.2:"),
                        LONG,
                        "the kernel to accept Java node 2's connection (Java connects)");
        guest.console()
                .await(
                        0,
                        Pattern.compile("o2net: Connected to node java0 \\(num 0\\) at "
                                + Pattern.quote(JAVA_LOW_GUEST_ADDRESS)),
                        LONG,
                        "the kernel to connect to Java node 0 (kernel connects)");
        awaitTrue(
                "both Java nodes to hold a connection to the kernel that passed both handshakes",
                LONG,
                () -> low.toKernel().connected() && high.toKernel().connected(),
                () -> low.toKernel() + " / " + high.toKernel());
        awaitTrue(
                "the kernel's connected_nodes to list nodes 0 and 2",
                LONG,
                () -> guest.connectedNodes().containsAll(Set.of(JAVA_LOW, JAVA_HIGH)),
                () -> "connected_nodes " + guest.connectedNodes());
        timings.put("check 2a: handshakes in both roles", ms(t));
    }

    @Test
    @Order(3)
    void keepalivesFlowBothWaysAndTheConnectionOutlivesTheIdleTimeout() {
        long t = System.nanoTime();
        int mark = guest.console().mark();
        PeerStats lowBefore = low.toKernel();
        PeerStats highBefore = high.toKernel();
        KeepaliveCounter.Counts lowCounts = low.keepalives.snapshot();
        KeepaliveCounter.Counts highCounts = high.keepalives.snapshot();
        // Two idle timeouts with no traffic but keepalives. Each side sends a KEEP_REQ when it has received nothing
        // for keepalive_delay_ms and answers every KEEP_REQ with a KEEP_RESP; a received keepalive postpones the
        // receiver's own, so which side asks is a matter of phase. On each connection keepalives must flow both
        // ways (requests one way, answers the other), every request must be answered, and no connection may be lost
        // or remade.
        long deadline = System.nanoTime() + 2L * IDLE_MS * 1_000_000;
        awaitTrue(
                "two idle timeouts to pass with keepalives both ways on both connections",
                LONG,
                () -> System.nanoTime() > deadline
                        && flowsBothWays(low.keepalives.snapshot().minus(lowCounts))
                        && flowsBothWays(high.keepalives.snapshot().minus(highCounts)),
                () -> "node 0: " + low.keepalives.snapshot().minus(lowCounts) + "; node 2: "
                        + high.keepalives.snapshot().minus(highCounts));
        PeerStats lowAfter = low.toKernel();
        PeerStats highAfter = high.toKernel();
        for (JavaSide side : List.of(low, high)) {
            KeepaliveCounter.Counts d = side.keepalives.snapshot().minus(side == low ? lowCounts : highCounts);
            assertTrue(
                    Math.abs(d.reqOut() - d.respIn()) <= 1 && Math.abs(d.reqIn() - d.respOut()) <= 1,
                    "Java node " + side.number + ": a keepalive request went unanswered: " + d);
            notes.add("check 2b: Java node " + side.number + " over 2 idle timeouts: " + d);
        }
        assertEquals(lowBefore.connects(), lowAfter.connects(), "node 0's connection to the kernel was remade");
        assertEquals(highBefore.connects(), highAfter.connects(), "node 2's connection to the kernel was remade");
        assertTrue(
                lowAfter.connected() && highAfter.connected(), "a connection dropped: " + lowAfter + " / " + highAfter);
        List<String> lost = guest.console().linesFrom(mark).stream()
                .filter(l -> l.contains("No longer connected") || l.contains("idle for"))
                .toList();
        assertEquals(List.of(), lost, "the kernel logged a lost or idle connection while keepalives flowed");
        assertEquals(Set.of(JAVA_LOW, JAVA_HIGH), guest.connectedNodes(), "the kernel's connected_nodes changed");
        timings.put("check 2b: keepalives both ways over 2 idle timeouts", ms(t));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // 3. a Java caller, the kernel's handler
    // ----------------------------------------------------------------------------------------------------------------

    /** Requests one way and answers the other, at least twice each (the window is ten keepalive delays long). */
    static boolean flowsBothWays(KeepaliveCounter.Counts d) {
        return (d.reqOut() >= 2 && d.respIn() >= 2) || (d.reqIn() >= 2 && d.respOut() >= 2);
    }

    static byte[] queryJoin(int nodeIdx, String domain) {
        ByteBuffer b = ByteBuffer.allocate(QUERY_JOIN_REQUEST_BYTES).order(ByteOrder.BIG_ENDIAN);
        byte[] name = domain.getBytes(StandardCharsets.US_ASCII);
        b.put(0, (byte) nodeIdx); // node_idx, then pad1[2]
        b.put(3, (byte) name.length); // name_len
        b.put(4, (byte) 1).put(5, (byte) 3); // dlm_proto 1.3
        b.put(6, (byte) 1).put(7, (byte) 0); // fs_proto 1.0
        b.put(8, name); // domain[64] at 8, node_map[32] at 72
        b.put(72 + nodeIdx / 8, (byte) (1 << (nodeIdx % 8)));
        return b.array();
    }

    @Test
    @Order(4)
    void aJavaCallerGetsTheKernelHandlersStatus() {
        long t = System.nanoTime();
        int status = high.net.send(DLM_QUERY_JOIN_MSG, DLM_MOD_KEY, queryJoin(JAVA_HIGH, "javadom"), KERNEL);
        long firstCall = ms(t);
        assertEquals(
                JOIN_OK_NO_MAP,
                status,
                "DLM_QUERY_JOIN_MSG from heartbeating node 2 for an unknown domain: the kernel's "
                        + "dlm_query_join_handler should answer JOIN_OK_NO_MAP (0x02000000), got 0x"
                        + Integer.toHexString(status));
        int disallow = high.net.send(DLM_QUERY_JOIN_MSG, DLM_MOD_KEY, queryJoin(9, "javadom"), KERNEL);
        assertEquals(
                JOIN_DISALLOW,
                disallow,
                "DLM_QUERY_JOIN_MSG naming node 9, which does not heartbeat: the kernel should answer JOIN_DISALLOW (0)");
        long t2 = System.nanoTime();
        int n = 20;
        for (int i = 0; i < n; i++) {
            assertEquals(
                    JOIN_OK_NO_MAP,
                    high.net.send(DLM_QUERY_JOIN_MSG, DLM_MOD_KEY, queryJoin(JAVA_HIGH, "javadom"), KERNEL));
        }
        timings.put("check 3: first call Java -> kernel DLM_QUERY_JOIN_MSG", firstCall);
        timings.put("check 3: mean of " + n + " further calls (us)", (System.nanoTime() - t2) / n / 1000);

        O2netException noHandler = expectError(
                () -> high.net.send(DLM_QUERY_JOIN_MSG + 100, DLM_MOD_KEY, new byte[8], KERNEL),
                "a message type the kernel has no handler for");
        assertEquals(
                Errno.ENOPROTOOPT,
                noHandler.errno(),
                "an unregistered type: the kernel answers sys_status NO_HNDLR, the caller's -ENOPROTOOPT");
        O2netException overflow = expectError(
                () -> high.net.send(DLM_QUERY_JOIN_MSG, DLM_MOD_KEY, new byte[QUERY_JOIN_REQUEST_BYTES + 1], KERNEL),
                "a payload one byte over dlm_query_join_handler's max_len");
        assertEquals(
                Errno.EOVERFLOW,
                overflow.errno(),
                "an oversize payload: the kernel answers sys_status OVERFLOW, the caller's -EOVERFLOW");
        assertTrue(high.toKernel().connected(), "the connection should survive both error answers");
        timings.put("check 3: Java calls the kernel's handler", ms(t));
    }

    static O2netException expectError(Runnable call, String what) {
        try {
            call.run();
        } catch (O2netException e) {
            return e;
        }
        return fail("the call with " + what + " returned a status; an error was expected");
    }

    // ----------------------------------------------------------------------------------------------------------------
    // 4. the kernel calls a Java handler
    // ----------------------------------------------------------------------------------------------------------------

    @Test
    @Order(5)
    void theKernelCallsAJavaHandlerAndGetsItsStatus() throws Exception {
        long t = System.nanoTime();
        low.joins.clear();
        high.joins.clear();
        guest.shell().ok("mkdir -p /dlm && mount -t ocfs2_dlmfs ocfs2_dlmfs /dlm");
        ControlShell.Result join = guest.shell().run("mkdir /dlm/kdom1", LONG);
        assertEquals(0, join.status(), "mkdir /dlm/kdom1 (joining DLM domain kdom1) failed: " + join.output());
        for (JavaSide side : List.of(low, high)) {
            Request r = side.joins.poll(60, TimeUnit.SECONDS);
            if (r == null) {
                fail("Java node " + side.number + "'s DLM_QUERY_JOIN_MSG handler was not called by the kernel");
            }
            ByteBuffer p = r.payloadBuffer();
            assertEquals(KERNEL, r.fromNode(), "the query came from another node than the kernel");
            assertEquals(QUERY_JOIN_REQUEST_BYTES, r.dataLen(), "struct dlm_query_join_request is 104 bytes");
            assertEquals(KERNEL, p.get(p.position()) & 0xff, "node_idx in the kernel's query");
            int len = p.get(p.position() + 3) & 0xff;
            byte[] name = new byte[len];
            p.duplicate().position(p.position() + 8).get(name);
            assertEquals("kdom1", new String(name, StandardCharsets.US_ASCII), "domain in the kernel's query");
        }
        long okJoin = ms(t);
        // Now node 0 answers JOIN_PROTOCOL_MISMATCH: the kernel must act on that status, refuse the join and say so.
        low.joinStatus.set(JOIN_PROTOCOL_MISMATCH);
        int mark = guest.console().mark();
        ControlShell.Result refused = guest.shell().run("mkdir /dlm/kdom2", LONG);
        low.joinStatus.set(JOIN_OK_NO_MAP);
        assertNotEquals(
                0, refused.status(), "mkdir /dlm/kdom2 succeeded although Java node 0 answered JOIN_PROTOCOL_MISMATCH");
        guest.console()
                .await(
                        mark,
                        Pattern.compile("protocol versions on node 0 is not compatible"),
                        LONG,
                        "the kernel's notice that node 0 answered JOIN_PROTOCOL_MISMATCH");
        timings.put("check 4: kernel joins a DLM domain through Java handlers", okJoin);
        timings.put("check 4: total", ms(t));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // 2c. mismatched idle timeout
    // ----------------------------------------------------------------------------------------------------------------

    @Test
    @Order(6)
    void aMismatchedIdleTimeoutIsRefusedByBothSides() {
        long t = System.nanoTime();
        high.net.close();
        int mark = guest.console().mark();
        high.startNet(IDLE_MS + 1000);
        guest.console()
                .await(
                        mark,
                        Pattern.compile("node java2 \\(num 2\\) at 10\\.0\\.2\\.2:\\d+ uses a network idle timeout of "
                                + (IDLE_MS + 1000) + " ms, but we use " + IDLE_MS + " ms locally\\. Disconnecting\\."),
                        LONG,
                        "the kernel's notice refusing node 2's idle timeout");
        awaitTrue(
                "Java node 2 to refuse the kernel's handshake with the same notice",
                LONG,
                () -> {
                    String e = high.toKernel().lastError();
                    return e != null
                            && e.contains("uses a network idle timeout of " + IDLE_MS + " ms, but we use "
                                    + (IDLE_MS + 1000) + " ms locally. Disconnecting.");
                },
                () -> "node 2's last error: " + high.toKernel().lastError());
        assertTrue(!high.toKernel().connected(), "node 2 with a mismatched idle timeout is connected");
        high.net.close();
        int mark2 = guest.console().mark();
        high.startNet(IDLE_MS);
        guest.console()
                .await(
                        mark2,
                        Pattern.compile("o2net: Accepted connection from node java2"),
                        LONG,
                        "the kernel to accept node 2 again once its idle timeout matches");
        awaitTrue("node 2 to be connected again", LONG, () -> high.toKernel().connected(), () -> "");
        timings.put("check 2c: mismatched idle timeout refused, then accepted", ms(t));
    }

    @Test
    @Order(7)
    void aMismatchedIdleTimeoutIsRefusedByBothSidesWhenTheKernelConnects() {
        long t = System.nanoTime();
        int mark = guest.console().mark();
        low.net.close();
        low.startNet(IDLE_MS + 1000);
        GuestConsole.Line refused = guest.console()
                .await(
                        mark,
                        Pattern.compile(
                                "node java0 \\(num 0\\) at 10\\.0\\.2\\.100:7777 uses a network idle timeout of "
                                        + (IDLE_MS + 1000) + " ms, but we use " + IDLE_MS
                                        + " ms locally\\. Disconnecting\\."),
                        LONG,
                        "the kernel, connecting, to refuse node 0's idle timeout");
        awaitTrue(
                "Java node 0 to refuse the kernel's handshake with the same notice",
                LONG,
                () -> {
                    String e = low.toKernel().lastError();
                    return e != null
                            && e.contains("uses a network idle timeout of " + IDLE_MS + " ms, but we use "
                                    + (IDLE_MS + 1000) + " ms locally. Disconnecting.");
                },
                () -> "node 0's last error: " + low.toKernel().lastError());
        long refusedMs = ms(t);
        low.net.close();
        low.startNet(IDLE_MS);
        GuestConsole.Line back = guest.console()
                .await(
                        refused.number(),
                        Pattern.compile("o2net: Connected to node java0"),
                        LONG,
                        "the kernel to connect to node 0 again once its idle timeout matches");
        awaitTrue("node 0 to be connected again", LONG, () -> low.toKernel().connected(), () -> "");
        timings.put("check 2d: kernel connects, mismatch refused by both", refusedMs);
        timings.put(
                "check 2d: kernel connected again after the mismatch (from its refusal)",
                (back.nanoTime() - refused.nanoTime()) / 1_000_000);
        recordLines("check 2d console", mark);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // 5. resets
    // ----------------------------------------------------------------------------------------------------------------

    @Test
    @Order(8)
    void aResetOfAConnectionTheJavaNodeMadeIsRecovered() {
        long t = System.nanoTime();
        long connects = high.toKernel().connects();
        int mark = guest.console().mark();
        assertTrue(NodeControl.resetConnection(high.net, KERNEL), "Java node 2 had no connection to reset");
        GuestConsole.Line gone = guest.console()
                .await(
                        mark,
                        Pattern.compile("o2net: No longer connected to node java2"),
                        LONG,
                        "the kernel to notice node 2's reset");
        GuestConsole.Line back = guest.console()
                .await(
                        gone.number(),
                        Pattern.compile("o2net: Accepted connection from node java2"),
                        LONG,
                        "the kernel to accept node 2's reconnection");
        awaitTrue(
                "Java node 2 to reconnect",
                LONG,
                () -> high.toKernel().connected() && high.toKernel().connects() > connects,
                () -> high.toKernel().toString());
        assertEquals(
                JOIN_OK_NO_MAP,
                high.net.send(DLM_QUERY_JOIN_MSG, DLM_MOD_KEY, queryJoin(JAVA_HIGH, "javadom"), KERNEL),
                "a call after the reconnection");
        timings.put("check 5a: reset by the Java connector -> kernel accepts again", (back.nanoTime() - t) / 1_000_000);
        recordLines("check 5a console", mark);
    }

    @Test
    @Order(9)
    void aResetOfAConnectionTheKernelMadeIsRecoveredByTheKernelAfterConnectExpired() {
        long t = System.nanoTime();
        int mark = guest.console().mark();
        assertTrue(NodeControl.resetConnection(low.net, KERNEL), "Java node 0 had no connection to reset");
        GuestConsole.Line gone = guest.console()
                .await(
                        mark,
                        Pattern.compile("o2net: No longer connected to node java0"),
                        LONG,
                        "the kernel to notice node 0's reset");
        long lostAt = gone.nanoTime();
        GuestConsole.Line expired = guest.console()
                .await(
                        gone.number(),
                        Pattern.compile("No connection established with node 0 after"),
                        LONG,
                        "o2net_connect_expired's notice (about idle_timeout after the drop)");
        GuestConsole.Line back = guest.console()
                .await(
                        gone.number(),
                        Pattern.compile("o2net: Connected to node java0"),
                        LONG,
                        "the kernel to reconnect to node 0 by itself");
        awaitTrue(
                "Java node 0 to hold the kernel's new connection",
                LONG,
                () -> low.toKernel().connected(),
                () -> low.toKernel().toString());
        assertTrue(expired.number() < back.number(), "the kernel reconnected before its connect-expired notice");
        timings.put(
                "check 5b: kernel reconnects after o2net_connect_expired (from the drop)",
                (back.nanoTime() - lostAt) / 1_000_000);
        timings.put("check 5b: total", ms(t));
        recordLines("check 5b console", mark);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // 1b. a Java node stops heartbeating, and restarts
    // ----------------------------------------------------------------------------------------------------------------

    @Test
    @Order(10)
    void aJavaNodeThatStopsHeartbeatingIsDeclaredDeadAndComesBackWithANewGeneration() throws Exception {
        long t = System.nanoTime();
        long oldGeneration = high.hb.incarnation();
        int mark = guest.console().mark();
        HeartbeatStops.stopUnclean(high.hb);
        long stopped = System.nanoTime();
        awaitTrue(
                "the kernel's o2hb to declare node 2 dead (dead threshold " + DEAD_THRESHOLD + " x 2000 ms)",
                LONG,
                () -> !guest.liveNodes().contains(JAVA_HIGH),
                () -> "kernel livenodes " + guest.liveNodes());
        long dead = ms(stopped);
        guest.console()
                .await(
                        mark,
                        Pattern.compile("o2net: No longer connected to node java2"),
                        LONG,
                        "the kernel's o2net to drop node 2 once heartbeat declared it dead");
        assertTrue(
                dead >= (DEAD_THRESHOLD - 2) * 2000L,
                "the kernel declared node 2 dead " + dead + " ms after its last heartbeat, before its dead threshold");
        high.net.close();
        int mark2 = guest.console().mark();
        long restart = System.nanoTime();
        high.startHeartbeat();
        high.startNet(IDLE_MS);
        assertNotEquals(oldGeneration, high.hb.incarnation(), "a restarted heartbeat kept its generation");
        awaitTrue(
                "the kernel's o2hb to see node 2 live again",
                LONG,
                () -> guest.liveNodes().contains(JAVA_HIGH),
                () -> "kernel livenodes " + guest.liveNodes());
        long live = ms(restart);
        HeartbeatBlock block = HeartbeatBlock.decode(readSlot(JAVA_HIGH), JAVA_HIGH);
        assertEquals(high.hb.incarnation(), block.generation(), "node 2's slot holds another generation");
        guest.console()
                .await(
                        mark2,
                        Pattern.compile("o2net: Accepted connection from node java2"),
                        LONG,
                        "the kernel to accept the restarted node 2");
        timings.put("check 1b: kernel declares a silent Java node dead", dead);
        timings.put("check 1b: kernel sees the restarted node live", live);
        timings.put("check 1b: total", ms(t));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // o2net probe against the kernel
    // ----------------------------------------------------------------------------------------------------------------

    @Test
    @Order(11)
    void theProbeAgainstTheKernelPrintsItsHandshakeKeepaliveRoundTripsAndACall() {
        long t = System.nanoTime();
        // The kernel takes one connection per node: node 2's o2net steps aside, its heartbeat goes on, and the probe
        // connects as node 2 (from its address, which the kernel sees as 10.0.2.2).
        int mark = guest.console().mark();
        high.net.close();
        guest.console()
                .await(
                        mark,
                        Pattern.compile("o2net: No longer connected to node java2"),
                        LONG,
                        "the kernel to drop node 2's connection before the probe");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = O2netCli.execute(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                "probe",
                "127.0.0.1:" + guest.hostForwardPort(),
                "--node",
                Integer.toString(KERNEL),
                "--bind",
                JAVA_HIGH_HOST,
                "--idle-ms",
                Integer.toString(IDLE_MS),
                "--keepalive-ms",
                Integer.toString(KEEPALIVE_MS),
                "--hb-timeout-ms",
                Integer.toString((DEAD_THRESHOLD - 1) * ClusterConfig.HEARTBEAT_INTERVAL_MS),
                "--reconnect-ms",
                Integer.toString(RECONNECT_MS),
                "--keepalives",
                "5",
                "--call",
                DLM_QUERY_JOIN_MSG + ":0x" + Integer.toHexString(DLM_MOD_KEY) + ":"
                        + HexFormat.of().formatHex(queryJoin(JAVA_HIGH, "probedom")),
                "--timeout-ms",
                "30000");
        String printed = out + "\n" + err;
        notes.add("o2net probe against the kernel:\n" + printed.strip());
        assertEquals(0, code, "o2net probe against the kernel exited " + code + ":\n" + printed);
        assertTrue(
                printed.contains("theirs: 000000000000000b 0000000000000001 00002ee0 00001388 000003e8 000007d0"),
                "the probe should print the kernel's v11 handshake (heartbeat 12000, idle 5000, keepalive 1000, "
                        + "reconnect 2000 ms):\n" + printed);
        assertTrue(printed.contains("keepalive round trips (5): min "), "no keepalive round trips:\n" + printed);
        assertTrue(
                printed.contains("status " + JOIN_OK_NO_MAP),
                "the probe's DLM_QUERY_JOIN_MSG should return JOIN_OK_NO_MAP (" + JOIN_OK_NO_MAP + "):\n" + printed);
        int mark2 = guest.console().mark();
        high.startNet(IDLE_MS);
        guest.console()
                .await(
                        mark2,
                        Pattern.compile("o2net: Accepted connection from node java2"),
                        LONG,
                        "the kernel to accept node 2 again after the probe");
        timings.put("probe: handshake, 5 keepalive round trips and a call against the kernel", ms(t));
    }

    /** Captures the kernel's heartbeat blocks when {@code -Dkernel.lab.captureBlocks=<dir>} is given. */
    @Test
    @Order(12)
    void theKernelsHeartbeatBlocksDecode() throws Exception {
        String dir = System.getProperty("kernel.lab.captureBlocks");
        List<HeartbeatBlock> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long seq = seen.isEmpty() ? -1 : seen.get(seen.size() - 1).seq();
            awaitTrue(
                    "the kernel to write a new heartbeat block",
                    LONG,
                    () -> {
                        try {
                            return HeartbeatBlock.decode(readSlot(KERNEL), KERNEL)
                                            .seq()
                                    != seq;
                        } catch (Exception e) {
                            return false;
                        }
                    },
                    () -> "");
            byte[] raw = readSlot(KERNEL);
            HeartbeatBlock b = HeartbeatBlock.decode(raw, KERNEL);
            seen.add(b);
            if (dir != null) {
                Path out = Path.of(dir).resolve("kernel-node-" + KERNEL + "-block-" + i + ".bin");
                Files.createDirectories(out.getParent());
                Files.write(out, raw);
            }
        }
        assertEquals(
                1, seen.stream().map(HeartbeatBlock::generation).distinct().count(), "generation changed: " + seen);
        assertEquals(DEAD_THRESHOLD * 2000, seen.get(0).deadMs(), "hb_dead_ms of the kernel's block");
    }

    // ----------------------------------------------------------------------------------------------------------------

    static byte[] readSlot(int node) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(region.toFile(), "r")) {
            byte[] b = new byte[BLOCK_BYTES];
            f.seek((START_BLOCK + node) * BLOCK_BYTES);
            f.readFully(b);
            return b;
        }
    }

    static void recordLines(String what, int mark) {
        for (String l : guest.console().linesFrom(mark)) {
            if (l.contains("o2net") || l.contains("o2hb")) {
                notes.add(what + ": " + l);
            }
        }
    }

    static long ms(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    static void awaitTrue(String what, Duration timeout, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout.toSeconds() + " s waiting for " + what + "; " + state.get()
                        + "\nkernel console's last lines:\n" + guest.console().tail(15));
            }
            GuestConsole.sleep(100);
        }
    }
}
