// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.ToIntFunction;
import org.ocfs2.o2net.config.ClusterConfig;
import org.ocfs2.o2net.core.Action;
import org.ocfs2.o2net.core.PeerCore;
import org.ocfs2.o2net.netty.FaultInjector;
import org.ocfs2.o2net.netty.FaultInjector.Direction;
import org.ocfs2.o2net.node.NodeControl;
import org.ocfs2.o2net.node.NodeLiveness;
import org.ocfs2.o2net.node.O2netNode;
import org.ocfs2.o2net.node.PeerInspection;
import org.ocfs2.o2net.node.Request;
import org.ocfs2.o2net.node.TraceSink;
import org.ocfs2.o2net.wire.Magic;
import org.ocfs2.o2net.wire.O2netMsg;

/**
 * The Netty tier: drives two real {@link O2netNode}s (protocol v12) over loopback TCP, node S (number 2, the
 * connector) calling node R (number 1), each on its own address 127.0.0.x and a free port. Nothing moves unless a
 * step moves it:
 * <ul>
 *   <li>the fault injector of both nodes HOLDS every protocol frame where it is written (MSG, STATUS, MH_REMOVE,
 *       MH_REMOVED; keepalives pass, and keepalive and idle timer are far longer than a trace): the frames S holds for
 *       R are the spec's {@code toR}, those R holds for S its {@code toS};</li>
 *   <li>the nodes make no connection on their own ({@code O2netNode.Builder.autoConnect(false)}): only a
 *       {@code Connect} step connects;</li>
 *   <li>R's handler blocks until a {@code RunHandler} or {@code RunOrphan} step releases it;</li>
 *   <li>the heartbeat is played by the driver ({@link NettyHeartbeat}).</li>
 * </ul>
 * Each spec action maps to what a user, the network or the heartbeat does to the nodes:
 * <table>
 *   <caption>spec action: what the driver does, then waits for</caption>
 *   <tr><td>{@code Send(c)}</td><td>{@code S.sendAsync} with the payload of c's next call {@code <<c, k>>}
 *       ({@link Abstraction#payload}); until S's core took it (trace {@code Send}: in v12 at once, connected or
 *       not)</td></tr>
 *   <tr><td>{@code RecvMsg}, {@code RecvDup}, {@code RecvRemove}</td><td>S's oldest held frame for R, which must be a
 *       MSG (MH_REMOVE), is released, and no other; until R's core traced the action it took for that
 *       {@code msg_seq}</td></tr>
 *   <tr><td>{@code RecvStatus}, {@code RecvStaleStatus}, {@code RecvRemoved}</td><td>the same, R's oldest held frame
 *       for S, a STATUS (MH_REMOVED)</td></tr>
 *   <tr><td>{@code RunHandler(s)}</td><td>the handler of the request whose MH is in R's tree under {@code msg_seq} s
 *       returns {@link Abstraction#status} of its payload; until R's core traced {@code RunHandler}</td></tr>
 *   <tr><td>{@code RunOrphan(x)}</td><td>the handler of call x, whose MH is no longer in R's tree, returns; until R's
 *       core traced {@code RunOrphan}</td></tr>
 *   <tr><td>{@code Reset}</td><td>{@code resetConnection} (SO_LINGER 0: a real RST), from S and from R in turn; the
 *       frames held for the connection are lost with it; until both cores traced {@code Reset}</td></tr>
 *   <tr><td>{@code Connect}</td><td>{@code S.connect(R)}; until both handshakes passed (both cores traced
 *       {@code Connect}) and S handed the calls that waited for the connection to its core</td></tr>
 *   <tr><td>{@code Restart(n)}</td><td>{@code close()} of n's node (R's running handlers die with it), then a new
 *       node on the same address with a new incarnation, whose heartbeat sees the peer alive; until the peer saw the
 *       connection go</td></tr>
 *   <tr><td>{@code HbNodeDown(n)}</td><td>the heartbeat of n's peer declares dead the incarnation of n it believed
 *       alive (the spec's {@code hbInc[n]} before the step)</td></tr>
 *   <tr><td>{@code HbNodeUp(n)}</td><td>the heartbeat of n's peer sees n alive at its incarnation</td></tr>
 *   <tr><td>{@code Done}</td><td>nothing</td></tr>
 * </table>
 * After every step the driver waits until the implementation is quiet: both ends agree whether a connection is up,
 * and every call no longer held by S has its result. Then {@link #state()} reads both nodes with
 * {@code O2netNode.inspect} (on their event loops) and maps them with {@link Abstraction}, as the core tier does.
 * Every step checks that the cores traced exactly the step's action ({@code Connect} twice; {@code Reset} aside), and
 * that nothing happened between steps. A wait that does not end within {@value #TIMEOUT_SECONDS} s is a
 * {@link Divergence} at that step.
 * <p>
 * One thing the implementation cannot do by design: it runs one peer's handlers one at a time, in arrival order
 * (impl/README.md, departure 1), while the spec lets any running handler finish first. A {@code RunHandler} or
 * {@code RunOrphan} of a request that arrived after another whose handler has not finished throws
 * {@link SerialHandlers}.
 */
public final class NettyDriver implements ProtocolDriver, AutoCloseable {
    static final int S_NODE = 2;
    static final int R_NODE = 1;
    static final int MSG_TYPE = 7;
    static final int KEY = 0x1234;
    /** Keepalive and idle timeout: far longer than any trace, so that neither fires. */
    static final int KEEPALIVE_MS = 600_000;

    static final int IDLE_MS = 1_200_000;
    static final int TIMEOUT_SECONDS = 15;
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    /** How often a wait on something other than a trace event looks again. */
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final ToIntFunction<byte[]> handler;
    private final boolean resetDeliversHeldFrames;
    private final String rAddress;
    private final String sAddress;
    private final SplittableRandom random = new SplittableRandom(0x0e77);
    private final Set<Long> drawn = new HashSet<>();
    private final NettyHeartbeat hb = new NettyHeartbeat();
    private final Map<String, Side> sides = new HashMap<>();
    private final Map<String, Integer> incarnations = new HashMap<>();
    private final List<Abstraction.Made> made = new ArrayList<>();
    /** Handler runs R's current node asked for, in the order it asked; guarded by itself. */
    private final List<Run> runs = new ArrayList<>();

    private final Map<String, Integer> runCount = new HashMap<>();
    /** Trace events of the nodes since the step began, and how many ever; guarded by {@link #lock}. */
    private final List<Event> events = new ArrayList<>();

    private long version;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled on every trace event. */
    private final Condition changed = lock.newCondition();

    private final FaultInjector injector =
            (node, peer, direction, frame) -> direction == Direction.OUTBOUND && protocol(frame)
                    ? FaultInjector.Verdict.HOLD
                    : FaultInjector.Verdict.PASS;
    private Abstraction abstraction;
    private ObjectNode before;
    private int rPort;
    private int sPort;
    private int resets;

    /** A driver whose handlers return {@link Abstraction#status}, as the spec's handlers do, on 127.0.0.10/11. */
    public NettyDriver() {
        this(0);
    }

    /**
     * A driver on its own pair of loopback addresses, {@code 127.0.0.(10 + 2 slot)} for R and the next for S, so
     * that drivers can run side by side.
     */
    public NettyDriver(int slot) {
        this(slot, Abstraction::status, false);
    }

    /**
     * A driver whose handlers return {@code handler(payload)}, and which, if {@code resetDeliversHeldFrames}, lets
     * every held frame through before it resets the connection: both break conformance (the negative tests).
     */
    NettyDriver(int slot, ToIntFunction<byte[]> handler, boolean resetDeliversHeldFrames) {
        if (slot < 0 || slot > 100) {
            throw new IllegalArgumentException("slot " + slot);
        }
        this.handler = handler;
        this.resetDeliversHeldFrames = resetDeliversHeldFrames;
        this.rAddress = "127.0.0." + (10 + 2 * slot);
        this.sAddress = "127.0.0." + (11 + 2 * slot);
    }

    /**
     * Thrown when the spec finishes a handler run that arrived after another whose handler has not finished: the
     * implementation runs one peer's handlers one at a time, in arrival order, so it cannot take the step. Not a
     * {@link Divergence}: the implementation refines the spec here, by design.
     */
    public static final class SerialHandlers extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SerialHandlers(String message) {
            super(message);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Steps
    // ------------------------------------------------------------------------------------------------------------

    @Override
    public void step(Step step) {
        if (abstraction == null && !step.action().equals(Step.INIT)) {
            throw new Divergence("the first step must be " + Step.INIT);
        }
        List<String> unasked = takeEvents(false);
        if (!unasked.isEmpty()) {
            throw new Divergence("between the steps the implementation took " + unasked + " on its own");
        }
        List<String> expected = switch (step.action()) {
            case Step.INIT -> init(step.state());
            case "Send" -> send(step.param("c").asText());
            case "RecvMsg", "RecvDup" -> deliver(step.action(), s(), r(), Magic.MSG);
            case "RecvRemove" -> deliver(step.action(), s(), r(), Magic.MH_REMOVE);
            case "RecvStatus", "RecvStaleStatus" -> deliver(step.action(), r(), s(), Magic.STATUS);
            case "RecvRemoved" -> deliver(step.action(), r(), s(), Magic.MH_REMOVED);
            case "RunHandler" -> finish(step, handlerRun(step.param("s").longValue()));
            case "RunOrphan" -> finish(step, orphanRun(TlaValue.text(step.param("x"))));
            case "Reset" -> reset();
            case "Connect" -> connect();
            case "Restart" -> restart(step.param("n").asText());
            case "HbNodeDown" -> nodeDown(step.param("n").asText());
            case "HbNodeUp" -> nodeUp(step.param("n").asText());
            case "Done" -> List.of();
            default -> throw new Divergence("no driver for action " + step.action());
        };
        settle();
        List<String> actual = takeEvents(true);
        List<String> want = new ArrayList<>(expected);
        Collections.sort(want);
        if (!actual.equals(want)) {
            throw new Divergence("the implementation took " + actual + " where the spec takes " + want);
        }
        before = step.state();
    }

    @Override
    public AbstractState state() {
        if (abstraction == null) {
            throw new IllegalStateException("no " + Step.INIT + " step yet");
        }
        PeerInspection s = s().inspect();
        PeerInspection r = r().inspect();
        List<O2netMsg> running = new ArrayList<>();
        synchronized (runs) {
            runs.forEach(run -> running.add(run.msg));
        }
        return abstraction.of(new Abstraction.Impl(
                s.core(), r.core(), protocol(s.heldOutbound()), protocol(r.heldOutbound()), made, running, runCount));
    }

    private List<String> init(JsonNode state) {
        if (abstraction != null) {
            throw new Divergence(Step.INIT + " twice");
        }
        for (int attempt = 0; ; attempt++) {
            abstraction = new Abstraction(
                    TlaValue.entries(state.get("callNo")).keySet(),
                    TlaValue.entries(state.get("runs")).keySet());
            rPort = freePort(rAddress);
            sPort = freePort(sAddress);
            try {
                long rInc = freshIncarnation();
                long sInc = freshIncarnation();
                sides.put(Abstraction.R, new Side(Abstraction.R, 1, rInc, Map.of(S_NODE, sInc)));
                sides.put(Abstraction.S, new Side(Abstraction.S, 1, sInc, Map.of(R_NODE, rInc)));
                incarnations.put(Abstraction.R, 1);
                incarnations.put(Abstraction.S, 1);
                return List.of();
            } catch (UncheckedIOException e) {
                if (attempt == 5) {
                    throw e;
                }
                sides.values().forEach(Side::close);
                sides.clear();
            }
        }
    }

    private List<String> send(String caller) {
        int k = 1;
        for (Abstraction.Made m : made) {
            if (m.caller().equals(caller)) {
                k = m.k() + 1;
            }
        }
        String call = Abstraction.call(caller, k);
        byte[] payload = Abstraction.payload(call);
        Side s = s();
        CompletableFuture<Integer> f = s.node.sendAsync(MSG_TYPE, KEY, payload, R_NODE);
        made.add(new Abstraction.Made(caller, k, s.inc, f));
        await("S takes call " + call, () -> f.isDone() || traced(s, Action.Send) > 0);
        if (f.isDone() && f.isCompletedExceptionally()) {
            throw new Divergence("S refused call " + call + ": " + cause(f));
        }
        return List.of("Send");
    }

    /** Releases the oldest protocol frame {@code from} holds for {@code to}, which must be of {@code kind}. */
    private List<String> deliver(String action, Side from, Side to, Magic kind) {
        List<O2netMsg> held = from.inspect().heldOutbound();
        int i = 0;
        while (i < held.size() && !protocol(held.get(i))) {
            i++;
        }
        if (i == held.size() || held.get(i).magic() != kind) {
            throw new Divergence("the action receives a " + kind + " frame, but the next frame for " + to.name + " is "
                    + (i == held.size() ? "none" : held.get(i)));
        }
        O2netMsg f = held.get(i);
        int released = NodeControl.releaseFrames(from.node, to.number, Direction.OUTBOUND, i + 1);
        if (released != i + 1) {
            throw new Divergence(from.name + " released " + released + " frames, not " + (i + 1));
        }
        await(to.name + " receives " + f, () -> traced(to, f.msgSeq(), RECEIVES) > 0 || traced(to, Action.Reset) > 0);
        if (action.equals("RecvMsg") && traced(to, f.msgSeq(), Set.of(Action.RecvMsg)) > 0) {
            PeerCore.Snapshot.Holder h = holder(f.msgSeq());
            if (h != null) {
                run(h.msg());
            }
        }
        return List.of(action);
    }

    private static final Set<Action> RECEIVES = Set.of(
            Action.RecvMsg,
            Action.RecvDup,
            Action.RecvRemove,
            Action.RecvStatus,
            Action.RecvStaleStatus,
            Action.RecvRemoved);

    private PeerCore.Snapshot.Holder holder(long seq) {
        for (PeerCore.Snapshot.Holder h : r().inspect().core().messageHolders()) {
            if (h.msg().msgSeq() == seq) {
                return h;
            }
        }
        return null;
    }

    /** The run of the MH in R's tree under {@code seq}. */
    private Run handlerRun(long seq) {
        PeerCore.Snapshot.Holder h = holder(seq);
        Run run = h == null ? null : find(h.msg());
        if (run == null) {
            throw new Divergence("no handler run of an MH with msg_seq " + seq + " in R's tree; runs: " + runs());
        }
        return run;
    }

    /** The run of call {@code call} whose MH is not in R's tree. */
    private Run orphanRun(String call) {
        Set<O2netMsg> tree = Collections.newSetFromMap(new IdentityHashMap<>());
        r().inspect().core().messageHolders().forEach(h -> tree.add(h.msg()));
        synchronized (runs) {
            for (Run run : runs) {
                if (!tree.contains(run.msg)
                        && Abstraction.callOf(run.msg.payload()).equals(call)) {
                    return run;
                }
            }
        }
        throw new Divergence("no handler run of " + call + " outside R's tree; runs: " + runs());
    }

    /** Lets the handler of {@code run} return, once every run R asked for before it has finished. */
    private List<String> finish(Step step, Run run) {
        synchronized (runs) {
            int i = runs.indexOf(run);
            if (i > 0) {
                Run first = runs.get(0);
                throw new SerialHandlers(step.label() + ": the handler of " + Abstraction.callOf(run.msg.payload())
                        + " (msg_seq " + run.msg.msgSeq() + ") cannot return before that of "
                        + Abstraction.callOf(first.msg.payload()) + " (msg_seq " + first.msg.msgSeq()
                        + "), which arrived first and has not returned: R runs one peer's handlers one at a time, in"
                        + " arrival order");
            }
        }
        Side r = r();
        await("the handler of " + run + " starts", () -> run.started);
        run.release.complete(true);
        await(
                "R's core has the status of " + run,
                () -> traced(r, run.msg.msgSeq(), Set.of(Action.RunHandler, Action.RunOrphan)) > 0);
        synchronized (runs) {
            runs.remove(run);
        }
        runCount.merge(Abstraction.callOf(run.msg.payload()), 1, Integer::sum);
        return List.of(step.action());
    }

    private List<String> reset() {
        Side s = s();
        Side r = r();
        if (!s.inspect().core().connected() || !r.inspect().core().connected()) {
            throw new Divergence("Reset needs a connection, but S and R are "
                    + s.inspect().core().connected() + ", " + r.inspect().core().connected());
        }
        if (resetDeliversHeldFrames) {
            // Broken on purpose: the frames in flight arrive, one at a time, instead of being lost.
            for (boolean more = true; more; ) {
                more = false;
                for (Side from : List.of(s, r)) {
                    List<O2netMsg> held = protocol(from.inspect().heldOutbound());
                    if (!held.isEmpty()) {
                        Side to = peer(from);
                        O2netMsg f = held.get(0);
                        int seen = traced(to, f.msgSeq(), RECEIVES);
                        NodeControl.releaseFrames(
                                from.node,
                                to.number,
                                Direction.OUTBOUND,
                                from.inspect().heldOutbound().indexOf(f) + 1);
                        await(to.name + " receives " + f, () -> traced(to, f.msgSeq(), RECEIVES) > seen);
                        PeerCore.Snapshot.Holder h = to == r ? holder(f.msgSeq()) : null;
                        if (h != null && !h.done()) {
                            run(h.msg());
                        }
                        more = true;
                    }
                }
            }
        }
        Side from = resets++ % 2 == 0 ? s : r;
        if (!NodeControl.resetConnection(from.node, peer(from).number)) {
            throw new Divergence(from.name + " has no connection to reset");
        }
        await("both ends see the reset", () -> traced(s, Action.Reset) > 0 && traced(r, Action.Reset) > 0);
        if (resetDeliversHeldFrames) {
            return unfiltered();
        }
        return List.of();
    }

    /** With frames released by a broken reset, whatever the cores did is accepted here (the state shows it). */
    private List<String> unfiltered() {
        lock.lock();
        try {
            List<String> all = new ArrayList<>();
            for (Event e : events) {
                if (e.action != Action.Reset) {
                    all.add(e.action.name());
                }
            }
            return all;
        } finally {
            lock.unlock();
        }
    }

    private List<String> connect() {
        Side s = s();
        Side r = r();
        PeerInspection si = s.inspect();
        if (si.core().connected() || r.inspect().core().connected() || si.connection()) {
            throw new Divergence("Connect needs both ends disconnected");
        }
        if (!NodeControl.connect(s.node, R_NODE)) {
            throw new Divergence("S makes no connection attempt to R: " + si);
        }
        await("both handshakes pass", () -> traced(s, Action.Connect) > 0 && traced(r, Action.Connect) > 0);
        return List.of("Connect", "Connect");
    }

    private List<String> restart(String n) {
        Side old = side(n);
        Side other = peer(old);
        boolean connected = other.inspect().core().connected();
        if (n.equals(Abstraction.S)) {
            // The callers die with S: a call not over now is abandoned, whatever close() does to its future.
            for (int i = 0; i < made.size(); i++) {
                Abstraction.Made m = made.get(i);
                if (m.incarnation() == old.inc && !m.result().isDone()) {
                    made.set(i, new Abstraction.Made(m.caller(), m.k(), m.incarnation(), new CompletableFuture<>()));
                }
            }
        } else {
            synchronized (runs) {
                old.closing = true; // R's handler runs die with it
                runs.clear();
            }
        }
        old.close();
        int spec = incarnations.merge(n, 1, Integer::sum);
        long inc = freshIncarnation();
        sides.put(n, new Side(n, spec, inc, Map.of(other.number, other.inc)));
        if (connected) {
            await(other.name + " sees the connection go", () -> traced(other, Action.Reset) > 0);
        }
        return List.of("Restart"); // the closed node's, once for its one peer
    }

    private List<String> nodeDown(String n) {
        int believed = before.get("hbInc").get(n).intValue();
        long dead = abstraction.incarnation(n, believed);
        if (dead == 0) {
            throw new Divergence(
                    "heartbeat believes incarnation " + believed + " of " + n + " alive, which never existed");
        }
        hb.down(peer(side(n)).number, side(n).number, dead);
        return List.of("HbNodeDown");
    }

    private List<String> nodeUp(String n) {
        hb.up(peer(side(n)).number, side(n).number, side(n).inc);
        return List.of("HbNodeUp");
    }

    /**
     * Waits until the implementation is quiet: both ends agree whether the connection is up (one end may have
     * dropped it and the other not yet seen it), and every call S no longer holds has its result.
     */
    private void settle() {
        Side s = s();
        Side r = r();
        await(
                "both ends agree on the connection",
                () -> s.inspect().core().connected() == r.inspect().core().connected());
        PeerInspection si = s.inspect();
        List<byte[]> kept = new ArrayList<>();
        si.core().held().values().forEach(h -> kept.add(h.msg().payload()));
        for (Abstraction.Made m : made) {
            if (m.incarnation() == s.inc
                    && !m.result().isDone()
                    && !contains(kept, Abstraction.payload(Abstraction.call(m.caller(), m.k())))) {
                try {
                    m.result().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    // failed: the abstraction reads how
                } catch (TimeoutException e) {
                    throw new Divergence("S holds call " + Abstraction.call(m.caller(), m.k())
                            + " no more, but its caller has no result after " + TIMEOUT_SECONDS + " s");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Nodes, runs, events
    // ------------------------------------------------------------------------------------------------------------

    /** One node of the spec and its current O2netNode. */
    private final class Side implements TraceSink {
        final String name;
        final int number;
        final int spec;
        final long inc;
        final O2netNode node;
        volatile boolean closing;

        Side(String name, int spec, long inc, Map<Integer, Long> sees) {
            this.name = name;
            this.number = name.equals(Abstraction.S) ? S_NODE : R_NODE;
            this.spec = spec;
            this.inc = inc;
            abstraction.bind(name, spec, inc);
            NodeLiveness liveness = hb.start(number, inc, sees);
            this.node = start(liveness);
        }

        private O2netNode start(NodeLiveness liveness) {
            for (int attempt = 0; ; attempt++) {
                O2netNode n = O2netNode.builder(config(number), liveness)
                        .faultInjector(injector)
                        .trace(this)
                        .autoConnect(false)
                        .build();
                if (number == R_NODE) {
                    n.registerHandler(MSG_TYPE, KEY, O2netMsg.MAX_PAYLOAD_BYTES, this::handle);
                }
                try {
                    n.start();
                    return n;
                } catch (UncheckedIOException e) {
                    // the address is still taken: the old node's port, or a free port taken meanwhile
                    if (attempt == 20 || spec == 1) {
                        throw e;
                    }
                    sleep(20);
                }
            }
        }

        /**
         * R's handler: blocks until a step releases it. It dies with its node: {@code close()} interrupts it once
         * the node's event loops are gone, so that its status reaches no core (the spec's {@code Restart} kills
         * running handlers at once). The interrupt is kept, so that the handlers queued behind it on the same thread
         * die at once too; a handler that starts while the node is closing waits for that interrupt.
         */
        private int handle(Request req) throws Exception {
            Run run = null;
            synchronized (runs) {
                if (!closing) {
                    run = run(req.msg());
                    run.started = true;
                }
            }
            try {
                if (run == null) {
                    new CompletableFuture<Boolean>().get();
                } else if (!run.release.get()) {
                    throw new InterruptedException("node " + name + " is closed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw e;
            }
            return handler.applyAsInt(req.payload());
        }

        PeerInspection inspect() {
            return NodeControl.inspect(node, peer(this).number);
        }

        void close() {
            closing = true;
            node.close();
        }

        @Override
        public void trace(int node, int peer, Action action, long msgSeq, int msgNum, long nanoTime) {
            lock.lock();
            try {
                events.add(new Event(this, action, msgSeq));
                version++;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public String toString() {
            return name + " (node " + number + ", incarnation " + spec + ")";
        }
    }

    /** A handler run R asked for, by the identity of its request. */
    private static final class Run {
        final O2netMsg msg;
        final CompletableFuture<Boolean> release = new CompletableFuture<>();
        volatile boolean started;

        Run(O2netMsg msg) {
            this.msg = msg;
        }

        @Override
        public String toString() {
            return Abstraction.callOf(msg.payload()) + " (msg_seq " + msg.msgSeq() + (started ? "" : ", not started")
                    + ")";
        }
    }

    private record Event(Side side, Action action, long seq) {}

    /** The run of request {@code msg}, made if R's node has not asked for it before. */
    private Run run(O2netMsg msg) {
        synchronized (runs) {
            Run run = find(msg);
            if (run == null) {
                run = new Run(msg);
                runs.add(run);
            }
            return run;
        }
    }

    private Run find(O2netMsg msg) {
        synchronized (runs) {
            for (Run run : runs) {
                if (run.msg == msg) {
                    return run;
                }
            }
            return null;
        }
    }

    private String runs() {
        synchronized (runs) {
            return runs.toString();
        }
    }

    /** How many events {@code side} traced with {@code action} since the step began. */
    private int traced(Side side, Action action) {
        lock.lock();
        try {
            int n = 0;
            for (Event e : events) {
                if (e.side == side && e.action == action) {
                    n++;
                }
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** How many events {@code side} traced for {@code msg_seq} with one of {@code actions} since the step began. */
    private int traced(Side side, long seq, Set<Action> actions) {
        lock.lock();
        try {
            int n = 0;
            for (Event e : events) {
                if (e.side == side && e.seq == seq && actions.contains(e.action)) {
                    n++;
                }
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The actions the current nodes traced since the last call, sorted, {@code Reset} left out (it is checked by
     * waiting for it); with {@code all}, events of nodes that are gone too.
     */
    private List<String> takeEvents(boolean all) {
        lock.lock();
        try {
            List<String> names = new ArrayList<>();
            for (Event e : events) {
                boolean current = sides.get(e.side.name) == e.side;
                if (e.action != Action.Reset && (current || all)) {
                    names.add(e.action.name());
                }
            }
            events.clear();
            Collections.sort(names);
            return names;
        } finally {
            lock.unlock();
        }
    }

    private long version() {
        lock.lock();
        try {
            return version;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until {@code condition} holds, waking on every trace event; a {@link Divergence} after the timeout. */
    private void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        for (; ; ) {
            long seen = version();
            if (condition.getAsBoolean()) {
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new Divergence("timed out after " + TIMEOUT_SECONDS + " s waiting until " + what);
            }
            lock.lock();
            try {
                if (version == seen) {
                    // Woken by the next event; conditions on other state (futures, inspections) are polled.
                    changed.awaitNanos(Math.min(left, POLL_NANOS));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting until " + what, e);
            } finally {
                lock.unlock();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------------------------

    private Side s() {
        return sides.get(Abstraction.S);
    }

    private Side r() {
        return sides.get(Abstraction.R);
    }

    private Side side(String n) {
        return sides.get(n);
    }

    private Side peer(Side side) {
        return sides.get(Abstraction.peer(side.name));
    }

    private ClusterConfig config(int local) {
        return ClusterConfig.newBuilder()
                .name("conformance")
                .reliable(true)
                .keepaliveDelayMs(KEEPALIVE_MS)
                .idleTimeoutMs(IDLE_MS)
                .reconnectDelayMs(100)
                .heartbeatDeadThreshold(2)
                .allowShortTimeouts()
                .addNode(R_NODE, "r", rAddress, rPort)
                .addNode(S_NODE, "s", sAddress, sPort)
                .localNode(local)
                .build();
    }

    private static int freePort(String address) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + address, e);
        }
    }

    /** A protocol frame: anything but a keepalive. */
    static boolean protocol(O2netMsg f) {
        return f.magic() != Magic.KEEP_REQ && f.magic() != Magic.KEEP_RESP;
    }

    private static List<O2netMsg> protocol(List<O2netMsg> frames) {
        return frames.stream().filter(NettyDriver::protocol).toList();
    }

    private static boolean contains(List<byte[]> payloads, byte[] p) {
        for (byte[] q : payloads) {
            if (Arrays.equals(p, q)) {
                return true;
            }
        }
        return false;
    }

    private static String cause(CompletableFuture<?> f) {
        try {
            f.join();
            return "no failure";
        } catch (RuntimeException e) {
            return String.valueOf(e.getCause() != null ? e.getCause() : e);
        }
    }

    /** A fresh incarnation: non-zero, never drawn before, from a fixed seed. */
    private long freshIncarnation() {
        long inc;
        do {
            inc = random.nextLong();
        } while (inc == 0 || !drawn.add(inc));
        return inc;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Closes both nodes; handlers still blocked die with R. */
    @Override
    public void close() {
        for (Side side : sides.values()) {
            side.close();
        }
        synchronized (runs) {
            runs.forEach(run -> run.release.complete(false));
            runs.clear();
        }
    }
}
