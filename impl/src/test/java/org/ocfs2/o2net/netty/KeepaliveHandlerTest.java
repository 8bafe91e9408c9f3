// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ocfs2.o2net.config.ClusterConfig;
import org.ocfs2.o2net.wire.Magic;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.ProtocolVersion;
import org.ocfs2.o2net.wire.WirePipeline;

/** {@link KeepaliveHandler} on an {@link EmbeddedChannel} with frozen time. */
class KeepaliveHandlerTest {
    private final ClusterConfig config = Wire.config(1);
    private final List<String> events = new ArrayList<>();
    private final List<Object> passed = new ArrayList<>();
    private EmbeddedChannel ch;
    /** The handler's clock, advanced with the channel's frozen time. */
    private long nanos;

    @BeforeEach
    void setUp() {
        ch = new EmbeddedChannel();
        ch.freezeTime();
        WirePipeline.addLast(ch.pipeline(), Wire.handshake(config));
        ch.pipeline()
                .addLast(new KeepaliveHandler(
                        Wire.KEEPALIVE_MS,
                        Wire.IDLE_MS,
                        "node b (num 2) at 127.0.0.2:7777",
                        new KeepaliveHandler.Listener() {
                            @Override
                            public void keepaliveSent() {
                                events.add("sent");
                            }

                            @Override
                            public void keepaliveReceived() {
                                events.add("received");
                            }

                            @Override
                            public void idleTimeout() {
                                events.add("idle");
                            }
                        },
                        () -> nanos));
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                passed.add(msg);
            }
        });
    }

    @AfterEach
    void tearDown() {
        ch.finishAndReleaseAll();
    }

    private void handshake() {
        ch.writeInbound(Wire.bytes(Wire.handshake(Wire.config(2))));
    }

    private void receive(O2netMsg msg) {
        ch.writeInbound(Wire.bytes(msg, ProtocolVersion.V12));
    }

    private void advance(long ms) {
        ch.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
        nanos += TimeUnit.MILLISECONDS.toNanos(ms);
        ch.runScheduledPendingTasks();
    }

    @Test
    void sendsKeepaliveAfterKeepaliveDelayOfSilence() {
        handshake();
        advance(Wire.KEEPALIVE_MS - 1);
        assertEquals(List.of(), Wire.magics(Wire.outbound(ch)));
        advance(1);
        assertEquals(List.of(Magic.KEEP_REQ), Wire.magics(Wire.outbound(ch)));
        assertEquals(List.of("sent"), events);
        // Not repeated until something is received: the peer's KEEP_RESP re-arms it.
        advance(Wire.KEEPALIVE_MS);
        assertEquals(List.of(), Wire.magics(Wire.outbound(ch)));
        receive(O2netMsg.keepResp());
        advance(Wire.KEEPALIVE_MS);
        assertEquals(List.of(Magic.KEEP_REQ), Wire.magics(Wire.outbound(ch)));
        assertTrue(ch.isOpen());
    }

    @Test
    void noKeepaliveBeforeTheHandshake() {
        advance(Wire.IDLE_MS - 1);
        assertEquals(List.of(), Wire.outbound(ch));
    }

    @Test
    void answersKeepReqWithKeepRespAndSwallowsKeepalives() {
        handshake();
        receive(O2netMsg.keepReq());
        List<byte[]> out = Wire.outbound(ch);
        assertEquals(1, out.size());
        assertEquals(24, out.get(0).length);
        assertEquals(List.of(Magic.KEEP_RESP), Wire.magics(out));
        receive(O2netMsg.keepResp());
        assertEquals(List.of(), passed, "keepalives do not go past the keepalive handler");
        assertEquals(List.of("received", "received"), events);
    }

    @Test
    void idleTimeoutClosesTheConnectionAndLogs() {
        try (LogCapture log = new LogCapture()) {
            handshake();
            advance(Wire.IDLE_MS - 1);
            assertTrue(ch.isOpen());
            advance(1);
            assertFalse(ch.isOpen());
            assertTrue(events.contains("idle"), events::toString);
            assertTrue(
                    log.contains(
                            "o2net: Connection to node b (num 2) at 127.0.0.2:7777 has been idle for 3.0 " + "secs."),
                    log::text);
        }
    }

    @Test
    void idleTimerRunsBeforeTheHandshakeToo() {
        try (LogCapture log = new LogCapture()) {
            advance(Wire.IDLE_MS);
            assertFalse(ch.isOpen(), "a peer that never sends its handshake is dropped");
            assertTrue(log.contains("has been idle for"), log::text);
        }
    }

    @Test
    void receivedFramePostponesKeepaliveAndIdleTimer() {
        handshake();
        O2netMsg request = O2netMsg.request(7, 0x1234, 0, 1, new byte[] {1, 2, 3});
        // keepalive: 900 ms of silence, a frame, 900 ms more: no KEEP_REQ yet; it comes 1000 ms after the frame.
        advance(Wire.KEEPALIVE_MS - 100);
        receive(request);
        advance(Wire.KEEPALIVE_MS - 100);
        assertEquals(List.of(), Wire.magics(Wire.outbound(ch)));
        advance(100);
        assertEquals(List.of(Magic.KEEP_REQ), Wire.magics(Wire.outbound(ch)));
        assertEquals(List.of(request), passed, "other frames go on");
        // idle: a frame just before the timeout starts it again.
        advance(Wire.IDLE_MS - Wire.KEEPALIVE_MS - 1);
        assertTrue(ch.isOpen());
        receive(O2netMsg.keepResp());
        advance(Wire.IDLE_MS - 1);
        assertTrue(ch.isOpen());
        try (LogCapture log = new LogCapture()) {
            advance(1);
            assertFalse(ch.isOpen());
            assertTrue(log.contains("has been idle for 3.0 secs."), log::text);
        }
    }

    @Test
    void rejectsInconsistentTimeouts() {
        assertThrows(IllegalArgumentException.class, () -> new KeepaliveHandler(0, 10, "x", null));
        assertThrows(IllegalArgumentException.class, () -> new KeepaliveHandler(10, 10, "x", null));
    }
}
