// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.ocfs2.o2net.core.Action;
import org.ocfs2.o2net.core.CallResult;
import org.ocfs2.o2net.core.Effects;
import org.ocfs2.o2net.core.MessageHolder;
import org.ocfs2.o2net.core.PeerCore;
import org.ocfs2.o2net.core.TraceEvent;
import org.ocfs2.o2net.wire.Errno;
import org.ocfs2.o2net.wire.Magic;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.ProtocolVersion;

/**
 * Drives two protocol cores ({@link PeerCore}, protocol v12), node S (number 2) calling node R (number 1), joined by
 * one simulated connection: two FIFO queues of frames. Nothing moves unless a step moves it. Each spec action maps to
 * core calls:
 * <table>
 *   <caption>spec action: what the driver does</caption>
 *   <tr><td>{@code Send(c)}</td><td>{@code send} on S with the payload of c's next call {@code <<c, k>>}
 *       ({@link Abstraction#payload})</td></tr>
 *   <tr><td>{@code RecvMsg}, {@code RecvDup}, {@code RecvRemove}</td><td>the head frame of S&rarr;R, which must be a
 *       MSG (MH_REMOVE), to R's {@code receive}</td></tr>
 *   <tr><td>{@code RecvStatus}, {@code RecvStaleStatus}, {@code RecvRemoved}</td><td>the head frame of R&rarr;S,
 *       which must be a STATUS (MH_REMOVED), to S's {@code receive}</td></tr>
 *   <tr><td>{@code RunHandler(s)}</td><td>the handler run R's core asked for, of the MH in its tree under
 *       {@code msg_seq} s, finishes: {@code handlerDone} with the handler's status</td></tr>
 *   <tr><td>{@code RunOrphan(x)}</td><td>the handler run of call x whose MH is no longer in R's tree
 *       finishes</td></tr>
 *   <tr><td>{@code Reset}</td><td>both queues emptied, {@code reset} on both cores</td></tr>
 *   <tr><td>{@code Connect}</td><td>{@code connect} on both cores, each with the other's incarnation (what the
 *       handshake carries)</td></tr>
 *   <tr><td>{@code Restart(n)}</td><td>a new core for n with a new incarnation; queues emptied, the peer's core
 *       reset; R's handler runs die with it</td></tr>
 *   <tr><td>{@code HbNodeDown(n)}</td><td>{@code nodeDown} on the core of n's peer with the incarnation of n its
 *       heartbeat believed alive (the spec's {@code hbInc[n]} before the step)</td></tr>
 *   <tr><td>{@code HbNodeUp(n)}</td><td>{@code nodeUp} on the core of n's peer with n's incarnation</td></tr>
 *   <tr><td>{@code Done}</td><td>nothing</td></tr>
 * </table>
 * When a core disconnects ({@code Effects.disconnect}, the spec's {@code ForgetPeer}), the queues are emptied and
 * the other core is reset after the core returns. Every step checks that the cores traced exactly the step's action
 * ({@code Effects.trace}; {@code Connect} twice, once per core; the {@code Reset} of a dropped connection aside) and
 * that every completion happened once. A call's object, handed to S's core and back, is the future a caller of
 * {@code O2netNode.sendAsync} would hold ({@link Abstraction#complete}); a refusal is a divergence.
 * <p>
 * Protocol v13 ({@link #v13}, AckO2net's traces): the same, and {@code RecvAck} delivers the head frame of S&rarr;R,
 * which must be an ACK, {@code RefuseMsg} a MSG that R's core must refuse, and {@code SendAck} fires S's delayed-ack
 * timer ({@code ackTimer}): the core must write an ACK then, and only then (the timer the core asks for with
 * {@code Effects.ackPending} is the spec's enabling condition, not a step).
 */
public final class CoreDriver implements ProtocolDriver {
    private static final int S_NODE = 2;
    private static final int R_NODE = 1;
    private static final int MSG_TYPE = 7;
    private static final int KEY = 0x1234;

    private final ProtocolVersion version;
    private final int window;
    private final ToIntFunction<byte[]> handler;
    private final Consumer<TraceEvent> events;
    private final SplittableRandom random = new SplittableRandom(0x02ae7);
    private final Set<Long> drawn = new HashSet<>();
    private Abstraction abstraction;
    private final Map<String, Side> sides = new HashMap<>();
    private final Map<String, Integer> incarnations = new HashMap<>();
    private final Deque<O2netMsg> toR = new ArrayDeque<>();
    private final Deque<O2netMsg> toS = new ArrayDeque<>();
    private final List<Abstraction.Made> made = new ArrayList<>();
    private final List<MessageHolder> running = new ArrayList<>();
    private final Map<String, Integer> runs = new HashMap<>();
    private final List<Action> traced = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private boolean dropped;
    private ObjectNode before;
    private long clock;

    /** A driver whose handlers return {@link Abstraction#status}, as the spec's handlers do. */
    public CoreDriver() {
        this(Abstraction::status);
    }

    /**
     * A driver whose handlers return {@code handler(payload)}; anything but {@link Abstraction#status} breaks
     * conformance (the negative tests use this).
     */
    public CoreDriver(ToIntFunction<byte[]> handler) {
        this(handler, e -> {});
    }

    /**
     * A driver that also hands every event of its cores ({@code Effects.trace(TraceEvent)}) to {@code events}, in
     * the order the cores take them, and a {@code Restart} event for the core a restart ends, before the new core
     * starts: an event log of the replay, as a node's {@code TraceSink} records one (the log tier,
     * {@link LogRecorder}).
     */
    public CoreDriver(ToIntFunction<byte[]> handler, Consumer<TraceEvent> events) {
        this(ProtocolVersion.V12, 1, handler, events);
    }

    /**
     * A driver of two cores speaking {@code version}: v12 replays {@code ReliableO2net}'s traces, v13 those of
     * {@code AckO2net} with its {@code Window} = {@code window} (both cores announce it).
     */
    public CoreDriver(ProtocolVersion version, int window, ToIntFunction<byte[]> handler, Consumer<TraceEvent> events) {
        if (!version.reliable()) {
            throw new IllegalArgumentException("the conformance models are v12 and v13, not " + version);
        }
        this.version = version;
        this.window = window;
        this.handler = handler;
        this.events = events;
    }

    /** A driver of two v13 cores with window {@code window}, for {@code AckO2net}'s traces. */
    public static CoreDriver v13(int window) {
        return new CoreDriver(ProtocolVersion.V13, window, Abstraction::status, e -> {});
    }

    @Override
    public void step(Step step) {
        if (abstraction == null && !step.action().equals(Step.INIT)) {
            throw new Divergence("the first step must be " + Step.INIT);
        }
        traced.clear();
        problems.clear();
        dropped = false;
        switch (step.action()) {
            case Step.INIT -> init(step.state());
            case "Send" -> send(step.param("c").asText());
            case "RecvMsg", "RecvDup" -> deliver(toR, r(), Magic.MSG);
            case "RecvRemove" -> deliver(toR, r(), Magic.MH_REMOVE);
            case "RecvStatus", "RecvStaleStatus" -> deliver(toS, s(), Magic.STATUS);
            case "RecvAck" -> deliver(toR, r(), Magic.ACK);
            case "RefuseMsg" -> deliver(toR, r(), Magic.MSG);
            case "SendAck" -> s().core.ackTimer(now());
            case "RecvRemoved" -> deliver(toS, s(), Magic.MH_REMOVED);
            case "RunHandler" -> finish(handlerRun(step.param("s").longValue()));
            case "RunOrphan" -> finish(orphanRun(TlaValue.text(step.param("x"))));
            case "Reset" -> reset();
            case "Connect" -> connect();
            case "Restart" -> restart(step.param("n").asText());
            case "HbNodeDown" -> nodeDown(step.param("n").asText());
            case "HbNodeUp" -> {
                String n = step.param("n").asText();
                side(Abstraction.peer(n)).core.nodeUp(side(n).core.incarnation(), now());
            }
            case "Done" -> {}
            default -> throw new Divergence("no driver for action " + step.action());
        }
        if (dropped) {
            toR.clear();
            toS.clear();
            s().core.reset(now());
            r().core.reset(now());
        }
        checkTraced(step.action());
        if (!problems.isEmpty()) {
            throw new Divergence(String.join("; ", problems));
        }
        before = step.state();
    }

    @Override
    public AbstractState state() {
        if (abstraction == null) {
            throw new IllegalStateException("no " + Step.INIT + " step yet");
        }
        List<O2netMsg> asked = new ArrayList<>(running.size());
        running.forEach(mh -> asked.add(mh.msg()));
        return abstraction.of(new Abstraction.Impl(
                s().core.snapshot(), r().core.snapshot(), List.copyOf(toR), List.copyOf(toS), made, asked, runs));
    }

    private void init(JsonNode state) {
        if (abstraction != null) {
            throw new Divergence(Step.INIT + " twice");
        }
        abstraction = new Abstraction(
                TlaValue.entries(state.get("callNo")).keySet(),
                TlaValue.entries(state.get("runs")).keySet(),
                version.carriesAck());
        sides.put(Abstraction.S, new Side(Abstraction.S));
        sides.put(Abstraction.R, new Side(Abstraction.R));
    }

    private void send(String caller) {
        int k = 1;
        for (Abstraction.Made m : made) {
            if (m.caller().equals(caller)) {
                k = m.k() + 1;
            }
        }
        String call = Abstraction.call(caller, k);
        PeerCore<CompletableFuture<Integer>> s = s().core;
        CompletableFuture<Integer> f = new CompletableFuture<>();
        made.add(new Abstraction.Made(caller, k, s.incarnation(), f));
        s.send(f, MSG_TYPE, KEY, Abstraction.payload(call), caller, now());
    }

    private void deliver(Deque<O2netMsg> queue, Side to, Magic kind) {
        O2netMsg f = queue.peek();
        if (f == null || f.magic() != kind) {
            throw new Divergence("the action receives a " + kind + " frame, but the next frame for " + to.node + " is "
                    + (f == null ? "none" : f));
        }
        queue.poll();
        to.core.receive(f, now());
    }

    private MessageHolder handlerRun(long seq) {
        Set<MessageHolder> tree = tree();
        for (MessageHolder mh : running) {
            if (tree.contains(mh) && mh.msgSeq() == seq) {
                return mh;
            }
        }
        throw new Divergence("no handler run of an MH with msg_seq " + seq + " in R's tree; runs: " + running);
    }

    private MessageHolder orphanRun(String call) {
        Set<MessageHolder> tree = tree();
        for (MessageHolder mh : running) {
            if (!tree.contains(mh) && Abstraction.callOf(mh.msg().payload()).equals(call)) {
                return mh;
            }
        }
        throw new Divergence("no handler run of " + call + " outside R's tree; runs: " + running);
    }

    private Set<MessageHolder> tree() {
        Set<MessageHolder> tree = Collections.newSetFromMap(new IdentityHashMap<>());
        tree.addAll(r().core.messageHolders());
        return tree;
    }

    private void finish(MessageHolder mh) {
        running.remove(mh);
        byte[] payload = mh.msg().payload();
        runs.merge(Abstraction.callOf(payload), 1, Integer::sum);
        r().core.handlerDone(mh, 0, handler.applyAsInt(payload), now());
    }

    private void reset() {
        if (!s().core.connected() || !r().core.connected()) {
            throw new Divergence(
                    "Reset needs a connection, but S is " + (s().core.connected() ? "" : "not ") + "connected and R is "
                            + (r().core.connected() ? "" : "not ") + "connected");
        }
        toR.clear();
        toS.clear();
        s().core.reset(now());
        r().core.reset(now());
    }

    private void connect() {
        if (s().core.connected() || r().core.connected()) {
            throw new Divergence("Connect needs both cores disconnected");
        }
        s().core.connect(r().core.incarnation(), now());
        r().core.connect(s().core.incarnation(), now());
    }

    private void restart(String node) {
        PeerCore gone = side(node).core;
        events.accept(TraceEvent.of(gone.node(), gone.peer(), gone.incarnation(), Action.Restart));
        if (node.equals(Abstraction.R)) {
            running.clear();
        }
        sides.put(node, new Side(node));
        toR.clear();
        toS.clear();
        side(Abstraction.peer(node)).core.reset(now());
    }

    private void nodeDown(String node) {
        int believed = before.get("hbInc").get(node).intValue();
        long dead = abstraction.incarnation(node, believed);
        if (dead == 0) {
            throw new Divergence(
                    "heartbeat believes incarnation " + believed + " of " + node + " alive, which never existed");
        }
        side(Abstraction.peer(node)).core.nodeDown(dead, now());
    }

    /** The cores must have traced the action once (Connect: once each), besides the Reset of a dropped connection. */
    private void checkTraced(String action) {
        List<String> expected = switch (action) {
            case Step.INIT, "Reset", "Restart", "Done" -> List.of();
            case "Connect" -> List.of("Connect", "Connect");
            default -> List.of(action);
        };
        List<String> actual =
                traced.stream().filter(a -> a != Action.Reset).map(Action::name).toList();
        if (!actual.equals(expected)) {
            problems.add("the implementation took " + actual + " where the spec takes " + expected);
        }
    }

    private Side s() {
        return sides.get(Abstraction.S);
    }

    private Side r() {
        return sides.get(Abstraction.R);
    }

    private Side side(String node) {
        return sides.get(node);
    }

    private long now() {
        return ++clock;
    }

    /** A fresh incarnation: non-zero, never drawn before, from a fixed seed. */
    private long freshIncarnation() {
        long inc;
        do {
            inc = random.nextLong();
        } while (inc == 0 || !drawn.add(inc));
        return inc;
    }

    /** One node's current core and the effects it produces. */
    private final class Side implements Effects<CompletableFuture<Integer>> {
        final String node;
        final PeerCore<CompletableFuture<Integer>> core;

        Side(String node) {
            this.node = node;
            int spec = incarnations.merge(node, 1, Integer::sum);
            long inc = freshIncarnation();
            abstraction.bind(node, spec, inc);
            boolean isS = node.equals(Abstraction.S);
            this.core = new PeerCore<>(isS ? S_NODE : R_NODE, isS ? R_NODE : S_NODE, version, inc, window, this);
        }

        private boolean current() {
            return sides.get(node) == this;
        }

        @Override
        public void write(O2netMsg frame) {
            if (!current()) {
                problems.add("a core of " + node + " that is gone wrote " + frame);
            } else if (node.equals(Abstraction.S)) {
                toR.add(frame);
            } else {
                toS.add(frame);
            }
        }

        @Override
        public void runHandler(MessageHolder mh) {
            if (!current() || node.equals(Abstraction.S)) {
                problems.add(node + " asked to run a handler for " + mh + ", but only R handles calls here");
            } else {
                running.add(mh);
            }
        }

        @Override
        public void complete(CompletableFuture<Integer> call, CallResult result) {
            if (!Abstraction.complete(call, result)) {
                problems.add("call " + callOf(call) + " completed twice, again with " + result);
            }
        }

        @Override
        public void refuse(CompletableFuture<Integer> call, Errno errno, String why) {
            problems.add("S refused call " + callOf(call) + ": " + errno + " " + why);
            call.completeExceptionally(new org.ocfs2.o2net.wire.O2netException(errno, why));
        }

        private String callOf(CompletableFuture<Integer> call) {
            for (Abstraction.Made m : made) {
                if (m.result() == call) {
                    return Abstraction.call(m.caller(), m.k());
                }
            }
            return "(not made)";
        }

        @Override
        public void disconnect(String why) {
            dropped = true;
        }

        @Override
        public void trace(Action action, long msgSeq, int msgNum) {
            traced.add(action);
        }

        @Override
        public void trace(TraceEvent event) {
            trace(event.action(), event.msgSeq(), event.msgNum());
            events.accept(event);
        }
    }
}
