// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.ocfs2.o2net.wire.Errno;
import org.ocfs2.o2net.wire.Frame;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.ProtocolVersion;
import org.ocfs2.o2net.wire.SysStatus;

/**
 * One node's protocol state towards one peer: the spec's node S (it calls the peer) and node R (the peer calls it) in
 * one object, since every pair of o2net nodes calls both ways over one connection.
 * <p>
 * In protocol v12 ({@code reliable}) this is {@code spec/tla/ReliableO2net.tla}: every method below that takes an
 * event is the spec action of the same name. In v13 it is {@code spec/tla/AckO2net.tla}, one round trip: the call
 * returns at its status, Message Holders are freed by the sender's cumulative acknowledgement, and a window bounds
 * them (the v13 actions are marked so below). In v11 it is {@code spec/tla/O2net.tla}, today's o2net: no
 * {@code msg_seq}, no Message Holder, every waiter dies with the connection.
 * <p>
 * A call is the caller's own object ({@code C}): the core holds it with its message and hands it back in
 * {@link Effects#complete} or {@link Effects#refuse}, and keeps nothing else about the caller (no future, no thread).
 * <p>
 * Not thread-safe: one thread makes every call (see the package documentation).
 *
 * @param <C> the caller's call object
 */
public final class PeerCore<C> {
    private final int node;
    private final int peer;
    private final boolean reliable;
    /** v13: AckO2net's acknowledgement and window. */
    private final boolean acked;
    /** v13: the window this node announces and enforces as R (AckO2net's {@code Window}). */
    private final int window;

    private final long incarnation;
    private final Effects<C> fx;
    private final Stats stats = new Stats();

    // Node S: ReliableO2net's nextSeq and held; O2net's waiters. Keyed by msg_seq (v12) or msg_num (v11).
    private long nextSeq = 1;
    private final LongTable<HeldMessage<C>> held;
    private final IdAllocator msgNums = new IdAllocator();
    /** O2net (v11) only: calls made while no connection is up, waiting for O2net's {@code Send} guard. */
    private final ArrayDeque<Unsent<C>> unsent = new ArrayDeque<>();

    // Node R: the Message Holder tree (v12: a red-black tree; v13: a ring of the window's size, no node per MH) and
    // the handlers whose MH was freed while they ran.
    private final LongTable<MessageHolder> mhTree;
    private final Set<MessageHolder> orphans = Collections.newSetFromMap(new IdentityHashMap<>());

    // v13 (AckO2net): S's ackSent and the window the peer announced; R's ackRecv.
    private long ackSent;
    private int sendWindow;
    private long ackRecv;
    private boolean ackPending;
    /** {@link #stop} was called: the node's process is gone, a delayed-ack timer still due does nothing. */
    private boolean stopped;
    /** v13: some held messages wait, numbered but unwritten, for a window the peer's handshake shrank. */
    private boolean heldBackByWindow;

    // The connection and the peer's incarnation: ReliableO2net's conn, peerInc[node] and (hbInc[peer] # 0).
    private boolean connected;
    private int connEpoch;
    private long peerInc;
    private boolean peerAlive = true;

    /**
     * @param node        this node's number
     * @param peer        the peer's number
     * @param reliable    protocol v12 (ReliableO2net) or v11 (O2net)
     * @param incarnation this node's incarnation, sent in the handshake (v12); non-zero
     * @param fx          where frames, handler runs and completions go
     */
    public PeerCore(int node, int peer, boolean reliable, long incarnation, Effects<C> fx) {
        this(node, peer, reliable ? ProtocolVersion.V12 : ProtocolVersion.V11, incarnation, 1, fx);
    }

    /**
     * @param node        this node's number
     * @param peer        the peer's number
     * @param version     v11 (O2net), v12 (ReliableO2net) or v13 (AckO2net)
     * @param incarnation this node's incarnation, sent in the handshake (v12, v13); non-zero
     * @param window      v13: the most messages beyond its ack the peer may send this node, announced in the
     *                    handshake and enforced ({@link #refuseMsg}); also this node's send window until the peer's
     *                    handshake says otherwise. Ignored before v13.
     * @param fx          where frames, handler runs and completions go
     */
    public PeerCore(int node, int peer, ProtocolVersion version, long incarnation, int window, Effects<C> fx) {
        boolean reliable = version.reliable();
        if (version.carriesAck() && window < 1) {
            throw new IllegalArgumentException("window must be at least 1, got " + window);
        }
        this.acked = version.carriesAck();
        this.window = window;
        this.sendWindow = window;
        if (node == peer) {
            throw new IllegalArgumentException("a node is not its own peer: " + node);
        }
        if (reliable && incarnation == 0) {
            throw new IllegalArgumentException("incarnation 0 means 'none' and cannot be a node's incarnation");
        }
        this.node = node;
        this.peer = peer;
        this.reliable = reliable;
        this.incarnation = incarnation;
        this.fx = requireNonNull(fx, "fx");
        // v12 and v13 number messages in order: a ring, grown if more are held than it has slots; v11 keys its
        // waiters by msg_num, which o2net reuses, lowest free first: an array by msg_num, in the order calls started.
        this.held = reliable ? new SeqRing<>(64, true, 1) : new IdTable<>(64);
        // v13's window keeps every msg_seq R holds in (ack, ack + window]; v12's peer may pick any msg_seq.
        this.mhTree = acked ? new SeqRing<>(window, false, 1) : MapTable.sorted();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Node S: the caller side
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Spec action {@code Send(c)} (ReliableO2net, O2net): a caller starts a call ({@code o2net_send_message_vec()}).
     * The message gets the next {@code msg_seq} (v12) and a waiter id ({@link Effects#sent}), and is held until the
     * call is over ({@link Effects#complete}); it is written now if the connection is up, else on the next
     * {@link #connect}.
     * <p>
     * The spec's guards: {@code hbInc[R] # 0} (both specs): if heartbeat has declared the peer dead the call is
     * refused with ENOTCONN before it starts ({@link Effects#refuse}), as the kernel refuses it with the persistent
     * error. O2net's {@code conn = "up"} (v11 only): the kernel's caller first waits for a valid connection
     * ({@code wait_event} on {@code nn_sc_wq}); a call made while none is up waits here, unnumbered and unwritten, and
     * takes the {@code Send} step when one comes up ({@link #connect}), so a reset cannot fail it before it was
     * written. While it waits, a node-down ({@link #nodeDown}), a failed handshake ({@link #refuseUnsent}) or the
     * node's stop ({@link #stop}) refuses it.
     *
     * @param call    the caller's call object, handed back when the call ends
     * @param caller  who calls, for {@code send_tracking} and the event log
     */
    public void send(C call, int msgType, int key, byte[] payload, String caller, long now) {
        requireNonNull(call, "call");
        requireNonNull(payload, "payload");
        if (msgType < 0 || msgType > O2netMsg.MAX_MSG_TYPE) {
            throw new IllegalArgumentException("msgType " + msgType + " does not fit the 16-bit wire field");
        }
        if (payload.length > O2netMsg.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds "
                    + "O2NET_MAX_PAYLOAD_BYTES (" + O2netMsg.MAX_PAYLOAD_BYTES + ")");
        }
        if (!peerAlive) {
            fx.refuse(call, Errno.ENOTCONN, "node " + peer + " is down (heartbeat)");
            return;
        }
        if ((!reliable && !connected) || (acked && (!unsent.isEmpty() || !inSendWindow()))) {
            unsent.add(new Unsent<>(call, msgType, key, payload, caller));
            return;
        }
        start(call, msgType, key, payload, caller);
    }

    /**
     * AckO2net's cumulative acknowledgement {@code Ack} (v13): every message of this node's at or below it is
     * finished, so the peer may free its Message Holder: the lowest {@code msg_seq} still held, minus one.
     */
    public long ack() {
        return held.isEmpty() ? nextSeq - 1 : held.firstKey() - 1;
    }

    /** AckO2net's {@code InSendWindow(nextSeq)}: the next message may be numbered and sent. */
    private boolean inSendWindow() {
        return nextSeq - ack() <= sendWindow;
    }

    /** The ack a frame built now carries: this node's {@link #ack()} in v13, 0 (no ack field) before. */
    private long stamp() {
        return acked ? ack() : 0;
    }

    /**
     * Writes the MSG of held message {@code h} (v13: stamped with this node's current ack, which it then carries to
     * the peer, so no ACK frame need carry it). {@link Effects#writeRequest} gets the fields, not a frame.
     */
    private void writeRequest(HeldMessage<C> h) {
        long a = stamp();
        fx.writeRequest(h.msgType, h.key, h.msgNum, h.msgSeq, a, h.payload);
        ackSent = Math.max(ackSent, a);
    }

    /** The spec's {@code Send} step itself: number the message, hold it, write it if connected. */
    private void start(C call, int msgType, int key, byte[] payload, String caller) {
        int msgNum = msgNums.alloc();
        long seq = reliable ? nextSeq++ : 0;
        // the caller's array itself: it keeps it unchanged until the call returns, and the message is held no longer
        HeldMessage<C> h = new HeldMessage<>(
                call, msgType, key, msgNum, seq, payload, connected ? HeldMessage.Phase.MSG : HeldMessage.Phase.UNSENT);
        held.put(reliable ? seq : msgNum, h);
        stats.calls++;
        if (fx.tracing()) {
            // v13: the ack the MSG carries; once held, this message is above every held one, so it is the ack before
            fx.trace(new TraceEvent(node, peer, incarnation, Action.Send, h.request(stamp()), caller, null, 0, false));
        }
        fx.sent(call, msgNum, seq);
        if (connected) {
            writeRequest(h);
        }
    }

    /**
     * A call not yet a message: v11, waiting for O2net's {@code conn = "up"}; v13, waiting for AckO2net's window
     * ({@code InSendWindow}).
     */
    private record Unsent<C>(C call, int msgType, int key, byte[] payload, String caller) {}

    /**
     * The node gives up on the calls waiting for a connection (v11; a failed handshake sets a persistent error, as
     * the kernel's {@code o2net_set_nn_state()} wakes its waiting callers with it): each is refused with
     * {@code errno}. Calls already held are not touched. Not a spec action: the spec's callers never wait here.
     */
    public void refuseUnsent(Errno errno, String why) {
        while (!unsent.isEmpty()) {
            fx.refuse(unsent.poll().call, errno, why);
        }
    }

    /**
     * The node stops (its process goes, the first half of the spec's {@code Restart}): every call in progress, held
     * or waiting for a connection, is refused with EHOSTDOWN. The core is not to be used afterwards.
     */
    public void stop(String why) {
        stopped = true;
        List<HeldMessage<C>> all = held.values();
        held.clear(nextSeq);
        for (HeldMessage<C> h : all) {
            msgNums.free(h.msgNum);
            fx.refuse(h.call, Errno.EHOSTDOWN, why);
        }
        refuseUnsent(Errno.EHOSTDOWN, why);
    }

    /**
     * Dispatches a frame received on the current connection to the spec action it starts. The frame is read during the
     * call only: a value or a decoder's view alike (a Message Holder keeps what it needs of a request).
     */
    public void receive(Frame f, long now) {
        if (!connected) {
            throw new IllegalStateException("frame " + f + " received while no connection is up");
        }
        switch (f.magic()) {
            case MSG -> {
                if (!reliable) {
                    recv(f);
                    return;
                }
                if (acked) {
                    applyAck(f.ack());
                    if (f.msgSeq() <= ackRecv || f.msgSeq() - ackRecv > window) {
                        refuseMsg(f);
                        return;
                    }
                }
                if (mhTree.get(f.msgSeq()) != null) {
                    recvDup(f);
                } else {
                    recvMsg(f);
                }
            }
            case ACK -> recvAck(f);
            case STATUS -> {
                if (acked) {
                    applyAck(f.ack()); // the peer's ack of its own calls rides on its STATUS frames too
                }
                HeldMessage<C> h = held.get(reliable ? f.msgSeq() : (long) f.msgNum());
                if (h != null && h.phase == HeldMessage.Phase.MSG && h.msgNum == f.msgNum()) {
                    recvStatus(h, f);
                } else {
                    recvStaleStatus(f);
                }
            }
            case MH_REMOVE -> recvRemove(f);
            case MH_REMOVED -> recvRemoved(f);
            default -> throw new IllegalArgumentException("not a protocol frame: " + f);
        }
    }

    /**
     * Spec action {@code RecvStatus}. ReliableO2net: S keeps the status with the held message and sends MH_REMOVE;
     * the caller stays blocked. O2net: the waiter is completed ({@code o2net_complete_nsw()}).
     */
    private void recvStatus(HeldMessage<C> h, Frame f) {
        CallResult result = CallResult.of(f.sysStatus(), f.status());
        if (fx.tracing()) {
            fx.trace(new TraceEvent(node, peer, incarnation, Action.RecvStatus, f.toValue(), null, result, 0, false));
        }
        if (!reliable) {
            finish(h, result);
            return;
        }
        if (acked) {
            // AckO2net: one round trip; the ack moves if this was the lowest held message
            finish(h, result);
            ackMoved();
            return;
        }
        h.result = result;
        h.phase = HeldMessage.Phase.REMOVE;
        fx.write(h.removeRequest());
    }

    /**
     * v13, after S's ack may have moved: callers waiting for the window take their {@code Send} step, and if the ack
     * is ahead of what this connection has carried, the outside is asked for {@link #ackTimer} (AckO2net's
     * {@code SendAck} becomes enabled).
     */
    private void ackMoved() {
        startUnsent();
        if (connected && ack() > ackSent && !ackPending) {
            ackPending = true;
            fx.ackPending();
        }
    }

    /**
     * Spec action {@code SendAck} (AckO2net, v13): the delayed-ack timer the core asked for with
     * {@link Effects#ackPending} fires. If the ack is still ahead of what this connection carried (no MSG or STATUS
     * took it meanwhile), S writes an ACK frame ({@code o2net_sc_send_keep_req()}'s path in the kernel would carry it).
     */
    public void ackTimer(long now) {
        ackPending = false;
        long a = ack();
        // A stopped core's held set is gone, so its ack would claim the unanswered messages finished.
        if (!acked || !connected || stopped || a <= ackSent) {
            return;
        }
        O2netMsg f = O2netMsg.ackFrame(a);
        ackSent = a;
        stats.acksSent++;
        trace(Action.SendAck, f);
        fx.write(f);
    }

    /**
     * Spec action {@code RecvStaleStatus}: a status S no longer needs (the duplicate's status, or one for a message
     * S no longer holds) is dropped, as the kernel ignores a status for an unknown {@code msg_num}.
     */
    private void recvStaleStatus(Frame f) {
        stats.staleStatuses++;
        if (fx.tracing()) {
            fx.trace(new TraceEvent(
                    node,
                    peer,
                    incarnation,
                    Action.RecvStaleStatus,
                    f.toValue(),
                    null,
                    CallResult.of(f.sysStatus(), f.status()),
                    0,
                    false));
        }
    }

    /**
     * Spec action {@code RecvRemoved}: R confirms the MH is gone; S drops the held message and the call returns the
     * kept status. A confirmation for a message not in phase REMOVE breaks the protocol.
     */
    private void recvRemoved(Frame f) {
        HeldMessage<C> h = held.get(f.msgSeq());
        if (h == null || h.phase != HeldMessage.Phase.REMOVE) {
            throw new ProtocolException("MH_REMOVED for msg_seq " + f.msgSeq() + " from node " + peer + ", which "
                    + (h == null ? "is not held" : "is in phase " + h.phase));
        }
        if (fx.tracing()) {
            fx.trace(new TraceEvent(
                    node, peer, incarnation, Action.RecvRemoved, h.request(0), null, h.result, 0, false));
        }
        finish(h, h.result);
    }

    private void finish(HeldMessage<C> h, CallResult result) {
        held.remove(reliable ? h.msgSeq : (long) h.msgNum);
        msgNums.free(h.msgNum);
        fx.complete(h.call, result);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Node R: the handler side
    // ------------------------------------------------------------------------------------------------------------

    /**
     * AckO2net's {@code ApplyAck} (v13): R frees every Message Holder at or below the peer's ack {@code a}; a handler
     * still running for one becomes an orphan (only a broken or hostile peer acks a message it has no status for).
     * Part of {@code RecvMsg}, {@code RecvDup}, {@code RefuseMsg} and {@code RecvAck}, which apply the frame's ack
     * first.
     */
    private void applyAck(long a) {
        if (a <= ackRecv) {
            return;
        }
        ackRecv = a;
        stats.mhFreedByAck += mhTree.removeThrough(a, mh -> {
            if (!mh.done()) {
                orphans.add(mh);
            }
        });
    }

    /** Spec action {@code RecvAck} (AckO2net, v13): an ACK frame; R frees every MH at or below it. */
    private void recvAck(Frame f) {
        if (!acked) {
            throw new ProtocolException("ACK frame from node " + peer + " outside protocol v13");
        }
        stats.acksReceived++;
        trace(Action.RecvAck, f);
        applyAck(f.ack());
    }

    /**
     * Spec action {@code RefuseMsg} (AckO2net, v13): a MSG whose {@code msg_seq} is not in (ack, ack + window] after
     * its own ack was applied. A correct sender never sends one; R drops it, logs a protocol error and closes the
     * connection, so the peer's Message Holders never exceed the window whatever it sends.
     */
    private void refuseMsg(Frame f) {
        stats.refused++;
        trace(Action.RefuseMsg, f);
        connected = false;
        fx.disconnect("protocol error: node " + peer + " sent msg_seq " + Long.toUnsignedString(f.msgSeq())
                + " outside its window (" + ackRecv + ", " + (ackRecv + window) + "] (ack " + ackRecv + ", window "
                + window + ")");
    }

    /** Spec action {@code RecvMsg}: no MH for this {@code msg_seq}; R inserts one, RUNNING, and queues the handler. */
    private void recvMsg(Frame f) {
        MessageHolder mh = new MessageHolder(f, fx.tracing());
        mhTree.put(f.msgSeq(), mh);
        trace(Action.RecvMsg, f);
        fx.runHandler(mh);
    }

    /**
     * Spec action {@code RecvDup}: the MH exists, so this is a re-sent duplicate and the handler does not run again.
     * A stored status is sent back; while the handler still runs nothing is sent ({@link #handlerDone} will).
     */
    private void recvDup(Frame f) {
        MessageHolder mh = mhTree.get(f.msgSeq());
        stats.duplicates++;
        trace(Action.RecvDup, f);
        if (mh.done()) {
            writeStatus(mh);
        }
    }

    /** O2net's {@code Recv}: today's o2net runs the handler and replies; nothing records that it ran. */
    private void recv(Frame f) {
        trace(Action.Recv, f);
        MessageHolder mh = new MessageHolder(f, fx.tracing());
        mh.connEpoch = connEpoch;
        fx.runHandler(mh);
    }

    /**
     * A handler has returned. Spec action {@code RunHandler} if {@code mh} is still in the tree: the status is stored
     * in it and sent back if the connection is up. Spec action {@code RunOrphan} if R freed {@code mh} while the
     * handler ran: the status is dropped, and never stored into a newer MH with the same {@code msg_seq}. In v11 the
     * status is sent back if the connection it came on is still up (O2net's {@code Recv} did the rest).
     */
    public void handlerDone(MessageHolder mh, int sysStatus, int status, long now) {
        if (!reliable) {
            // Today's o2net replies on the socket the message came on; on another its msg_num means another call.
            if (connected && mh.connEpoch == connEpoch) {
                mh.done(SysStatus.of(sysStatus), status);
                writeStatus(mh);
            }
            return;
        }
        if (mhTree.get(mh.msgSeq()) == mh && !mh.done()) {
            mh.done(SysStatus.of(sysStatus), status);
            if (fx.tracing()) { // before the payload goes: the event names its call
                fx.trace(new TraceEvent(
                        node,
                        peer,
                        incarnation,
                        Action.RunHandler,
                        mh.msg(),
                        null,
                        CallResult.of(sysStatus, status),
                        0,
                        false));
            }
            if (acked) {
                mh.dropPayload(); // AckO2net: a DONE Message Holder keeps the status only
            }
            if (connected) {
                writeStatus(mh);
            }
        } else if (orphans.remove(mh)) {
            if (fx.tracing()) {
                fx.trace(new TraceEvent(
                        node,
                        peer,
                        incarnation,
                        Action.RunOrphan,
                        mh.msg(),
                        null,
                        CallResult.of(sysStatus, status),
                        0,
                        false));
            }
        } else {
            throw new IllegalStateException("handler done for " + mh + ", which is neither running nor an orphan");
        }
    }

    /** Spec action {@code RecvRemove}: R removes the MH if it still exists (removal is idempotent) and confirms. */
    private void recvRemove(Frame f) {
        MessageHolder mh = mhTree.get(f.msgSeq());
        if (mh != null && !mh.done()) {
            throw new ProtocolException("MH_REMOVE for msg_seq " + f.msgSeq() + " from node " + peer
                    + " while its handler is still running");
        }
        mhTree.remove(f.msgSeq());
        trace(Action.RecvRemove, f);
        fx.write(f.toValue().removedReply());
    }

    /** Reports {@code action} about {@code msg} (or none); no event at all while tracing is off. */
    private void trace(Action action, Frame msg) {
        if (fx.tracing()) {
            fx.trace(new TraceEvent(
                    node, peer, incarnation, action, msg == null ? null : msg.toValue(), null, null, 0, false));
        }
    }

    /**
     * Writes the STATUS answering {@code mh}'s request (the message, or a duplicate of it) with its stored status: the
     * request's {@code msg_type}, {@code key}, {@code msg_num} and {@code msg_seq}, stamped with this node's ack (v13).
     * {@link Effects#writeStatus} gets the fields, not a frame.
     */
    private void writeStatus(MessageHolder mh) {
        long a = stamp();
        fx.writeStatus(mh.msgType(), mh.sysStatusCode(), mh.status(), mh.key(), mh.msgNum(), mh.msgSeq(), a);
        ackSent = Math.max(ackSent, a);
    }

    // ------------------------------------------------------------------------------------------------------------
    // The environment: connection, heartbeat
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Spec action {@code Reset}: the connection is gone with every frame in flight. ReliableO2net: callers stay
     * blocked and their messages held. O2net: every waiter whose message was written dies with
     * {@code O2NET_ERR_DIED} (-EHOSTDOWN), whether or not its handler ran.
     */
    public void reset(long now) {
        if (!connected) {
            return;
        }
        connected = false;
        trace(Action.Reset, null);
        if (!reliable) {
            failWritten();
        }
    }

    private void failWritten() {
        List<HeldMessage<C>> dead = new ArrayList<>();
        held.forEach((k, h) -> {
            if (h.phase != HeldMessage.Phase.UNSENT) {
                dead.add(h);
            }
        });
        stats.failedCalls += dead.size();
        dead.forEach(h -> finish(h, CallResult.DIED));
    }

    /**
     * Spec action {@code Connect}: a connection is up and both handshakes passed; {@code peerIncarnation} is the
     * peer's, read from its handshake (ignored in v11). If the peer has a new incarnation, R frees the MHs of the old
     * one and S fails its held calls with EHOSTDOWN: the old peer may have run their handlers, the new one has no MH.
     * Then S writes every held message again, in {@code msg_seq} order: MSG while the status is missing, MH_REMOVE
     * once it is kept.
     */
    public void connect(long peerIncarnation, long now) {
        connect(peerIncarnation, window, now);
    }

    /**
     * Spec action {@code Connect} with the peer's handshake window (v13; AckO2net's {@code Window} as the peer
     * announced it): S keeps at most that many messages beyond its ack. Held messages are written again with the
     * current ack, those beyond the window only once it opens.
     */
    public void connect(long peerIncarnation, int peerWindow, long now) {
        if (acked && peerWindow < 1) {
            throw new ProtocolException("node " + peer + " announced a window of " + peerWindow);
        }
        if (connected) {
            throw new IllegalStateException("node " + peer + " is already connected");
        }
        if (reliable && peerIncarnation == 0) {
            throw new ProtocolException("node " + peer + " sent incarnation 0 in its handshake");
        }
        connected = true;
        connEpoch++;
        if (acked) {
            sendWindow = peerWindow;
            ackSent = 0;
            ackPending = false;
            heldBackByWindow = false;
        }
        if (fx.tracing()) {
            fx.trace(new TraceEvent(node, peer, incarnation, Action.Connect, null, null, null, peerIncarnation, false));
        }
        if (reliable) {
            long old = peerInc;
            peerInc = peerIncarnation;
            if (old != peerIncarnation) {
                freeMhs();
            }
            if (old != 0 && old != peerIncarnation) {
                failHeld();
            }
        }
        long limit = ack() + sendWindow;
        held.forEach((k, h) -> {
            if (h.phase == HeldMessage.Phase.REMOVE) {
                fx.write(h.removeRequest());
            } else if (acked && h.msgSeq > limit) {
                h.phase = HeldMessage.Phase.UNSENT; // the peer's window shrank: written once it opens
                heldBackByWindow = true;
                return;
            } else {
                h.phase = HeldMessage.Phase.MSG;
                writeRequest(h);
            }
            stats.resends += reliable ? 1 : 0;
        });
        if (acked) {
            ackMoved();
        } else {
            startUnsent();
        }
    }

    /** O2net's {@code Send} guard {@code conn = "up"} now holds: the waiting calls take their step, in order. */
    private void startUnsent() {
        if (acked) {
            // AckO2net: held messages the window held back go out first, then waiting callers take their Send step
            // (only after a handshake that shrank the window: otherwise every held message is written, and a walk
            // over them at every status would cost O(held) per call)
            if (connected && heldBackByWindow) {
                long limit = ack() + sendWindow;
                heldBackByWindow = false;
                held.forEachWhile((k, h) -> {
                    if (h.msgSeq > limit) {
                        heldBackByWindow = true;
                        return false;
                    }
                    if (h.phase == HeldMessage.Phase.UNSENT) {
                        h.phase = HeldMessage.Phase.MSG;
                        writeRequest(h);
                    }
                    return true;
                });
            }
            while (peerAlive && !unsent.isEmpty() && inSendWindow()) {
                Unsent<C> u = unsent.poll();
                start(u.call, u.msgType, u.key, u.payload, u.caller);
            }
            return;
        }
        while (connected && !unsent.isEmpty()) {
            Unsent<C> u = unsent.poll();
            start(u.call, u.msgType, u.key, u.payload, u.caller);
        }
    }

    /** R frees every MH; handlers still running become orphans (ReliableO2net's {@code FreeMhs}). */
    private void freeMhs() {
        mhTree.forEach((k, mh) -> {
            if (!mh.done()) {
                orphans.add(mh);
            }
        });
        mhTree.clear(1);
        ackRecv = 0;
    }

    /** S fails every held call with EHOSTDOWN (ReliableO2net's {@code FailCalls(HeldCallers)}). */
    private void failHeld() {
        List<HeldMessage<C>> all = held.values();
        stats.failedCalls += all.size();
        all.forEach(h -> finish(h, CallResult.DIED));
        if (acked && !all.isEmpty()) {
            ackMoved();
        }
    }

    /**
     * Spec action {@code HbNodeDown}: heartbeat declares incarnation {@code deadIncarnation} of the peer dead
     * ({@code o2net_hb_node_down_cb()}). If this node talks to that incarnation, or to none yet, it forgets the peer
     * ({@link #forgetPeer}). If a handshake already showed a newer incarnation, the news is old and nothing changes,
     * but calls are refused until {@link #nodeUp}. In v11 every node-down acts, as today, and the calls waiting for
     * a connection are refused with ENOTCONN.
     */
    public void nodeDown(long deadIncarnation, long now) {
        peerAlive = false;
        boolean forget = !reliable || peerInc == 0 || peerInc == deadIncarnation;
        if (fx.tracing()) {
            fx.trace(new TraceEvent(
                    node, peer, this.incarnation, Action.HbNodeDown, null, null, null, deadIncarnation, forget));
        }
        refuseUnsent(Errno.ENOTCONN, "node " + peer + " is down (heartbeat)");
        if (forget) {
            forgetPeer("node " + peer + " is down (heartbeat)");
        }
    }

    /**
     * Spec action {@code HbNodeUp}: heartbeat sees the peer alive again, at {@code incarnation}; calls to it may
     * start. If this node still has a session with an older incarnation, that one is dead too: it forgets the peer
     * now ({@link #forgetPeer}), so that the next handshake does not fail calls made to the new incarnation.
     */
    public void nodeUp(long incarnation, long now) {
        peerAlive = true;
        boolean forget = reliable && peerInc != 0 && peerInc != incarnation;
        if (fx.tracing()) {
            fx.trace(new TraceEvent(
                    node, peer, this.incarnation, Action.HbNodeUp, null, null, null, incarnation, forget));
        }
        if (forget) {
            forgetPeer("node " + peer + " has a new incarnation (heartbeat)");
        }
    }

    /**
     * The spec's {@code ForgetPeer} ({@code o2net_disconnect_node()}): the peer's incarnation this node talked to is
     * dead. Disconnect, fail every held call with EHOSTDOWN, free the peer's Message Holders.
     */
    private void forgetPeer(String why) {
        peerInc = 0;
        if (connected) {
            connected = false;
            fx.disconnect(why);
        }
        failHeld();
        freeMhs();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Observability
    // ------------------------------------------------------------------------------------------------------------

    public int node() {
        return node;
    }

    public int peer() {
        return peer;
    }

    public boolean reliable() {
        return reliable;
    }

    /** This node's incarnation. */
    public long incarnation() {
        return incarnation;
    }

    /** The peer's incarnation from the last handshake; 0 if none since start or since it was declared dead. */
    public long peerIncarnation() {
        return peerInc;
    }

    public boolean connected() {
        return connected;
    }

    /** False between a heartbeat node-down and node-up: calls are refused with ENOTCONN. */
    public boolean peerAlive() {
        return peerAlive;
    }

    /**
     * The calls in progress in the order they started: the held ones (numbered), then those waiting for a connection
     * (v11) or for the window (v13), as the caller handed them in.
     */
    public List<C> calls() {
        List<C> cs = new ArrayList<>(held.size() + unsent.size());
        held.forEach((k, h) -> cs.add(h.call)); // msg_seq order (v12, v13) or the order the calls started (v11)
        unsent.forEach(u -> cs.add(u.call));
        return cs;
    }

    /** S's held messages by {@code msg_seq} and their phase (MSG, REMOVE, or UNSENT while disconnected). */
    public Map<Long, String> heldView() {
        Map<Long, String> v = new LinkedHashMap<>();
        held.forEach((k, h) -> v.put(k, h.phase.name()));
        return v;
    }

    /** R's Message Holders by {@code msg_seq}, in tree order. */
    public List<MessageHolder> messageHolders() {
        return List.copyOf(mhTree.values());
    }

    /** Handlers still running whose MH was freed. */
    public int orphanCount() {
        return orphans.size();
    }

    /**
     * A copy of the protocol state, for inspection (the conformance replay reads the spec's variables from it): made on
     * the core's thread, it can then be read on any thread. Read-only: it changes nothing.
     */
    public Snapshot snapshot() {
        SortedMap<Long, Snapshot.Held> h = new TreeMap<>();
        held.forEach((k, m) -> h.put(k, new Snapshot.Held(m.phase.name(), m.request(0))));
        List<Snapshot.Holder> mhs = new ArrayList<>(mhTree.size());
        for (MessageHolder mh : mhTree.values()) {
            mhs.add(new Snapshot.Holder(mh.msg(), mh.done(), mh.done() ? mh.sysStatus() : null, mh.status()));
        }
        List<O2netMsg> orphaned = new ArrayList<>(orphans.size());
        orphans.forEach(mh -> orphaned.add(mh.msg()));
        List<byte[]> waiting = new ArrayList<>(unsent.size());
        unsent.forEach(u -> waiting.add(u.payload.clone()));
        return new Snapshot(
                node,
                peer,
                reliable,
                incarnation,
                peerInc,
                connected,
                peerAlive,
                nextSeq,
                Collections.unmodifiableSortedMap(h),
                List.copyOf(mhs),
                List.copyOf(orphaned),
                List.copyOf(waiting),
                ackSent,
                ackRecv);
    }

    /**
     * The protocol state at one moment ({@link #snapshot()}); immutable. Frames are the core's own (immutable)
     * objects, so a Message Holder and the handler run it asked for ({@link Effects#runHandler}) can be matched by
     * the identity of {@link MessageHolder#msg()}.
     *
     * @param node            this node's number
     * @param peer            the peer's number
     * @param reliable        protocol v12
     * @param incarnation     this node's incarnation
     * @param peerIncarnation {@link #peerIncarnation()}
     * @param connected       {@link #connected()}
     * @param peerAlive       {@link #peerAlive()}
     * @param nextSeq         the {@code msg_seq} the next call gets (ReliableO2net's {@code nextSeq}; v11: unused)
     * @param held            the held messages by {@code msg_seq} (v12; v11: by {@code msg_num})
     * @param messageHolders  the Message Holder tree, in {@code msg_seq} order
     * @param orphans         the requests whose handler still runs but whose Message Holder was freed
     * @param unsent          v11: the payloads (copies) of the calls waiting for a connection, in the order they will
     *                        be sent; always empty in v12, whose calls the core holds at once
     * @param ackSent         v13: the highest ack this node wrote on the current connection (AckO2net's
     *                        {@code ackSent}); 0 before v13
     * @param ackRecv         v13: the highest ack this node had from the peer's current incarnation (AckO2net's
     *                        {@code ackRecv}); 0 before v13
     */
    public record Snapshot(
            int node,
            int peer,
            boolean reliable,
            long incarnation,
            long peerIncarnation,
            boolean connected,
            boolean peerAlive,
            long nextSeq,
            SortedMap<Long, Held> held,
            List<Holder> messageHolders,
            List<O2netMsg> orphans,
            List<byte[]> unsent,
            long ackSent,
            long ackRecv) {
        /**
         * A held message.
         *
         * @param phase UNSENT (written on the next connection), MSG (waiting for its status) or REMOVE (status kept,
         *              MH_REMOVE sent)
         * @param msg   the request
         */
        public record Held(String phase, O2netMsg msg) {}

        /**
         * A Message Holder.
         *
         * @param msg       the request whose handler runs or ran
         * @param done      the status is stored
         * @param sysStatus the stored {@code sys_status}; null until done
         * @param status    the stored status; 0 until done
         */
        public record Holder(O2netMsg msg, boolean done, SysStatus sysStatus, int status) {}
    }

    /** Counters since this core was made. */
    public Stats stats() {
        Stats s = stats.copy();
        s.mhCount = mhTree.size();
        s.heldCount = held.size();
        s.unsentCount = unsent.size();
        return s;
    }

    /** Per-peer counters. */
    public static final class Stats {
        /** Calls started. */
        public long calls;
        /** Messages written again on a new connection. */
        public long resends;
        /** Duplicates R received and did not handle again. */
        public long duplicates;
        /** Statuses S received and dropped. */
        public long staleStatuses;
        /** Calls failed with EHOSTDOWN. */
        public long failedCalls;
        /** Message Holders in R's tree now. */
        public int mhCount;
        /** Messages S holds now. */
        public int heldCount;
        /** v11: calls waiting for a connection now; v13: calls waiting for the window. */
        public int unsentCount;
        /** v13: ACK frames written. */
        public long acksSent;
        /** v13: ACK frames received. */
        public long acksReceived;
        /** v13: Message Holders freed by the peer's acks. */
        public long mhFreedByAck;
        /** v13: MSG frames refused as outside the window (each closed the connection). */
        public long refused;

        Stats copy() {
            Stats s = new Stats();
            s.calls = calls;
            s.resends = resends;
            s.duplicates = duplicates;
            s.staleStatuses = staleStatuses;
            s.failedCalls = failedCalls;
            s.acksSent = acksSent;
            s.acksReceived = acksReceived;
            s.mhFreedByAck = mhFreedByAck;
            s.refused = refused;
            return s;
        }

        @Override
        public String toString() {
            return "calls=" + calls + " resends=" + resends + " duplicates=" + duplicates + " staleStatuses="
                    + staleStatuses + " failedCalls=" + failedCalls + " mh=" + mhCount + " held=" + heldCount
                    + " unsent=" + unsentCount + " acksSent=" + acksSent + " acksReceived=" + acksReceived
                    + " mhFreedByAck=" + mhFreedByAck + " refused=" + refused;
        }
    }
}
