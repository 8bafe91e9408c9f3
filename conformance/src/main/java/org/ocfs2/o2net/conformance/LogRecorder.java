// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.ocfs2.o2net.core.Action;
import org.ocfs2.o2net.core.CallResult;
import org.ocfs2.o2net.core.TraceEvent;
import org.ocfs2.o2net.node.TraceSink;
import org.ocfs2.o2net.wire.SysStatus;

/**
 * Records an event log: install it as the {@link TraceSink} of every node of a cluster in one JVM
 * ({@code O2netNode.builder(...).trace(recorder)}), or hand it a core-tier replay's events ({@link #record}).
 * <p>
 * <b>Order.</b> Each event gets a global sequence number when the core takes the action, on the core's own thread
 * (the peer's event loop), before the action writes any frame. That order is a linearisation of the cluster's
 * actions: a core's actions are in its thread's order, and a frame's receipt comes after the action that wrote it
 * (two cores of a pair exchange frames only through their connection), a handler's completion after the receipt that
 * queued it, a heartbeat event after the change that caused it ({@code LocalHeartbeat} delivers on the caller's
 * thread into the peers' loops). It is the order of the log.
 * <p>
 * <b>Cost.</b> Recording is on from construction to {@link #stop()}; nodes built without a recorder
 * ({@link TraceSink#NONE}) make no events at all.
 */
public final class LogRecorder implements TraceSink {
    private final LogCodec codec;
    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentLinkedQueue<LogEvent> events = new ConcurrentLinkedQueue<>();
    private volatile boolean on = true;

    /** A recorder that names calls and statuses with {@code codec}. */
    public LogRecorder(LogCodec codec) {
        this.codec = codec;
    }

    /** Only {@link #trace(TraceEvent, long)} is called by the nodes; this records the bare action. */
    @Override
    public void trace(int node, int peer, Action action, long msgSeq, int msgNum, long nanoTime) {
        if (on) {
            events.add(new LogEvent(
                    sequence.incrementAndGet(),
                    node,
                    peer,
                    0,
                    action.name(),
                    msgSeq,
                    msgNum,
                    null,
                    null,
                    null,
                    0,
                    null,
                    nanoTime));
        }
    }

    @Override
    public void trace(TraceEvent event, long nanoTime) {
        if (on) {
            events.add(toLog(sequence.incrementAndGet(), event, nanoTime));
        }
    }

    /** Records an event of a core-tier replay (no clock). */
    public void record(TraceEvent event) {
        trace(event, 0);
    }

    /** Stops recording: events after this are dropped. */
    public void stop() {
        on = false;
    }

    /** The events so far, in the order of their sequence numbers. */
    public List<LogEvent> events() {
        List<LogEvent> list = new ArrayList<>(events);
        list.sort(Comparator.comparingLong(LogEvent::i));
        return list;
    }

    private LogEvent toLog(long i, TraceEvent e, long nanos) {
        Action a = e.action();
        String call = null;
        if (e.msg() != null && carriesRequest(a)) {
            call = codec.call(e.msg().payload());
        }
        String st = null;
        CallResult r = e.result();
        if (r != null) {
            st = r.sysStatus() == SysStatus.NONE ? codec.callOfStatus(r.status()) : "sys " + r.sysStatus();
        }
        Boolean forgot = a == Action.HbNodeDown || a == Action.HbNodeUp ? e.forgot() : null;
        return new LogEvent(
                i,
                e.node(),
                e.peer(),
                e.incarnation(),
                a.name(),
                e.msgSeq(),
                e.msgNum(),
                e.caller(),
                call,
                st,
                e.peerIncarnation(),
                forgot,
                nanos,
                e.msg() != null && carriesAck(a) ? e.msg().ack() : 0);
    }

    /** The actions whose frame is the one written or received, with the ack it carries (v13). */
    private static boolean carriesAck(Action a) {
        return switch (a) {
            case RecvMsg, RecvDup, RefuseMsg, RecvAck, SendAck, RecvStatus, RecvStaleStatus -> true;
            default -> false;
        };
    }

    private static boolean carriesRequest(Action a) {
        return switch (a) {
            case Send, RecvMsg, RecvDup, RunHandler, RunOrphan, RecvRemoved, Recv -> true;
            default -> false;
        };
    }
}
