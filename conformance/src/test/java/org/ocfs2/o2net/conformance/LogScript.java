// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.ocfs2.o2net.core.Action;
import org.ocfs2.o2net.core.CallResult;
import org.ocfs2.o2net.core.Effects;
import org.ocfs2.o2net.core.MessageHolder;
import org.ocfs2.o2net.core.PeerCore;
import org.ocfs2.o2net.core.TraceEvent;
import org.ocfs2.o2net.wire.Errno;
import org.ocfs2.o2net.wire.O2netMsg;

/**
 * Two protocol cores, node 2 (S) calling node 1 (R), joined by two FIFO queues and driven by hand, one core call at a
 * time, with a {@link LogRecorder} taking their events: short, deterministic event logs whose every step the test
 * chooses. Calls are numbered (payload: the number in ASCII, handler status: the number, {@link LogCodec#NUMBERED}).
 */
final class LogScript {
    static final int S = 2;
    static final int R = 1;

    final LogRecorder recorder = new LogRecorder(LogCodec.NUMBERED);
    private final Deque<O2netMsg> toR = new ArrayDeque<>();
    private final Deque<O2netMsg> toS = new ArrayDeque<>();
    private final List<MessageHolder> running = new ArrayList<>();
    private long nextInc = 100;
    private Side s = new Side(S, R);
    private Side r = new Side(R, S);

    /** The log so far. */
    List<LogEvent> events() {
        return recorder.events();
    }

    /** S's core connects, having read R's handshake. */
    LogScript connectS() {
        s.core.connect(r.core.incarnation(), 0);
        return this;
    }

    /** R's core connects, having read S's handshake. */
    LogScript connectR() {
        r.core.connect(s.core.incarnation(), 0);
        return this;
    }

    /** R's core connects, having read a handshake from S's incarnation {@code inc} (maybe one that is gone). */
    LogScript connectR(long inc) {
        r.core.connect(inc, 0);
        return this;
    }

    LogScript connect() {
        return connectS().connectR();
    }

    /** {@code caller} on S calls R with call number {@code id}. */
    LogScript send(String caller, int id) {
        s.core.send(id, 7, 0x1234, Integer.toString(id).getBytes(StandardCharsets.US_ASCII), caller, 0);
        return this;
    }

    /** R receives the next frame from S. */
    LogScript toR() {
        r.core.receive(toR.poll(), 0);
        return this;
    }

    /** S receives the next frame from R. */
    LogScript toS() {
        s.core.receive(toS.poll(), 0);
        return this;
    }

    /** The oldest running handler on R returns its call's number. */
    LogScript handler() {
        MessageHolder mh = running.remove(0);
        r.core.handlerDone(mh, 0, Integer.parseInt(new String(mh.msg().payload(), StandardCharsets.US_ASCII)), 0);
        return this;
    }

    /** Both cores reset (S's first), and whatever is in flight is lost. */
    LogScript reset() {
        toR.clear();
        toS.clear();
        s.core.reset(0);
        r.core.reset(0);
        return this;
    }

    /**
     * Only S's core resets: what it had written may still reach R; what R writes from now on is lost, and once both
     * cores have reset, everything in flight is.
     */
    LogScript resetS() {
        s.core.reset(0);
        toS.clear();
        if (!r.core.connected()) {
            toR.clear();
        }
        return this;
    }

    /** Only R's core resets (see {@link #resetS()}). */
    LogScript resetR() {
        r.core.reset(0);
        toR.clear();
        if (!s.core.connected()) {
            toS.clear();
        }
        return this;
    }

    /**
     * R crashes and starts again with a new incarnation while S's core still holds the connection: what R wrote
     * before may still reach S (S's core resets later, {@link #resetS()}).
     */
    LogScript restartRKeepingFlight() {
        recorder.record(TraceEvent.of(R, S, r.core.incarnation(), Action.Restart));
        running.clear();
        r = new Side(R, S);
        toR.clear();
        return this;
    }

    /**
     * S crashes and starts again with a new incarnation while what its core wrote is still in flight: R's core, even
     * one that has not yet read S's handshake on that connection, may still read it ({@link #connectR(long)} with
     * S's old incarnation, then {@link #toR()}). What R writes from now on goes nowhere.
     */
    LogScript restartSKeepingFlight() {
        recorder.record(TraceEvent.of(S, R, s.core.incarnation(), Action.Restart));
        s = new Side(S, R);
        toS.clear();
        return this;
    }

    /** S's heartbeat declares R's incarnation {@code deadInc} dead. */
    LogScript downAtS(long deadInc) {
        s.core.nodeDown(deadInc, 0);
        return this;
    }

    /** S's heartbeat sees R's current incarnation alive. */
    LogScript upAtS() {
        s.core.nodeUp(r.core.incarnation(), 0);
        return this;
    }

    /** R crashes and starts again with a new incarnation; S's core resets. */
    LogScript restartR() {
        recorder.record(TraceEvent.of(R, S, r.core.incarnation(), Action.Restart));
        running.clear();
        r = new Side(R, S);
        toR.clear();
        toS.clear();
        s.core.reset(0);
        return this;
    }

    /** S crashes and starts again with a new incarnation; R's core resets. */
    LogScript restartS() {
        recorder.record(TraceEvent.of(S, R, s.core.incarnation(), Action.Restart));
        s = new Side(S, R);
        toR.clear();
        toS.clear();
        r.core.reset(0);
        return this;
    }

    /** R's heartbeat declares S's incarnation {@code inc} dead, then sees S's current one alive. */
    LogScript heartbeatAtR(long deadInc) {
        r.core.nodeDown(deadInc, 0);
        r.core.nodeUp(s.core.incarnation(), 0);
        return this;
    }

    /** S's heartbeat declares R's incarnation {@code inc} dead, then sees R's current one alive. */
    LogScript heartbeatAtS(long deadInc) {
        s.core.nodeDown(deadInc, 0);
        s.core.nodeUp(r.core.incarnation(), 0);
        return this;
    }

    long incS() {
        return s.core.incarnation();
    }

    long incR() {
        return r.core.incarnation();
    }

    /** A typical short log: calls, a reset with a duplicate, a restart of S with an orphan, a restart of R. */
    static List<LogEvent> typical() {
        LogScript x = new LogScript();
        x.connect()
                .send("c0", 1)
                .send("c1", 2)
                .toR()
                .toR() // RecvMsg 1, 2
                .handler()
                .toS() // RunHandler 1, RecvStatus 1: MH_REMOVE 1
                .reset() // MH_REMOVE 1 lost
                .handler() // RunHandler 2, not connected: no status
                .connectR()
                .connectS() // S re-sends MH_REMOVE 1, MSG 2
                .toR()
                .toR() // RecvRemove 1, RecvDup 2 (status again)
                .toS()
                .toS() // RecvRemoved 1, RecvStatus 2
                .toR()
                .toS() // RecvRemove 2, RecvRemoved 2
                .send("c0", 3)
                .toR(); // RecvMsg 3, handler runs
        long s1 = x.incS();
        x.restartS()
                .heartbeatAtR(s1) // R frees MH 3: orphan
                .handler() // RunOrphan 3
                .connect()
                .send("c0", 4)
                .toR()
                .handler()
                .toS()
                .toR()
                .toS();
        long r1 = x.incR();
        x.send("c1", 5)
                .restartR()
                .heartbeatAtS(r1) // call 5 fails (EHOSTDOWN)
                .connect()
                .send("c1", 6)
                .toR()
                .handler()
                .toS()
                .toR()
                .toS();
        return x.events();
    }

    /**
     * S's core connects on a new connection and writes a MSG; S crashes before R's core has read S's handshake; R's
     * core then reads the handshake (S's old incarnation) and the MSG, runs the handler and resets. On real TCP the
     * frames S wrote before it closed are read after its Restart: the spec's Restart(S) waits for R's reset.
     */
    static List<LogEvent> crashWithFrameInFlight() {
        LogScript a = new LogScript()
                .connect()
                .send("c0", 1)
                .toR()
                .handler()
                .toS()
                .toR()
                .toS()
                .reset()
                .connectS()
                .send("c0", 2);
        long s1 = a.incS();
        return a.restartSKeepingFlight()
                .connectR(s1)
                .toR()
                .handler()
                .resetR()
                .heartbeatAtR(s1)
                .connect()
                .send("c0", 3)
                .toR()
                .handler()
                .toS()
                .toR()
                .toS()
                .events();
    }

    /** A call is its number: the core hands it back untouched; the log shows how it ended. */
    private final class Side implements Effects<Integer> {
        final PeerCore<Integer> core;

        Side(int node, int peer) {
            core = new PeerCore<>(node, peer, true, nextInc++, this);
        }

        private boolean current() {
            return core.node() == S ? s == this : r == this;
        }

        @Override
        public void write(O2netMsg frame) {
            if (current()) {
                (core.node() == S ? toR : toS).add(frame);
            }
        }

        @Override
        public void runHandler(MessageHolder mh) {
            running.add(mh);
        }

        @Override
        public void complete(Integer call, CallResult result) {}

        @Override
        public void refuse(Integer call, Errno errno, String why) {
            throw new IllegalStateException("call " + call + " refused: " + why);
        }

        @Override
        public void disconnect(String why) {
            toR.clear();
            toS.clear();
            Side other = core.node() == S ? r : s;
            other.core.reset(0);
        }

        @Override
        public void trace(TraceEvent event) {
            recorder.record(event);
        }
    }
}
