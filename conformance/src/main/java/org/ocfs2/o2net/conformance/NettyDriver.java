// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayDeque;
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
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.ToIntFunction;
import org.ocfs2.o2net.config.ClusterConfig;
import org.ocfs2.o2net.core.Action;
import org.ocfs2.o2net.core.PeerCore;
import org.ocfs2.o2net.netty.FaultInjector;
import org.ocfs2.o2net.netty.FaultInjector.Direction;
import org.ocfs2.o2net.node.AckTimer;
import org.ocfs2.o2net.node.HandlerRegistration;
import org.ocfs2.o2net.node.NodeControl;
import org.ocfs2.o2net.node.NodeLiveness;
import org.ocfs2.o2net.node.O2netNode;
import org.ocfs2.o2net.node.PeerInspection;
import org.ocfs2.o2net.node.Request;
import org.ocfs2.o2net.node.TraceSink;
import org.ocfs2.o2net.wire.Magic;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.ProtocolVersion;

/**
 * The Netty tier: drives two real {@link O2netNode}s (protocol v12) over loopback TCP, node S (number 2, the
 * connector) calling node R (number 1), each on its own address 127.0.0.x and a port the OS chose
 * ({@link O2netNode#listen} with port 0, the bound socket handed to the node). Nothing moves unless a step moves it:
 * <ul>
 *   <li>the fault injector of both nodes HOLDS every protocol frame where it is written (MSG, STATUS, MH_REMOVE,
 *       MH_REMOVED; keepalives pass, and keepalive and idle timer are far longer than a trace): the frames S holds for
 *       R are the spec's {@code toR}, those R holds for S its {@code toS};</li>
 *   <li>the nodes make no connection on their own ({@code O2netNode.Builder.autoConnect(false)}): only a
 *       {@code Connect} step connects;</li>
 *   <li>the handlers run on the driver's thread: each node's handler executor is a queue the driver owns
 *       ({@link HandlerQueue}), into which the node puts each handler run as one task (the next of a peer only once
 *       the one before it is over); only a {@code RunHandler} or {@code RunOrphan} step runs a task, exactly
 *       one;</li>
 *   <li>the futures of {@code sendAsync} complete where the node completes the call (a direct callback executor),
 *       on its event loop, so that a look at the node on that loop ({@code NodeControl.inspect}) sees them
 *       complete;</li>
 *   <li>the heartbeat is played by the driver ({@link NettyHeartbeat}).</li>
 * </ul>
 * Each spec action maps to what a user, the network or the heartbeat does to the nodes:
 * <table>
 *   <caption>spec action: what the driver does, then waits for</caption>
 *   <tr><td>{@code Send(c)}</td><td>{@code S.sendAsync} with the payload of c's next call {@code <<c, k>>}
 *       ({@link Abstraction#payload}); S's core must have taken it (trace {@code Send}: in v12 at once, connected
 *       or not) by the time a look at S's event loop, queued after the call, returns</td></tr>
 *   <tr><td>{@code RecvMsg}, {@code RecvDup}, {@code RecvRemove}</td><td>S's oldest held frame for R, which must be a
 *       MSG (MH_REMOVE), is released, and no other; until R's core traced the action it took for that
 *       {@code msg_seq}</td></tr>
 *   <tr><td>{@code RecvStatus}, {@code RecvStaleStatus}, {@code RecvRemoved}</td><td>the same, R's oldest held frame
 *       for S, a STATUS (MH_REMOVED)</td></tr>
 *   <tr><td>{@code RunHandler(s)}</td><td>R's handler queue must hold exactly one task, the run of the request
 *       whose MH is in R's tree under {@code msg_seq} s; the driver runs it: the handler returns
 *       {@link Abstraction#status} of its payload and the task returns once R's core has the status (traced
 *       {@code RunHandler}), with nothing to wait for</td></tr>
 *   <tr><td>{@code RunOrphan(x)}</td><td>the same for the run of call x, whose MH is no longer in R's tree (traced
 *       {@code RunOrphan})</td></tr>
 *   <tr><td>{@code Reset}</td><td>{@code resetConnection} (SO_LINGER 0: a real RST), from S and from R in turn; the
 *       frames held for the connection are lost with it; until both cores traced {@code Reset}</td></tr>
 *   <tr><td>{@code Connect}</td><td>{@code S.connect(R)}; until both handshakes passed (both cores traced
 *       {@code Connect}) and S handed the calls that waited for the connection to its core</td></tr>
 *   <tr><td>{@code Restart(n)}</td><td>{@code close()} of n's node (R's queued handler runs die with it: their tasks
 *       are dropped), then a new node on the same address and port with a new incarnation, whose heartbeat sees the
 *       peer alive; until the peer saw the connection go</td></tr>
 *   <tr><td>{@code HbNodeDown(n)}</td><td>the heartbeat of n's peer declares dead the incarnation of n it believed
 *       alive (the spec's {@code hbInc[n]} before the step)</td></tr>
 *   <tr><td>{@code HbNodeUp(n)}</td><td>the heartbeat of n's peer sees n alive at its incarnation</td></tr>
 *   <tr><td>{@code Done}</td><td>nothing</td></tr>
 * </table>
 * Only the network is asynchronous: a frame released, a connection made or reset, arrives when it arrives. The driver
 * waits for those on the nodes' trace events ({@link TraceSink}), which signal a condition; nothing is polled. Every
 * other effect of a step is over when the call that made it returns, or when a look at the node's event loop
 * ({@code NodeControl.inspect}, which runs after every task queued on that loop before it) returns.
 * <p>
 * After every step the driver waits until the implementation is quiet: both ends agree whether a connection is up;
 * then every call no longer held by S must have its result, and R's handler queue must hold one task if a handler
 * run is pending and none otherwise (S's none). Then {@link #state()} reads both nodes with
 * {@code NodeControl.inspect} (on their event loops) and maps them with {@link Abstraction}, as the core tier does.
 * Every step checks that the cores traced exactly the step's action ({@code Connect} twice; {@code Reset} aside), and
 * that nothing happened between steps. A wait that does not end within {@value #TIMEOUT_SECONDS} s (a generous bound
 * on loopback I/O: it only turns a hang into a failure) is a {@link Divergence} at that step.
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

    private final ProtocolVersion protocol;
    private final int window;
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
    /** Handler runs R's current node has to make, in the order its requests arrived; the driver's thread only. */
    private final List<Run> runs = new ArrayList<>();

    private final Map<String, Integer> runCount = new HashMap<>();
    /** Trace events of the nodes since the step began; guarded by {@link #lock}. */
    private final List<Event> events = new ArrayList<>();

    /** How many trace events ever; guarded by {@link #lock}. */
    private long version;

    /** Guards what the nodes' threads hand to the driver: trace events and handler tasks. */
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
        this(slot, ProtocolVersion.V12, 1, handler, resetDeliversHeldFrames);
    }

    /**
     * A driver of two nodes speaking v13, each announcing {@code window}, for {@code AckO2net}'s traces, on its own
     * pair of loopback addresses as {@link #NettyDriver(int)}.
     */
    public static NettyDriver v13(int slot, int window) {
        return new NettyDriver(slot, ProtocolVersion.V13, window, Abstraction::status, false);
    }

    private NettyDriver(
            int slot,
            ProtocolVersion version,
            int window,
            ToIntFunction<byte[]> handler,
            boolean resetDeliversHeldFrames) {
        if (slot < 0 || slot > 100) {
            throw new IllegalArgumentException("slot " + slot);
        }
        if (!version.reliable()) {
            throw new IllegalArgumentException("the conformance models are v12 and v13, not " + version);
        }
        this.protocol = version;
        this.window = window;
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
            case "RecvAck" -> deliver(step.action(), s(), r(), Magic.ACK);
            case "RefuseMsg" -> deliver(step.action(), s(), r(), Magic.MSG);
            case "SendAck" -> sendAck();
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
        checkHandlerQueues();
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
        runs.forEach(run -> running.add(run.msg));
        return abstraction.of(new Abstraction.Impl(
                s.core(), r.core(), protocol(s.heldOutbound()), protocol(r.heldOutbound()), made, running, runCount));
    }

    private List<String> init(JsonNode state) {
        if (abstraction != null) {
            throw new Divergence(Step.INIT + " twice");
        }
        abstraction = new Abstraction(
                TlaValue.entries(state.get("callNo")).keySet(),
                TlaValue.entries(state.get("runs")).keySet(),
                protocol.carriesAck());
        // The OS picks both ports; the bound sockets go to the nodes, so no port is free in between.
        ServerSocketChannel rListen = O2netNode.listen(rAddress, 0);
        ServerSocketChannel sListen;
        try {
            sListen = O2netNode.listen(sAddress, 0);
        } catch (RuntimeException e) {
            closeQuietly(rListen);
            throw e;
        }
        rPort = O2netNode.port(rListen);
        sPort = O2netNode.port(sListen);
        long rInc = freshIncarnation();
        long sInc = freshIncarnation();
        try {
            sides.put(Abstraction.R, new Side(Abstraction.R, 1, rInc, Map.of(S_NODE, sInc), rListen));
        } catch (RuntimeException e) {
            closeQuietly(sListen);
            throw e;
        }
        sides.put(Abstraction.S, new Side(Abstraction.S, 1, sInc, Map.of(R_NODE, rInc), sListen));
        incarnations.put(Abstraction.R, 1);
        incarnations.put(Abstraction.S, 1);
        return List.of();
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
        // sendAsync queued the call on S's loop: a look there, queued after it, returns once the core took it (or
        // refused it, which completes the future on that loop: the callback executor is direct).
        s.inspect();
        if (f.isCompletedExceptionally()) {
            throw new Divergence("S refused call " + call + ": " + cause(f));
        }
        if (traced(s, Action.Send) == 0) {
            throw new Divergence("S's core did not take call " + call + " when its loop ran the call");
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
            // A look at R's loop, after the task that took RecvMsg: the handler run it asked for is queued by now.
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
            Action.RecvRemoved,
            Action.RecvAck,
            Action.RefuseMsg);

    /**
     * {@code SendAck} (v13): S's delayed-ack timers the node asked for ({@link AckTimer}, held by the driver) fire on
     * S's event loop; the core must write an ACK (trace {@code SendAck}), which the fault injector then holds as the
     * newest frame of {@code toR}.
     */
    private List<String> sendAck() {
        Side s = s();
        List<Runnable> due = s.takeAckTimers();
        if (due.isEmpty()) {
            throw new Divergence("S asked for no delayed-ack timer, but the spec takes SendAck");
        }
        due.forEach(Runnable::run);
        s.inspect(); // runs after the timers on S's loop
        return List.of("SendAck");
    }

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
            throw new Divergence("no handler run of an MH with msg_seq " + seq + " in R's tree; runs: " + runs);
        }
        return run;
    }

    /** The run of call {@code call} whose MH is not in R's tree. */
    private Run orphanRun(String call) {
        Set<O2netMsg> tree = Collections.newSetFromMap(new IdentityHashMap<>());
        r().inspect().core().messageHolders().forEach(h -> tree.add(h.msg()));
        for (Run run : runs) {
            if (!tree.contains(run.msg) && Abstraction.callOf(run.msg.payload()).equals(call)) {
                return run;
            }
        }
        throw new Divergence("no handler run of " + call + " outside R's tree; runs: " + runs);
    }

    /**
     * Runs the handler of {@code run}: the one task in R's handler queue, which must be that run (R queues a peer's
     * next run only once the one before it is over, so a run that arrived after another still pending cannot be
     * taken: {@link SerialHandlers}). The task returns once R's core has the status.
     */
    private List<String> finish(Step step, Run run) {
        int i = runs.indexOf(run);
        if (i > 0) {
            Run first = runs.get(0);
            throw new SerialHandlers(step.label() + ": the handler of " + Abstraction.callOf(run.msg.payload())
                    + " (msg_seq " + run.msg.msgSeq() + ") cannot return before that of "
                    + Abstraction.callOf(first.msg.payload()) + " (msg_seq " + first.msg.msgSeq()
                    + "), which arrived first and has not returned: R runs one peer's handlers one at a time, in"
                    + " arrival order");
        }
        Side r = r();
        Runnable task = r.handlers.takeOnly(run);
        r.ran = null;
        task.run();
        if (r.ran != run.msg) {
            throw new Divergence("R's queued handler task ran "
                    + (r.ran == null ? "no handler" : "the handler of " + Abstraction.callOf(r.ran.payload()))
                    + ", not that of " + run);
        }
        if (traced(r, run.msg.msgSeq(), Set.of(Action.RunHandler, Action.RunOrphan)) == 0) {
            throw new Divergence("the handler of " + run + " returned, but R's core has no status for it");
        }
        runs.remove(run);
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
            runs.clear(); // R's handler runs die with it: old.close() drops their tasks
        }
        old.close();
        int spec = incarnations.merge(n, 1, Integer::sum);
        long inc = freshIncarnation();
        sides.put(n, new Side(n, spec, inc, Map.of(other.number, other.inc), listenAgain(old)));
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
     * dropped it and the other not yet seen it; the other end's change is a trace event, {@code Connect} or
     * {@code Reset}). Then checks that every call S no longer holds has its result.
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
            // S's core lets a call go and completes it in one task on S's loop, and the callback executor is
            // direct: after the look above, a call S no longer holds has its result, or never will.
            if (m.incarnation() == s.inc
                    && !m.result().isDone()
                    && !contains(kept, Abstraction.payload(Abstraction.call(m.caller(), m.k())))) {
                throw new Divergence("S holds call " + Abstraction.call(m.caller(), m.k())
                        + " no more, but its caller has no result");
            }
        }
    }

    /**
     * R's handler queue holds the one task of its oldest pending run, or none if no run is pending (the node queues a
     * peer's next run only when the one before it is over); S's holds none (S gets no requests).
     */
    private void checkHandlerQueues() {
        int pending = runs.isEmpty() ? 0 : 1;
        if (r().handlers.size() != pending || s().handlers.size() != 0) {
            throw new Divergence("R's handler queue holds " + r().handlers.size() + " tasks and S's "
                    + s().handlers.size() + ", where R has " + pending + " (runs " + runs + ") and S none");
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
        final HandlerQueue handlers = new HandlerQueue();
        final O2netNode node;
        /** The request of the handler the driver's thread ran last; the driver's thread only. */
        O2netMsg ran;
        /** Delayed-ack timers the node asked for and no step fired yet; guarded by {@link #lock}. */
        final List<Runnable> ackTimers = new ArrayList<>();

        /** Starts the node on {@code listening}, a socket bound to its address and configured port. */
        Side(String name, int spec, long inc, Map<Integer, Long> sees, ServerSocketChannel listening) {
            this.name = name;
            this.number = name.equals(Abstraction.S) ? S_NODE : R_NODE;
            this.spec = spec;
            this.inc = inc;
            abstraction.bind(name, spec, inc);
            NodeLiveness liveness = hb.start(number, inc, sees);
            O2netNode n = O2netNode.builder(config(number), liveness)
                    .ackTimer(this::holdAckTimer)
                    .faultInjector(injector)
                    .trace(this)
                    .autoConnect(false)
                    .serverChannel(listening)
                    .handlerExecutor(handlers)
                    .callbackExecutor(Runnable::run)
                    .build();
            if (number == R_NODE) {
                // on the executor the driver steps: each RunHandler step runs exactly one handler
                n.registerHandler(
                        MSG_TYPE, KEY, O2netMsg.MAX_PAYLOAD_BYTES, this::handle, HandlerRegistration.Dispatch.EXECUTOR);
            }
            n.start(); // closes the node and the socket if it fails
            this.node = n;
        }

        /** R's handler, run on the driver's thread by {@link #finish}. */
        private int handle(Request req) {
            ran = req.msg();
            return handler.applyAsInt(req.payload());
        }

        PeerInspection inspect() {
            return NodeControl.inspect(node, peer(this).number);
        }

        /** The node asks for a delayed-ack timer: held until a {@code SendAck} step fires it on {@code loop}. */
        private void holdAckTimer(EventLoop loop, Runnable fire, long delayMicros) {
            lock.lock();
            try {
                ackTimers.add(() -> loop.execute(fire));
            } finally {
                lock.unlock();
            }
        }

        /** The held delayed-ack timers, taken: each queues its timer on the node's loop when run. */
        List<Runnable> takeAckTimers() {
            lock.lock();
            try {
                List<Runnable> due = List.copyOf(ackTimers);
                ackTimers.clear();
                return due;
            } finally {
                lock.unlock();
            }
        }

        void close() {
            node.close();
            handlers.close();
        }

        String address() {
            return number == R_NODE ? rAddress : sAddress;
        }

        int port() {
            return number == R_NODE ? rPort : sPort;
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

    /**
     * A node's handler executor, owned by the driver: the node queues each handler run as one task (from its event
     * loop, or from the driver's thread when the run before it ends), and only the driver runs one, on its own thread,
     * at the step that finishes that run. Closed with the node: the tasks still queued are dropped, so the runs die
     * with the node, as the spec's {@code Restart} kills them.
     */
    private final class HandlerQueue implements Executor {
        /** Guarded by {@link #lock}. */
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        private boolean closed;

        @Override
        public void execute(Runnable task) {
            lock.lock();
            try {
                if (closed) {
                    throw new RejectedExecutionException("the node is closed");
                }
                tasks.add(task);
            } finally {
                lock.unlock();
            }
        }

        int size() {
            lock.lock();
            try {
                return tasks.size();
            } finally {
                lock.unlock();
            }
        }

        /** The one task queued, taken out, to run {@code run}: a {@link Divergence} if there is none or more. */
        Runnable takeOnly(Run run) {
            lock.lock();
            try {
                if (tasks.size() != 1) {
                    throw new Divergence("R's handler queue holds " + tasks.size() + " tasks where the run of " + run
                            + " should be the one; runs " + runs);
                }
                return tasks.poll();
            } finally {
                lock.unlock();
            }
        }

        void close() {
            lock.lock();
            try {
                closed = true;
                tasks.clear();
            } finally {
                lock.unlock();
            }
        }
    }

    /** A handler run R has to make, by the identity of its request. */
    private static final class Run {
        final O2netMsg msg;

        Run(O2netMsg msg) {
            this.msg = msg;
        }

        @Override
        public String toString() {
            return Abstraction.callOf(msg.payload()) + " (msg_seq " + msg.msgSeq() + ")";
        }
    }

    private record Event(Side side, Action action, long seq) {}

    /** The run of request {@code msg}, made if R's node has not asked for it before. */
    private Run run(O2netMsg msg) {
        Run run = find(msg);
        if (run == null) {
            run = new Run(msg);
            runs.add(run);
        }
        return run;
    }

    private Run find(O2netMsg msg) {
        for (Run run : runs) {
            if (run.msg == msg) {
                return run;
            }
        }
        return null;
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

    /**
     * Waits until {@code condition} holds, looking again on every trace event (the only changes a wait here is for:
     * a frame, a connection made or lost, arrive over the network); a {@link Divergence} after
     * {@value #TIMEOUT_SECONDS} s. The condition is evaluated without the lock: it may look at the nodes' loops.
     */
    private void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        for (; ; ) {
            long seen;
            lock.lock();
            try {
                seen = version;
            } finally {
                lock.unlock();
            }
            if (condition.getAsBoolean()) {
                return;
            }
            lock.lock();
            try {
                while (version == seen) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new Divergence("timed out after " + TIMEOUT_SECONDS + " s waiting until " + what);
                    }
                    changed.awaitNanos(left);
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
                .protocol(protocol)
                .window(protocol.carriesAck() ? window : ClusterConfig.DEFAULT_WINDOW)
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

    /**
     * A socket for the restarted node of {@code old}, bound to the same address and configured port, which the OS
     * picked at {@code Init}. It binds at once, without a retry, because nothing can hold the port by then:
     * <ul>
     *   <li>the old node's listening socket is gone: {@code old.close()} closed it and then stopped the node's own
     *       event loops and waited for them (a socket registered with a selector is released only when the selector
     *       lets it go; that is why the driver leaves each node its own loops instead of sharing one group across
     *       restarts);</li>
     *   <li>the connections the old node accepted keep the port only in TIME_WAIT; they inherited SO_REUSEADDR from
     *       the listener and {@link O2netNode#listen} sets it on the new one, so Linux lets the listener bind beside
     *       them;</li>
     *   <li>nothing else in this JVM binds the driver's addresses, and another process would have to bind exactly
     *       this address and port in the moment between the close and this bind: a bind to port 0 (what other
     *       replays on the machine do) skips a port held in TIME_WAIT, which this one is whenever the old node had a
     *       connection.</li>
     * </ul>
     * Should it happen all the same (or the old loops take longer than the 10 s {@code close()} waits), the replay
     * stops with an error that says so, not with a {@link Divergence}: the implementation is not at fault. In the
     * thousands of restarts of a full run (every edge-cover path and simulation trace) it has not happened.
     */
    private ServerSocketChannel listenAgain(Side old) {
        try {
            return O2netNode.listen(old.address(), old.port());
        } catch (UncheckedIOException e) {
            throw new IllegalStateException(
                    "Restart(" + old.name + "): the new node cannot listen on the port its configuration names, "
                            + old.address() + ":" + old.port() + ": another socket took it after the old node closed",
                    e);
        }
    }

    private static void closeQuietly(ServerSocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing bound any more either way
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

    /** Closes both nodes; the handler runs still queued die with R. */
    @Override
    public void close() {
        for (Side side : sides.values()) {
            side.close();
        }
        runs.clear();
    }
}
