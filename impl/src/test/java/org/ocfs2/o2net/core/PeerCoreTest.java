// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ocfs2.o2net.core.CorePair.R;
import static org.ocfs2.o2net.core.CorePair.S;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ocfs2.o2net.wire.Errno;
import org.ocfs2.o2net.wire.Magic;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.SysStatus;

/**
 * The protocol core, action by action, against the scenarios of spec/tla/ReliableO2net.tla and spec/tla/O2net.tla.
 */
class PeerCoreTest {

    private static CallResult ok(String payload) {
        return new CallResult(SysStatus.NONE, CorePair.statusOf(payload.getBytes()));
    }

    @Test
    void callReturnsOnlyAfterTheRemovalIsConfirmed() {
        CorePair p = new CorePair(true);
        p.connect();
        TestCall w = p.call(S, "a");
        O2netMsg msg = p.side(R).inbox.peek();
        assertEquals(Magic.MSG, msg.magic());
        assertEquals(1, msg.msgSeq());

        p.deliver(R); // RecvMsg: MH inserted, handler queued
        assertEquals(1, p.core(R).messageHolders().size());
        p.finishHandler(R); // RunHandler: status stored and sent
        assertTrue(p.core(R).messageHolders().get(0).done());
        p.deliver(S); // RecvStatus: kept, MH_REMOVE sent
        assertFalse(w.future().isDone(), "the call must not return before MH_REMOVED");
        assertEquals(Map.of(1L, "REMOVE"), p.core(S).heldView());
        assertEquals(Magic.MH_REMOVE, p.side(R).inbox.peek().magic());
        p.deliver(R); // RecvRemove: MH gone, MH_REMOVED sent
        assertTrue(p.core(R).messageHolders().isEmpty());
        p.deliver(S); // RecvRemoved: the call returns
        assertEquals(ok("a"), w.future().join());
        assertTrue(p.core(S).heldView().isEmpty());
        assertEquals(List.of(Action.Connect, Action.Send, Action.RecvStatus, Action.RecvRemoved), p.side(S).actions);
        assertEquals(List.of(Action.Connect, Action.RecvMsg, Action.RunHandler, Action.RecvRemove), p.side(R).actions);
    }

    @Test
    void resetAfterTheHandlerRanResendsAndGetsTheStoredStatus() {
        CorePair p = new CorePair(true);
        p.connect();
        TestCall w = p.call(S, "a");
        p.deliver(R);
        p.finishHandler(R); // the status is in flight ...
        p.reset(); // ... and lost
        assertFalse(w.future().isDone(), "a reset must not fail a reliable call");
        p.connect(); // S re-sends the MSG; R finds the MH: a duplicate
        p.quiesce();
        assertEquals(ok("a"), w.future().join());
        assertEquals(1, p.runs.get("a"));
        assertEquals(1, p.core(R).stats().duplicates);
        assertEquals(0, p.core(R).stats().mhCount);
    }

    @Test
    void duplicateWhileTheHandlerRunsSendsNothingUntilTheStatusIsStored() {
        CorePair p = new CorePair(true);
        p.connect();
        TestCall w = p.call(S, "a");
        p.deliver(R); // handler queued, not finished
        p.reset();
        p.connect();
        p.deliver(R); // the re-sent MSG: RecvDup while RUNNING
        assertTrue(p.side(S).inbox.isEmpty(), "no status may be sent before the handler stored it");
        assertTrue(p.side(R).actions.contains(Action.RecvDup));
        p.quiesce(); // the handler finishes on the new connection and sends its status there
        assertEquals(ok("a"), w.future().join());
        assertEquals(1, p.runs.get("a"));
    }

    @Test
    void lostRemovedIsRepairedByResendingTheRemoveNeverTheMessage() {
        CorePair p = new CorePair(true);
        p.connect();
        TestCall w = p.call(S, "a");
        p.deliver(R);
        p.finishHandler(R);
        p.deliver(S); // status kept, MH_REMOVE in flight
        p.deliver(R); // MH removed, MH_REMOVED in flight ...
        p.reset(); // ... and lost
        p.connect();
        assertEquals(Magic.MH_REMOVE, p.side(R).inbox.peek().magic(), "S must re-send MH_REMOVE, not the MSG");
        p.quiesce(); // R confirms the removal of an MH it no longer has
        assertEquals(ok("a"), w.future().join());
        assertEquals(1, p.runs.get("a"));
    }

    @Test
    void senderRestartFreesOldMhsAndTheRunningHandlerBecomesAnOrphan() {
        CorePair p = new CorePair(true);
        p.connect();
        p.call(S, "old");
        p.deliver(R); // MH seq 1 RUNNING for the old S
        p.restart(S); // S starts again: msg_seq restarts at 1
        TestCall w = p.call(S, "new");
        assertEquals(1, w.msgSeq());
        p.connect(); // R sees S's new incarnation: frees the old MHs
        assertEquals(1, p.core(R).orphanCount());
        p.deliver(R); // seq 1 again: a new MH, not a duplicate
        p.finishHandler(R); // the OLD handler finishes: RunOrphan, nothing stored or sent
        assertTrue(p.side(R).actions.contains(Action.RunOrphan));
        assertTrue(p.side(S).inbox.isEmpty());
        p.quiesce();
        assertEquals(ok("new"), w.future().join(), "the new call must get its own handler's status");
        assertEquals(1, p.runs.get("old"));
        assertEquals(1, p.runs.get("new"));
        assertEquals(0, p.core(R).orphanCount());
    }

    @Test
    void receiverRestartFailsHeldCallsWithEhostdownInsteadOfRunningThemAgain() {
        CorePair p = new CorePair(true);
        p.connect();
        TestCall w = p.call(S, "a");
        p.deliver(R);
        p.finishHandler(R); // the handler ran on the old R
        p.restart(R); // R's MH tree is gone
        p.connect(); // S sees R's new incarnation
        assertEquals(CallResult.DIED, w.future().join());
        p.quiesce();
        assertEquals(1, p.runs.get("a"), "the handler must not run again on the new R");
    }

    @Test
    void nodeDownOfTheIncarnationInUseFailsCallsAndFreesMhs() {
        CorePair p = new CorePair(true);
        p.connect();
        TestCall w = p.call(S, "a");
        p.call(R, "b");
        p.deliver(S); // S holds an MH for R's call "b"
        long rInc = p.core(R).incarnation();
        p.core(S).nodeDown(rInc, p.now());
        assertEquals(CallResult.DIED, w.future().join());
        assertEquals(0, p.core(S).stats().mhCount);
        assertEquals(1, p.side(S).disconnects.size());
        TestCall refused = p.call(S, "c");
        assertEquals(Errno.ENOTCONN, refused.refused(), "the core refuses a call to a dead peer");
        assertEquals(-1, refused.msgNum(), "a refused call is never numbered");
        p.core(S).nodeUp(rInc, p.now());
        assertEquals(null, p.call(S, "c").refused()); // calls may start again
    }

    @Test
    void nodeDownOfAnOldIncarnationIsIgnored() {
        CorePair p = new CorePair(true);
        p.connect();
        long oldInc = p.core(R).incarnation();
        p.restart(R);
        p.connect(); // the handshake already showed R's new incarnation
        TestCall w = p.call(S, "a");
        p.core(S).nodeDown(oldInc, p.now());
        assertFalse(w.future().isDone(), "old news must not fail a call bound to the new incarnation");
        assertTrue(p.core(S).connected());
        p.quiesce();
        assertEquals(ok("a"), w.future().join());
    }

    /** Found by CoreInterleavingTest (and then by TLC with 2 restarts): a node-up shows a newer incarnation. */
    @Test
    void nodeUpOfANewerIncarnationEndsTheOldSessionSoNewCallsSurviveTheHandshake() {
        CorePair p = new CorePair(true);
        long gen1 = p.core(R).incarnation();
        p.restart(R);
        p.connect(); // session with R's second incarnation
        p.core(S).nodeDown(gen1, p.now()); // old news: the session stays
        p.restart(R); // R's third incarnation
        p.core(S).nodeUp(p.core(R).incarnation(), p.now());
        assertEquals(0, p.core(S).peerIncarnation(), "the session with the dead incarnation must end at node-up");
        TestCall w = p.call(S, "a");
        p.connect();
        p.quiesce();
        assertEquals(ok("a"), w.future().join(), "a call made after node-up must not fail at the handshake");
    }

    @Test
    void messagesSentWhileDisconnectedGoOutInSeqOrderOnConnect() {
        CorePair p = new CorePair(true);
        TestCall a = p.call(S, "a");
        TestCall b = p.call(S, "b");
        assertTrue(p.side(R).inbox.isEmpty());
        assertEquals(Map.of(1L, "UNSENT", 2L, "UNSENT"), p.core(S).heldView());
        p.connect();
        assertEquals(
                List.of(1L, 2L), p.side(R).inbox.stream().map(O2netMsg::msgSeq).toList());
        p.quiesce();
        assertEquals(ok("a"), a.future().join());
        assertEquals(ok("b"), b.future().join());
    }

    @Test
    void msgNumIsTheLowestFreeIdAndMsgSeqIsNeverReused() {
        CorePair p = new CorePair(true);
        p.connect();
        TestCall a = p.call(S, "a");
        p.quiesce();
        TestCall b = p.call(S, "b");
        assertEquals(a.msgNum(), b.msgNum(), "msg_num is reused at once, as idr_alloc does");
        assertEquals(a.msgSeq() + 1, b.msgSeq());
    }

    @Test
    void unexpectedRemovedIsAProtocolError() {
        CorePair p = new CorePair(true);
        p.connect();
        O2netMsg bogus =
                O2netMsg.request(7, 1, 0, 9, new byte[0]).removeRequest().removedReply();
        ProtocolException e =
                assertThrows(ProtocolException.class, () -> p.core(S).receive(bogus, 0));
        assertTrue(e.getMessage().contains("msg_seq 9"), e.getMessage());
    }

    @Test
    void removeWhileTheHandlerRunsIsAProtocolError() {
        CorePair p = new CorePair(true);
        p.connect();
        O2netMsg msg = O2netMsg.request(7, 1, 0, 1, new byte[0]);
        p.core(R).receive(msg, 0);
        assertThrows(ProtocolException.class, () -> p.core(R).receive(msg.removeRequest(), 0));
    }

    @Test
    void v11ResetFailsWrittenCallsWithDiedWhetherOrNotTheHandlerRan() {
        CorePair p = new CorePair(false);
        p.connect();
        TestCall ran = p.call(S, "ran");
        TestCall lost = p.call(S, "lost");
        p.deliver(R);
        p.finishHandler(R); // "ran" ran; its status is in flight
        p.reset();
        assertEquals(CallResult.DIED, ran.future().join());
        assertEquals(CallResult.DIED, lost.future().join());
        assertEquals(1, p.runs.get("ran"));
        assertEquals(null, p.runs.get("lost"), "the lost message is never handled: the o2dlm hang");
    }

    @Test
    void v11StatusOfAnOldConnectionIsNotSentOnTheNewOne() {
        CorePair p = new CorePair(false);
        p.connect();
        TestCall a = p.call(S, "a");
        p.deliver(R); // handler queued on R
        p.reset(); // "a" dies with DIED
        p.connect();
        TestCall b = p.call(S, "b"); // reuses msg_num 0
        assertEquals(a.msgNum(), b.msgNum());
        p.finishHandler(R); // "a"'s handler ends: its reply must not complete "b"
        assertTrue(p.side(S).inbox.stream().noneMatch(f -> f.magic() == Magic.STATUS));
        p.quiesce();
        assertEquals(ok("b"), b.future().join());
        assertEquals(CallResult.DIED, a.future().join());
    }

    @Test
    void v11HasNoSeqAndNoMessageHolder() {
        CorePair p = new CorePair(false);
        p.connect();
        TestCall w = p.call(S, "a");
        assertEquals(0, p.side(R).inbox.peek().msgSeq());
        p.quiesce();
        assertEquals(ok("a"), w.future().join());
        assertTrue(p.core(R).messageHolders().isEmpty());
        assertEquals(List.of(Action.Connect, Action.Send, Action.RecvStatus), p.side(S).actions);
    }

    /** O2net's {@code Send} guard {@code conn = "up"}: a v11 call made while disconnected waits in the core. */
    @Test
    void v11CallMadeWhileDisconnectedWaitsUnnumberedAndTakesItsSendStepOnConnect() {
        CorePair p = new CorePair(false);
        TestCall a = p.call(S, "a");
        TestCall b = p.call(S, "b");
        assertEquals(-1, a.msgNum(), "no Send step yet: the spec's guard conn = \"up\" does not hold");
        assertEquals(Map.of(), p.core(S).heldView());
        assertEquals(List.of(), p.side(S).actions);
        assertEquals(2, p.core(S).stats().unsentCount);
        assertEquals(
                List.of("a", "b"),
                p.core(S).snapshot().unsent().stream().map(String::new).toList());
        assertEquals(List.of(a, b), p.core(S).calls());
        p.reset(); // no connection to lose: the waiting calls are not touched
        assertFalse(a.future().isDone());

        p.connect();
        assertEquals(List.of(Action.Connect, Action.Send, Action.Send), p.side(S).actions);
        assertEquals(0, a.msgNum());
        assertEquals(1, b.msgNum());
        assertEquals(0, p.core(S).stats().unsentCount);
        assertEquals(2, p.core(S).stats().calls);
        p.quiesce();
        assertEquals(ok("a"), a.future().join());
        assertEquals(ok("b"), b.future().join());
    }

    @Test
    void v11NodeDownRefusesTheCallsWaitingForAConnection() {
        CorePair p = new CorePair(false);
        TestCall a = p.call(S, "a");
        p.core(S).nodeDown(p.core(R).incarnation(), p.now());
        assertEquals(Errno.ENOTCONN, a.refused());
        assertEquals(List.of(), p.core(S).calls());
        p.core(S).nodeUp(p.core(R).incarnation(), p.now());
        p.connect();
        assertEquals(List.of(Action.HbNodeDown, Action.HbNodeUp, Action.Connect), p.side(S).actions);
        assertTrue(p.side(R).inbox.isEmpty(), "a refused call is never written");
    }

    @Test
    void v11RefuseUnsentRefusesOnlyTheWaitingCalls() {
        CorePair p = new CorePair(false);
        p.connect();
        TestCall written = p.call(S, "written");
        p.reset(); // "written" dies with DIED
        TestCall waiting = p.call(S, "waiting");
        p.core(S).refuseUnsent(Errno.ENOTCONN, "handshake failed");
        assertEquals(CallResult.DIED, written.future().join());
        assertEquals(Errno.ENOTCONN, waiting.refused());
        assertEquals(0, p.core(S).stats().unsentCount);
    }

    @Test
    void stopRefusesEveryCallInProgressWithEhostdown() {
        for (boolean reliable : new boolean[] {true, false}) {
            CorePair p = new CorePair(reliable);
            p.connect();
            TestCall written = p.call(S, "written");
            p.reset();
            TestCall waiting = p.call(S, "waiting");
            p.core(S).stop("node 2 is shutting down");
            assertEquals(reliable ? Errno.EHOSTDOWN : null, written.refused(), "v11: DIED at the reset already");
            assertEquals(Errno.EHOSTDOWN, waiting.refused());
            assertEquals(List.of(), p.core(S).calls());
            assertEquals(0, p.core(S).stats().heldCount);
        }
    }

    @Test
    void v12CallsNeverWaitOutsideTheHeldMessages() {
        CorePair p = new CorePair(true);
        TestCall a = p.call(S, "a");
        assertEquals(1, a.msgSeq(), "v12's Send has no connection guard: the call is numbered and held at once");
        assertEquals(Map.of(1L, "UNSENT"), p.core(S).heldView());
        assertEquals(List.of(), p.core(S).snapshot().unsent());
    }
}
