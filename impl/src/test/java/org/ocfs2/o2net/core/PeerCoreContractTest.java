// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.ocfs2.o2net.core.CorePair.R;
import static org.ocfs2.o2net.core.CorePair.S;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ocfs2.o2net.wire.Errno;
import org.ocfs2.o2net.wire.Magic;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.ProtocolVersion;
import org.ocfs2.o2net.wire.SysStatus;

/**
 * What the core promises besides the spec's actions: its argument checks, its identity, and what debugfs shows
 * ({@code send_tracking}, the per-peer counters). Added for mutants of PIT's first run that no test killed
 * (conformance/README.md, "Detection power: mutation testing").
 */
class PeerCoreContractTest {
    private static final Effects<TestCall> NONE = new Effects<>() {
        @Override
        public void write(O2netMsg frame) {}

        @Override
        public void runHandler(MessageHolder mh) {}

        @Override
        public void complete(TestCall call, CallResult result) {}

        @Override
        public void refuse(TestCall call, Errno errno, String why) {}

        @Override
        public void disconnect(String why) {}
    };

    @Test
    void incarnationZeroIsRefusedInV12AndIgnoredInV11() {
        assertThrows(IllegalArgumentException.class, () -> new PeerCore<>(1, 2, true, 0, NONE));
        assertThrows(IllegalArgumentException.class, () -> new PeerCore<>(1, 1, false, 5, NONE));
        PeerCore<TestCall> v11 = new PeerCore<>(1, 2, false, 0, NONE);
        v11.connect(0, 1); // v11 has no incarnation in its handshake
        assertEquals(true, v11.connected());
        PeerCore<TestCall> v12 = new PeerCore<>(1, 2, true, 7, NONE);
        assertThrows(ProtocolException.class, () -> v12.connect(0, 1));
    }

    @Test
    void identityAndThePeersIncarnationFromTheHandshake() {
        CorePair p = new CorePair(true);
        assertEquals(S, p.core(S).node());
        assertEquals(R, p.core(S).peer());
        assertEquals(0, p.core(S).peerIncarnation(), "no handshake yet");
        p.connect();
        assertEquals(p.core(R).incarnation(), p.core(S).peerIncarnation());
    }

    /**
     * The core checks a call's {@code msg_type} and payload when it takes it: it writes its requests from their
     * fields, so no frame constructor checks them on the way. The largest of each is taken.
     */
    @Test
    void aCallsMsgTypeAndPayloadAreCheckedAgainstTheWireFields() {
        PeerCore<TestCall> core = new PeerCore<>(1, 2, true, 7, NONE);
        core.connect(9, 1);
        byte[] max = new byte[O2netMsg.MAX_PAYLOAD_BYTES];
        assertThrows(IllegalArgumentException.class, () -> core.send(new TestCall("a"), -1, 1, max, "c", 2));
        assertThrows(
                IllegalArgumentException.class,
                () -> core.send(new TestCall("b"), O2netMsg.MAX_MSG_TYPE + 1, 1, max, "c", 2));
        assertThrows(
                IllegalArgumentException.class,
                () -> core.send(new TestCall("c"), 7, 1, new byte[O2netMsg.MAX_PAYLOAD_BYTES + 1], "c", 2));
        assertThrows(NullPointerException.class, () -> core.send(new TestCall("d"), 7, 1, null, "c", 2));
        assertEquals(0, core.stats().calls, "nothing refused was taken");
        core.send(new TestCall("e"), O2netMsg.MAX_MSG_TYPE, 1, max, "c", 2);
        core.send(new TestCall("f"), 0, 1, new byte[0], "c", 2);
        assertEquals(2, core.stats().calls);
    }

    /**
     * The STATUS R writes is the kernel's reply to its request: the request's {@code msg_type}, {@code key},
     * {@code msg_num} and {@code msg_seq}, the handler's {@code sys_status} and status; and a duplicate of a request
     * whose Message Holder is DONE is answered with the same fields from the holder (the core writes them as fields,
     * {@code Effects.writeStatus}, whose default builds this frame).
     */
    @Test
    void theStatusCarriesTheRequestsHeaderAndTheHandlersStatus() {
        for (ProtocolVersion v : ProtocolVersion.values()) {
            CorePair p = new CorePair(v, 4);
            p.connect();
            p.core(S).send(new TestCall("x"), 0xbeef, 0xcafe0001, "x".getBytes(), "c", 1);
            O2netMsg request = p.side(R).inbox.peek();
            p.deliver(R);
            MessageHolder mh = p.side(R).handlers.remove(0);
            assertEquals(0xbeef, mh.msgType());
            assertEquals(0xcafe0001, mh.key());
            assertEquals(request.msgNum(), mh.msgNum());
            p.core(R).handlerDone(mh, SysStatus.NO_HNDLR.code(), -22, 2);
            O2netMsg status = p.side(S).inbox.peekLast();
            String where = v + ": " + status;
            assertEquals(Magic.STATUS, status.magic(), where);
            assertEquals(0xbeef, status.msgType(), where);
            assertEquals(0xcafe0001, status.key(), where);
            assertEquals(request.msgNum(), status.msgNum(), where);
            assertEquals(request.msgSeq(), status.msgSeq(), where);
            assertEquals(SysStatus.NO_HNDLR.code(), status.sysStatus(), where);
            assertEquals(-22, status.status(), where);
            if (v.reliable()) {
                p.core(R).receive(request, 3); // a duplicate: RecvDup answers from the DONE holder
                O2netMsg again = p.side(S).inbox.peekLast();
                assertEquals(status.withAck(again.ack()), again, v + ": the duplicate's STATUS");
                assertEquals(2, p.side(S).inbox.size(), v + ": one STATUS per copy of the request");
            }
        }
    }

    @Test
    void peerAliveFollowsTheHeartbeat() {
        PeerCore<TestCall> core = new PeerCore<>(1, 2, true, 7, NONE);
        assertEquals(true, core.peerAlive(), "a peer is alive until the heartbeat says otherwise");
        core.nodeDown(0, 1);
        assertEquals(false, core.peerAlive(), "after HbNodeDown");
        core.nodeUp(9, 2);
        assertEquals(true, core.peerAlive(), "after HbNodeUp");
    }

    @Test
    void theCallsInProgressAreListedInTheOrderTheyStarted() {
        for (boolean reliable : new boolean[] {false, true}) {
            CorePair p = new CorePair(reliable);
            p.connect();
            TestCall first = new TestCall("first");
            TestCall second = new TestCall("second");
            TestCall third = new TestCall("third");
            p.core(S).send(first, 7, 1, "1".getBytes(), "c1", 20);
            p.core(S).send(second, 7, 1, "2".getBytes(), "c2", 10);
            p.core(S).send(third, 7, 1, "3".getBytes(), "c3", 30);
            assertEquals(List.of(first, second, third), p.core(S).calls(), "reliable " + reliable);
            assertEquals(3, first.msgNum() + second.msgNum() + third.msgNum(), "msg_num: the lowest free ids");
        }
    }

    @Test
    void countersCountCallsResendsStaleStatusesAndFailedCalls() {
        CorePair p = new CorePair(true);
        p.call(S, "a");
        p.call(S, "b");
        p.connect(); // both written again on the first connection
        p.reset();
        p.connect(); // and again
        PeerCore.Stats s = p.core(S).stats();
        assertEquals(2, s.calls);
        assertEquals(4, s.resends);
        assertEquals(2, s.heldCount);
        O2netMsg stray = O2netMsg.request(7, 1, 9, 99, new byte[0]).statusReply(SysStatus.NONE, 0);
        p.core(S).receive(stray, p.now());
        p.core(S).receive(stray, p.now());
        assertEquals(2, p.core(S).stats().staleStatuses);
        p.restart(R);
        p.connect(); // a new incarnation of R: both held calls fail
        assertEquals(2, p.core(S).stats().failedCalls);

        CorePair v11 = new CorePair(false);
        v11.call(S, "x");
        v11.connect(); // written for the first time: not a resend
        assertEquals(0, v11.core(S).stats().resends, "v11 never resends");
        v11.call(S, "y");
        v11.reset(); // v11: every written call dies
        assertEquals(2, v11.core(S).stats().failedCalls);
    }
}
