// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ocfs2.o2net.core.CorePair.R;
import static org.ocfs2.o2net.core.CorePair.S;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ocfs2.o2net.wire.Magic;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.ProtocolVersion;
import org.ocfs2.o2net.wire.SysStatus;

/** Protocol v13, action by action, against the scenarios and the counterexamples of spec/tla/AckO2net.tla. */
class AckCoreTest {

    private static CallResult ok(String payload) {
        return new CallResult(SysStatus.NONE, CorePair.statusOf(payload.getBytes()));
    }

    private static CorePair pair(int window) {
        CorePair p = new CorePair(ProtocolVersion.V13, window);
        p.connect();
        return p;
    }

    @Test
    void callReturnsAtItsStatusAndTheQuietLinksAckFreesTheMessageHolder() {
        CorePair p = pair(4);
        TestCall a = p.call(S, "a");
        O2netMsg msg = p.side(R).inbox.peek();
        assertEquals(Magic.MSG, msg.magic());
        assertEquals(1, msg.msgSeq());
        assertEquals(0, msg.ack(), "nothing finished yet");
        p.deliver(R); // RecvMsg
        p.finishHandler(R); // RunHandler: status stored and sent
        p.deliver(S); // RecvStatus: the call returns now, one round trip
        assertEquals(ok("a"), a.future().join());
        assertEquals(1, p.core(S).ack());
        assertEquals(1, p.core(R).messageHolders().size(), "the MH stays until S's ack reaches R");
        assertEquals(1, p.side(S).ackPending, "the delayed ack is asked for");
        assertTrue(p.ackTimer(S)); // SendAck
        O2netMsg ack = p.side(R).inbox.peek();
        assertEquals(O2netMsg.ackFrame(1), ack);
        p.deliver(R); // RecvAck
        assertTrue(p.core(R).messageHolders().isEmpty());
        assertEquals(List.of(Action.Connect, Action.Send, Action.RecvStatus, Action.SendAck), p.side(S).actions);
        assertEquals(List.of(Action.Connect, Action.RecvMsg, Action.RunHandler, Action.RecvAck), p.side(R).actions);
        assertEquals(1, p.core(R).stats().mhFreedByAck);
        assertEquals(1, p.core(S).stats().acksSent, "one ACK frame written");
        assertEquals(1, p.core(R).stats().acksReceived, "one ACK frame read");
    }

    @Test
    void theNextMsgCarriesTheAckAndTheTimerThenWritesNothing() {
        CorePair p = pair(4);
        p.call(S, "a");
        p.deliver(R);
        p.finishHandler(R);
        p.deliver(S);
        p.call(S, "b");
        O2netMsg b = p.side(R).inbox.peek();
        assertEquals(2, b.msgSeq());
        assertEquals(1, b.ack(), "the MSG carries the ack");
        p.deliver(R); // RecvMsg of b, after freeing MH 1
        assertEquals(List.of(2L), seqs(p.core(R).messageHolders()));
        assertTrue(p.ackTimer(S));
        assertTrue(p.side(R).inbox.isEmpty(), "no ACK frame: the MSG carried it");
        assertEquals(0, p.core(S).stats().acksSent);
    }

    /**
     * Found by the logs tier (TraceAckRunsTest: a {@code SendAck} after the node's {@code Restart}): a core whose node
     * stopped has emptied its held set, so its ack would claim the unanswered messages finished; its delayed-ack
     * timer, still due, must write nothing.
     */
    @Test
    void aStoppedCoresDelayedAckTimerWritesNothing() {
        CorePair p = pair(4);
        p.call(S, "a");
        p.deliver(R);
        p.finishHandler(R);
        p.deliver(S); // RecvStatus: ack 1, the timer asked for
        p.call(S, "b"); // msg_seq 2, no status yet
        p.deliver(R);
        assertEquals(1, p.core(S).ack());
        p.core(S).stop("node closed");
        assertTrue(p.ackTimer(S));
        assertTrue(p.side(R).inbox.isEmpty(), "no ACK frame from a stopped core");
        assertFalse(p.side(S).actions.contains(Action.SendAck));
        assertEquals(0, p.core(S).stats().acksSent);
    }

    @Test
    void theStatusOfThePeersCallCarriesThisNodesAck() {
        CorePair p = pair(4);
        p.call(S, "a");
        p.deliver(R);
        p.finishHandler(R);
        p.deliver(S); // a returned: S's ack is 1
        TestCall b = p.call(R, "b"); // R calls S
        p.deliver(S);
        p.finishHandler(S); // S's STATUS for b carries S's ack
        O2netMsg status = p.side(R).inbox.peek();
        assertEquals(Magic.STATUS, status.magic());
        assertEquals(1, status.ack());
        p.deliver(R);
        assertEquals(ok("b"), b.future().join());
        assertTrue(p.core(R).messageHolders().stream().noneMatch(m -> m.msgSeq() == 1), "MH 1 freed by the STATUS");
    }

    @Test
    void resetAfterTheHandlerRanResendsAndGetsTheStoredStatusOnce() {
        CorePair p = pair(4);
        TestCall a = p.call(S, "a");
        p.deliver(R);
        p.finishHandler(R); // status in flight
        p.reset(); // lost
        p.connect(); // S re-sends MSG 1
        p.quiesce();
        assertEquals(ok("a"), a.future().join());
        assertEquals(1, p.runs.get("a"));
        assertEquals(1, p.core(R).stats().duplicates);
        assertTrue(p.core(R).messageHolders().isEmpty());
    }

    @Test
    void callersBeyondTheWindowWaitUnnumberedUntilAStatusOpensIt() {
        CorePair p = pair(2);
        TestCall a = p.call(S, "a");
        TestCall b = p.call(S, "b");
        TestCall c = p.call(S, "c");
        assertEquals(1, a.msgSeq());
        assertEquals(2, b.msgSeq());
        assertEquals(-1, c.msgSeq(), "c waits for the window, without a msg_seq");
        assertEquals(2, p.side(R).inbox.size());
        p.deliver(R);
        p.finishHandler(R);
        p.deliver(S); // a returns: the window opens for c
        assertEquals(3, c.msgSeq());
        p.quiesce();
        assertEquals(ok("c"), c.future().join());
        assertTrue(p.core(R).messageHolders().size() <= 2);
    }

    /**
     * The next handshake announces a smaller window (here only the window changes): held messages beyond it wait,
     * numbered, and go out as statuses open it, in msg_seq order.
     */
    @Test
    void heldMessagesBeyondAWindowTheNextHandshakeShrankWaitUntilItOpens() {
        CorePair p = pair(4);
        TestCall[] calls = new TestCall[4];
        for (int i = 0; i < 4; i++) {
            calls[i] = p.call(S, "m" + i);
        }
        p.reset();
        p.side(S).inbox.clear();
        p.side(R).inbox.clear();
        PeerCore<TestCall> s = p.core(S);
        s.connect(p.core(R).incarnation(), 2, 100); // R now announces a window of 2
        p.core(R).connect(s.incarnation(), 4, 101);
        List<Long> written = p.side(R).inbox.stream().map(O2netMsg::msgSeq).toList();
        assertEquals(List.of(1L, 2L), written, "only the two in the new window are written again");
        p.deliver(R);
        p.finishHandler(R);
        p.deliver(S); // m0 returns: ack 1, window (1, 3]: seq 3 goes out
        assertEquals(3, p.side(R).inbox.peekLast().msgSeq());
        p.quiesce();
        for (int i = 0; i < 4; i++) {
            assertEquals(ok("m" + i), calls[i].future().join());
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(1, p.runs.get("m" + i), "m" + i + " ran once");
        }
        assertTrue(p.core(S).heldView().isEmpty());
    }

    @Test
    void aMsgOutsideTheWindowIsRefusedAndClosesTheConnection() {
        CorePair p = pair(2);
        PeerCore<TestCall> r = p.core(R);
        r.receive(O2netMsg.request(7, 1, 1, 3, new byte[0]), 1); // seq 3 > ack 0 + window 2
        assertFalse(r.connected());
        assertTrue(p.side(R).disconnects.get(0).contains("outside its window (0, 2]"), p.side(R).disconnects::toString);
        assertTrue(r.messageHolders().isEmpty());
        assertEquals(List.of(Action.Connect, Action.RefuseMsg), p.side(R).actions);
        assertEquals(1, r.stats().refused);
    }

    @Test
    void anImpostorFloodingFreshMsgSeqNeverGetsMoreThanTheWindowOfMessageHolders() {
        int window = 16;
        CorePair p = pair(window);
        PeerCore<TestCall> r = p.core(R);
        long peerInc = p.core(S).incarnation();
        int max = 0;
        long refused = 0;
        for (long seq = 1; seq <= 100_000; seq++) {
            if (!r.connected()) {
                r.connect(peerInc, window, seq); // the impostor reconnects at once, as the same incarnation
            }
            r.receive(O2netMsg.request(7, 1, (int) seq, seq, new byte[64]), seq); // never acks
            max = Math.max(max, r.messageHolders().size());
            p.side(R).handlers.clear(); // its handlers never even finish
        }
        refused = r.stats().refused;
        assertEquals(window, max, "at most W Message Holders, whatever the peer sends");
        assertEquals(100_000 - window, refused);
    }

    @Test
    void anAckThatCoversARunningHandlerMakesItAnOrphanWhoseStatusIsDropped() {
        CorePair p = pair(4);
        PeerCore<TestCall> r = p.core(R);
        r.receive(O2netMsg.request(7, 1, 1, 1, "x".getBytes()), 1);
        r.receive(O2netMsg.ackFrame(1), 2); // a hostile (or broken) ack: seq 1 has no status yet
        assertTrue(r.messageHolders().isEmpty());
        assertEquals(1, r.orphanCount());
        p.finishHandler(R); // RunOrphan
        assertEquals(0, r.orphanCount());
        assertTrue(p.side(S).inbox.isEmpty(), "the orphan's status goes nowhere");
    }

    @Test
    void aDoneMessageHolderKeepsTheStatusNotThePayload() {
        CorePair p = pair(4);
        p.call(S, "a payload of some length");
        p.deliver(R);
        assertEquals(24, p.core(R).messageHolders().get(0).msg().dataLen());
        p.finishHandler(R);
        MessageHolder mh = p.core(R).messageHolders().get(0);
        assertTrue(mh.done());
        assertEquals(0, mh.msg().dataLen());
        assertEquals(1, mh.msgSeq());
    }

    @Test
    void afterTheReceiverRestartsTheFirstMsgsAckMovesItsWindow() {
        CorePair p = pair(2);
        for (String x : List.of("a", "b", "c")) {
            p.call(S, x);
            p.quiesce();
        }
        assertEquals(3, p.core(S).ack());
        p.restart(R); // R: no MH, ack 0
        p.connect();
        TestCall d = p.call(S, "d"); // seq 4, ack 3: in R's window (3, 5]
        p.quiesce();
        assertEquals(ok("d"), d.future().join());
        assertNull(d.refused());
        assertTrue(p.core(R).messageHolders().isEmpty());
    }

    @Test
    void theAckIsCumulativeAStatusAboveAMissingOneDoesNotMoveIt() {
        CorePair p = pair(4);
        p.call(S, "a");
        p.call(S, "b");
        p.deliver(R);
        p.deliver(R);
        p.finishHandler(R); // a
        p.finishHandler(R); // b
        p.side(S).inbox.pollFirst(); // a's status is lost (as if by a reset later)
        p.deliver(S); // b returns
        assertEquals(0, p.core(S).ack(), "seq 1 is still held: nothing is acknowledged (MCAckHighest)");
        assertFalse(p.ackTimer(S), "no ack to send");
    }

    private static List<Long> seqs(List<MessageHolder> mhs) {
        return mhs.stream().map(MessageHolder::msgSeq).toList();
    }

    /** The window's bound is checked where a window enters: this node's at construction, the peer's in its handshake. */
    @Test
    void aWindowBelowOneIsRefusedInV13AndIgnoredBefore() {
        CorePair p = new CorePair(ProtocolVersion.V13, 1);
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new PeerCore<>(S, R, ProtocolVersion.V13, 5, 0, p.side(S)));
        new PeerCore<>(S, R, ProtocolVersion.V12, 5, 0, p.side(S)); // no window before v13: nothing to check
        org.junit.jupiter.api.Assertions.assertThrows(
                ProtocolException.class, () -> p.core(S).connect(p.core(R).incarnation(), 0, 1));
        assertFalse(p.core(S).connected());
        CorePair v12 = new CorePair(ProtocolVersion.V12, 1);
        v12.core(S).connect(v12.core(R).incarnation(), 0, 1); // a v12 handshake carries no window
        assertTrue(v12.core(S).connected());
    }

    /**
     * A MSG at exactly R's ack is one S finished and acknowledged (its Message Holder is freed): a replay, refused
     * like one above the window, so its handler does not run a second time.
     */
    @Test
    void aMsgAtTheAckItselfIsRefusedNotRunAgain() {
        CorePair p = pair(4);
        p.call(S, "a");
        p.quiesce(); // a returned, S's ACK freed R's Message Holder: R's ack is 1
        assertTrue(p.core(R).messageHolders().isEmpty());
        PeerCore<TestCall> r = p.core(R);
        r.receive(O2netMsg.request(7, 0x1234, 1, 1, "a".getBytes()), p.now());
        assertTrue(p.side(R).handlers.isEmpty(), "the handler does not run again");
        assertEquals(1, r.stats().refused);
        assertFalse(r.connected());
        assertEquals(1, p.runs.get("a"));
    }

    /**
     * A handshake that announces a larger window lets callers waiting for the old one take their Send step at once.
     * R's window is 2; S first learns 1 (an older R's handshake), then 2 on the next connection.
     */
    @Test
    void aHandshakeThatWidensTheWindowStartsTheWaitingCallers() {
        CorePair p = new CorePair(ProtocolVersion.V13, 2);
        p.core(S).connect(p.core(R).incarnation(), 1, p.now());
        p.core(R).connect(p.core(S).incarnation(), 2, p.now());
        TestCall a = p.call(S, "a");
        TestCall b = p.call(S, "b");
        assertEquals(-1, b.msgSeq(), "b waits for the window of 1");
        p.reset();
        p.core(S).connect(p.core(R).incarnation(), 2, p.now()); // R now announces a window of 2
        assertEquals(2, b.msgSeq(), "b took its Send step in the handshake's step");
        assertEquals(
                List.of(1L, 2L), p.side(R).inbox.stream().map(O2netMsg::msgSeq).toList());
        p.core(R).connect(p.core(S).incarnation(), 2, p.now());
        p.quiesce();
        assertEquals(ok("a"), a.future().getNow(null));
        assertEquals(ok("b"), b.future().getNow(null));
    }

    /**
     * Heartbeat shows R at a new incarnation: S forgets the old one and fails its held calls (DIED), which opens the
     * window, so a caller waiting for it takes its Send step then, not only at the next handshake.
     */
    @Test
    void failingTheHeldCallsOpensTheWindowForTheWaitingOnes() {
        CorePair p = pair(1);
        TestCall a = p.call(S, "a");
        TestCall b = p.call(S, "b");
        assertEquals(-1, b.msgSeq());
        long old = p.core(R).incarnation();
        p.restart(R);
        long fresh = p.core(R).incarnation();
        assertTrue(fresh != old);
        p.core(S).nodeUp(fresh, p.now()); // forgets incarnation `old`: a fails
        assertEquals(CallResult.DIED, a.future().getNow(null));
        assertEquals(2, b.msgSeq(), "b is numbered as soon as a's failure opened the window");
        p.connect();
        p.quiesce();
        assertEquals(ok("b"), b.future().getNow(null));
    }
}
