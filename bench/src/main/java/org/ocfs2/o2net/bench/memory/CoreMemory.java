// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench.memory;

import java.util.ArrayList;
import java.util.List;
import org.ocfs2.o2net.bench.Table;
import org.ocfs2.o2net.core.CallResult;
import org.ocfs2.o2net.core.Effects;
import org.ocfs2.o2net.core.MessageHolder;
import org.ocfs2.o2net.core.PeerCore;
import org.ocfs2.o2net.wire.Errno;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.SysStatus;
import org.openjdk.jol.info.GraphLayout;

/**
 * What the protocol core keeps per message, measured with JOL: the bytes of every object reachable from a
 * {@link PeerCore} ({@link GraphLayout#parseInstance}, through {@link Footprint}), with {@code n} messages in one
 * state, minus the same with none, divided by {@code n}. Nothing else is counted: no Netty, no node-level call object,
 * no thread.
 * <ul>
 * <li>Sender, a held message: a connected core with {@code n} calls sent and not finished. v12 in phase MSG (its
 * status is missing) and in phase REMOVE (the status is kept, MH_REMOVE sent, waiting for MH_REMOVED); v11 (a waiter
 * and its message; there is no Message Holder).</li>
 * <li>Receiver, a Message Holder: a connected v12 core given {@code n} requests, their handlers RUNNING, then DONE
 * with a stored status, waiting for MH_REMOVE. In v11 the receiver's core keeps nothing once it has handed the
 * request to its handler: measured too, for comparison.</li>
 * </ul>
 * Before each measurement the core's own {@link PeerCore#snapshot() snapshot} and {@link PeerCore#stats() stats} must
 * show exactly {@code n} held messages or Message Holders in the expected state, or the measurement throws. The
 * cores' {@link Effects} keep nothing once a measurement starts, so the graph is the core's own state.
 */
public final class CoreMemory {
    static final int SENDER = 2;
    static final int RECEIVER = 1;
    static final int MSG_TYPE = 7;
    static final int KEY = 0x1234;
    private static final String CALLER = "bench-caller";

    private CoreMemory() {}

    /** What one measurement found. */
    public static final class Sample {
        private final String side;
        private final String protocol;
        private final String state;
        private final int payload;
        private final int n;
        private final Footprint footprint;

        Sample(String side, String protocol, String state, int payload, int n, Footprint footprint) {
            this.side = side;
            this.protocol = protocol;
            this.state = state;
            this.payload = payload;
            this.n = n;
            this.footprint = footprint;
        }

        public String side() {
            return side;
        }

        public String protocol() {
            return protocol;
        }

        public String state() {
            return state;
        }

        public int payload() {
            return payload;
        }

        public int n() {
            return n;
        }

        /** Bytes retained per message: (size with n - size with none) / n. */
        public double perMessage() {
            return footprint.perMessage(n);
        }

        /** Objects per message. */
        public double objectsPerMessage() {
            return footprint.objectsPerMessage(n);
        }

        @Override
        public String toString() {
            return side + " " + protocol + " " + state + " payload " + payload + ": " + Table.fixed(perMessage(), 1)
                    + " B/msg";
        }
    }

    /** Every core measurement with {@code n} messages, for each payload, in table order. */
    public static List<Sample> all(int n, int[] payloads) {
        List<Sample> out = new ArrayList<>();
        for (int p : payloads) {
            out.add(sender(false, p, n, false));
            out.add(sender(true, p, n, false));
            out.add(sender(true, p, n, true));
            out.add(receiver(false, p, n, false));
            out.add(receiver(true, p, n, false));
            out.add(receiver(true, p, n, true));
            out.add(senderV13(p, n));
            out.add(receiverV13(p, n));
        }
        return out;
    }

    /**
     * A sender core with {@code n} calls in progress.
     *
     * @param reliable   v12, else v11
     * @param statusKept v12 only: the statuses arrived and MH_REMOVE was sent (phase REMOVE), else phase MSG
     */
    public static Sample sender(boolean reliable, int payload, int n, boolean statusKept) {
        if (statusKept && !reliable) {
            throw new IllegalArgumentException("v11 keeps no status: a call ends with it");
        }
        Sink fx = new Sink();
        PeerCore<Object> core = new PeerCore<>(SENDER, RECEIVER, reliable, 200, fx);
        core.connect(100, 0);
        fx.record = true;
        Footprint empty = Footprint.of(core);
        for (int i = 0; i < n; i++) {
            // an array per call, as callers build a message per call: the core holds it (no copy) while held
            core.send(new Object(), MSG_TYPE, KEY, payload(payload), CALLER, i + 1);
        }
        List<O2netMsg> sent = fx.take();
        if (sent.size() != n) {
            throw new IllegalStateException("the core wrote " + sent.size() + " frames for " + n + " calls");
        }
        fx.record = false;
        String phase = "MSG";
        if (statusKept) {
            for (O2netMsg m : sent) {
                core.receive(m.statusReply(SysStatus.NONE, 1000 + m.dataLen()), n + 1);
            }
            phase = "REMOVE";
        }
        expectHeld(core, n, phase);
        Footprint full = Footprint.of(core);
        return new Sample(
                "sender",
                reliable ? "v12" : "v11",
                reliable
                        ? (statusKept ? "held, status kept (REMOVE)" : "held, status missing (MSG)")
                        : "held, waiting for status",
                payload,
                n,
                full.minus(empty));
    }

    /**
     * A receiver core given {@code n} requests.
     *
     * @param reliable v12, else v11
     * @param done     v12: the handlers returned and their statuses are stored (DONE); else they still run
     *                 (RUNNING). v11: the handlers returned and their statuses were sent.
     */
    public static Sample receiver(boolean reliable, int payload, int n, boolean done) {
        Sink fx = new Sink();
        PeerCore<Object> core = new PeerCore<>(RECEIVER, SENDER, reliable, 100, fx);
        core.connect(200, 0);
        byte[] data = payload(payload);
        Footprint empty = Footprint.of(core);
        for (int i = 0; i < n; i++) {
            core.receive(O2netMsg.request(MSG_TYPE, KEY, i, reliable ? i + 1 : 0, data), i + 1);
        }
        List<MessageHolder> runs = fx.takeRuns();
        if (runs.size() != n) {
            throw new IllegalStateException(
                    "the core asked for " + runs.size() + " handler runs for " + n + " requests");
        }
        if (done || !reliable) {
            for (MessageHolder mh : runs) {
                core.handlerDone(mh, SysStatus.NONE.code(), 1000 + mh.msg().dataLen(), n + 1);
            }
        }
        expectMhs(core, reliable ? n : 0, done);
        Footprint full = Footprint.of(core);
        String state = !reliable ? "no MH (handlers returned)" : done ? "MH DONE, status stored" : "MH RUNNING";
        return new Sample("receiver", reliable ? "v12" : "v11", state, payload, n, full.minus(empty));
    }

    /**
     * v13's baseline: a connected core with a window of one. A v13 core allocates the slots of its rings (4 B each, the
     * window rounded up to a power of two) when it is made; measured against this baseline they are counted in the
     * bytes per message, at {@code n} = the window.
     */
    private static Footprint emptyV13(int node, int peer) {
        PeerCore<Object> core =
                new PeerCore<>(node, peer, org.ocfs2.o2net.wire.ProtocolVersion.V13, node * 100L, 1, new Sink());
        core.connect(peer * 100L, 1, 0);
        return Footprint.of(core);
    }

    /** v13: a sender core with {@code n} calls in progress (status missing), its window at least {@code n}. */
    public static Sample senderV13(int payload, int n) {
        Sink fx = new Sink();
        // its own window (what it lets the peer send) is 1: only what it holds as a sender is measured
        PeerCore<Object> core = new PeerCore<>(SENDER, RECEIVER, org.ocfs2.o2net.wire.ProtocolVersion.V13, 200, 1, fx);
        core.connect(100, n, 0);
        Footprint empty = emptyV13(SENDER, RECEIVER);
        for (int i = 0; i < n; i++) {
            core.send(new Object(), MSG_TYPE, KEY, payload(payload), CALLER, i + 1); // an array per call, held
        }
        expectHeld(core, n, "MSG");
        return new Sample(
                "sender",
                "v13",
                "held, status missing (MSG)",
                payload,
                n,
                Footprint.of(core).minus(empty));
    }

    /** v13: a receiver core given {@code n} requests whose handlers returned (MH DONE: status only, no payload). */
    public static Sample receiverV13(int payload, int n) {
        Sink fx = new Sink();
        PeerCore<Object> core = new PeerCore<>(RECEIVER, SENDER, org.ocfs2.o2net.wire.ProtocolVersion.V13, 100, n, fx);
        core.connect(200, n, 0);
        byte[] data = payload(payload);
        Footprint empty = emptyV13(RECEIVER, SENDER);
        for (int i = 0; i < n; i++) {
            core.receive(O2netMsg.request(MSG_TYPE, KEY, i, i + 1, data), i + 1);
        }
        for (MessageHolder mh : fx.takeRuns()) {
            core.handlerDone(mh, SysStatus.NONE.code(), 1000 + mh.msg().dataLen(), n + 1);
        }
        expectMhs(core, n, true);
        return new Sample(
                "receiver",
                "v13",
                "MH DONE, status only",
                payload,
                n,
                Footprint.of(core).minus(empty));
    }

    /**
     * Checks that {@code core} holds exactly {@code n} messages, all in {@code phase}, and no Message Holder.
     *
     * @throws IllegalStateException if it does not
     */
    public static void expectHeld(PeerCore<?> core, int n, String phase) {
        PeerCore.Snapshot s = core.snapshot();
        PeerCore.Stats st = core.stats();
        long inPhase =
                s.held().values().stream().filter(h -> h.phase().equals(phase)).count();
        if (st.heldCount != n
                || s.held().size() != n
                || inPhase != n
                || st.mhCount != 0
                || !s.messageHolders().isEmpty()) {
            throw new IllegalStateException("expected " + n + " held messages in phase " + phase + " and no MH, "
                    + "found " + s.held().size() + " held (" + inPhase + " in " + phase + "), stats " + st);
        }
    }

    /**
     * Checks that {@code core} has exactly {@code n} Message Holders, all DONE if {@code done} else all RUNNING, and
     * holds no message.
     *
     * @throws IllegalStateException if it does not
     */
    public static void expectMhs(PeerCore<?> core, int n, boolean done) {
        PeerCore.Snapshot s = core.snapshot();
        PeerCore.Stats st = core.stats();
        long inState = s.messageHolders().stream().filter(h -> h.done() == done).count();
        if (st.mhCount != n
                || s.messageHolders().size() != n
                || inState != n
                || st.heldCount != 0
                || !s.held().isEmpty()
                || !s.orphans().isEmpty()) {
            throw new IllegalStateException("expected " + n + " MHs " + (done ? "DONE" : "RUNNING") + " and "
                    + "nothing held, found " + s.messageHolders().size() + " MHs (" + inState + " "
                    + (done ? "DONE" : "RUNNING") + "), stats " + st);
        }
    }

    private static byte[] payload(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 13 + 1);
        }
        return b;
    }

    /** The table of {@link #all}. */
    public static Table table(List<Sample> samples, int n) {
        Table t = new Table(
                "Protocol core: bytes retained per held message (sender) and per Message Holder (receiver)",
                "side",
                "protocol",
                "state",
                "payload B",
                "bytes/msg",
                "overhead B",
                "objects/msg");
        for (Sample s : samples) {
            double per = s.perMessage();
            t.row(
                    s.side(),
                    s.protocol(),
                    s.state(),
                    s.payload(),
                    Table.fixed(per, 1),
                    per < s.payload() ? "-" : Table.fixed(per - s.payload(), 1),
                    Table.fixed(s.objectsPerMessage(), 2));
        }
        t.note("JOL GraphLayout.parseInstance(core).totalSize() of a connected PeerCore with N = " + Table.count(n)
                + " messages in the state shown, minus the same core with none, / N; overhead = bytes/msg - payload. "
                + "Counts checked on the core's snapshot and stats before each measurement.");
        t.note("Sender: N calls sent and not over; the held message is the HeldMessage (the request's header and "
                + "the caller's payload array, not a copy: each call has its own array here, which the core keeps "
                + "reachable until the call ends) and the caller's call object (here a bare Object; O2netNode's is "
                + "its Call), in a ring of slots indexed by msg_seq (v12, v13; grown to a power of two at or above "
                + "N) or an array by msg_num (v11, IdTable). Receiver v12: the MessageHolder in a TreeMap keyed by "
                + "msg_seq, which keeps the whole request frame, payload included, until MH_REMOVE. Receiver "
                + "v13: the MessageHolder (status and header fields only once DONE) in a ring of window size; "
                + "v13 rows are measured against a core with a window of 1, so the ring's slots (4 B each, "
                + "window N rounded up to 16,384) count. A v11 receiver keeps nothing.");
        return t;
    }

    /** Where the bytes of one message go, class by class, for the given sample. */
    public static Table breakdown(Sample s) {
        return s.footprint.table(
                "Where the bytes go: " + s.side() + " core " + s.protocol() + ", " + s.state() + ", payload "
                        + s.payload() + " B",
                s.n(),
                "JOL: objects and bytes per class reachable from the core " + "with N = " + Table.count(s.n())
                        + " messages, minus those with none, / N.");
    }

    /** Effects that keep nothing, except what a measurement asks for before it starts. */
    private static final class Sink implements Effects<Object> {
        boolean record;
        private List<O2netMsg> written = new ArrayList<>();
        private List<MessageHolder> runs = new ArrayList<>();

        List<O2netMsg> take() {
            List<O2netMsg> w = written;
            written = new ArrayList<>();
            return w;
        }

        List<MessageHolder> takeRuns() {
            List<MessageHolder> r = runs;
            runs = new ArrayList<>();
            return r;
        }

        @Override
        public void write(O2netMsg frame) {
            if (record) {
                written.add(frame);
            }
        }

        @Override
        public void runHandler(MessageHolder mh) {
            runs.add(mh);
        }

        @Override
        public void complete(Object call, CallResult result) {}

        @Override
        public void refuse(Object call, Errno errno, String why) {
            throw new IllegalStateException("call refused during a measurement: " + why);
        }

        @Override
        public void disconnect(String why) {
            throw new IllegalStateException("disconnect during a measurement: " + why);
        }

        @Override
        public boolean tracing() {
            return false;
        }
    }
}
