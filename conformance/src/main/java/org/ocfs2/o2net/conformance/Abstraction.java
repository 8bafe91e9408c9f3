// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.ocfs2.o2net.core.CallResult;
import org.ocfs2.o2net.core.PeerCore;
import org.ocfs2.o2net.wire.Errno;
import org.ocfs2.o2net.wire.O2netException;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.SysStatus;

/**
 * The abstraction function: the implementation's state as the variables of {@code ReliableO2net}
 * ({@link AbstractState}). It is the contract between spec and code; a replay compares its result with the spec's
 * state after every step.
 * <p>
 * <b>Values.</b> A spec call {@code <<c, k>>} is a message whose payload is the call's spec text, ASCII
 * ({@link #payload}). The spec's {@code HandlerStatus(x) == x} is the handlers' status function {@link #status}: a
 * fixed function of the payload, different for every call of the model, so a status names its call
 * ({@link #callOfStatus}). Incarnations: the spec numbers each node's incarnations 1, 2, ...; the implementation
 * draws its own, and the driver {@linkplain #bind binds} each to its spec number.
 * <p>
 * <b>Variables</b>, from node S's core ({@code s}), node R's core ({@code r}), both read as a
 * {@link PeerCore.Snapshot}, and what the driver observed of the implementation's effects ({@link Impl}). The same
 * contract serves both tiers: the core tier ({@link CoreDriver}) snapshots its cores directly, the Netty tier
 * ({@link NettyDriver}) through {@code O2netNode.inspect}, on each node's event loop.
 * <table>
 *   <caption>spec variable: implementation</caption>
 *   <tr><td>{@code callNo[c]}</td><td>the number {@code k} of c's last call, plus 1 unless c waits in it; 1 before
 *       c's first call</td></tr>
 *   <tr><td>{@code waiting[c]}</td><td>c's last call has not completed and was made on S's current incarnation (a
 *       restarted S has lost its callers)</td></tr>
 *   <tr><td>{@code held[q]}</td><td>{@code s.held()}: the message held under {@code msg_seq} q; its call is the call
 *       its payload names; phase UNSENT (written on the next connection) and MSG are the spec's {@code "msg"},
 *       REMOVE its {@code "remove"} (v12 has no calls waiting outside the held messages: its {@code Send} has no
 *       connection guard, and the core holds a call at once)</td></tr>
 *   <tr><td>{@code mh[q]}</td><td>{@code r.messageHolders()}: the call of the MH's payload, RUNNING or DONE, and
 *       once done the call its stored status names ({@code NoCall} before)</td></tr>
 *   <tr><td>{@code orphans}</td><td>handler runs R's current core asked for ({@code Effects.runHandler}) and that
 *       have not finished, whose MH is no longer in R's tree (runs and MHs matched by the identity of the request);
 *       they must be exactly {@code r.orphans()}, R's core's own record of them</td></tr>
 *   <tr><td>{@code conn}</td><td>{@code "up"} if both cores are connected, {@code "down"} if neither (otherwise
 *       the two disagree, which no spec state matches)</td></tr>
 *   <tr><td>{@code toR}, {@code toS}</td><td>frames written by S's (R's) core and not yet delivered: MSG is
 *       {@code [kind |-> "msg", seq, val |-> call]}, STATUS {@code "status"} with the call its status names,
 *       MH_REMOVE {@code "remove"} and MH_REMOVED {@code "removed"} with {@code NoCall}</td></tr>
 *   <tr><td>{@code inc[n]}</td><td>the spec number of the incarnation of n's core</td></tr>
 *   <tr><td>{@code peerInc[n]}</td><td>the spec number of n's core's {@code peerIncarnation()}, 0 for 0</td></tr>
 *   <tr><td>{@code hbInc[n] # 0}</td><td>the core of n's peer has {@code peerAlive()}</td></tr>
 *   <tr><td>{@code runs[x]}</td><td>handler runs of x finished ({@code handlerDone})</td></tr>
 *   <tr><td>{@code ret[x]}, {@code retStatus[x]}</td><td>as x's caller sees it ({@link Made#result}, the form of
 *       {@code O2netNode.sendAsync}): returned a status, {@code "ok"} and the call the status names; failed with
 *       EHOSTDOWN, {@code "EHOSTDOWN"}, {@code NoCall}; not over, {@code "none"}, or {@code "abandoned"} if it was
 *       made on an earlier incarnation of S (its caller died with that S: the driver keeps what the caller had
 *       seen when S stopped, so that {@code O2netNode.close()} failing it with EHOSTDOWN does not count); never
 *       made, {@code "none"}, {@code NoCall}</td></tr>
 * </table>
 * <b>AckO2net (protocol v13)</b>, the same contract with these differences: {@code held[q]} is the call alone (every
 * held message is {@code "msg"}: the call returns at its status); frames carry {@code ack} (the frame's acknowledgement
 * field; ACK is {@code [kind |-> "ack", seq |-> 0, val |-> NoCall, ack]}); {@code ackSent} is S's core's
 * {@code Snapshot.ackSent()}, {@code ackRecv} R's core's {@code Snapshot.ackRecv()}; a DONE Message Holder keeps no
 * payload, so its call is the call its stored status names. Not compared: {@code maxStatus} (a history variable of
 * the models that ack the highest status, which the implementation does not do) and {@code hostileSent} (the
 * environment's budget).
 * <p>
 * Not compared, because the implementation does not show them: {@code nextSeq} (private to the core; each new held
 * message shows the {@code msg_seq} it got) and the status kept in
 * {@code held} (private; it shows in
 * {@code retStatus} when the call returns). Not implementation state: {@code hbInc}'s value (the heartbeat, which
 * the driver plays), {@code resets} and {@code lost} (history of the environment).
 * <p>
 * An implementation value that has no spec counterpart (a status that names no call, a sys_status other than NONE,
 * an errno other than EHOSTDOWN, an unknown incarnation) is written so that it matches nothing: {@code ?status 17},
 * {@code sys NO_HNDLR}, {@code errno ENOTCONN}, {@code -1}.
 */
public final class Abstraction {
    /** Node names of the spec. */
    public static final String S = "S";

    public static final String R = "R";

    private final boolean acked;
    private final Set<String> callers;
    private final Set<String> calls;
    private final Map<Integer, String> byStatus = new HashMap<>();
    private final Map<String, Map<Integer, Long>> incarnations = Map.of(S, new HashMap<>(), R, new HashMap<>());

    /**
     * What the abstraction reads: both cores and what the driver observed of their effects.
     *
     * @param s                    node S's current core (towards R)
     * @param r                    node R's current core (towards S)
     * @param toR                  frames S's core wrote and R's has not received, oldest first
     * @param toS                  frames R's core wrote and S's has not received, oldest first
     * @param made                 every call made, in order
     * @param running              the requests whose handler R's current core asked to run
     *                             ({@code Effects.runHandler}) and whose run has not finished
     * @param runs                 handler runs finished, by call
     */
    public record Impl(
            PeerCore.Snapshot s,
            PeerCore.Snapshot r,
            List<O2netMsg> toR,
            List<O2netMsg> toS,
            List<Made> made,
            List<O2netMsg> running,
            Map<String, Integer> runs) {}

    /**
     * A call made on S.
     *
     * @param caller      the spec's caller
     * @param k           the call's number: the call is {@code <<caller, k>>}
     * @param incarnation the incarnation of S it was made on
     * @param result      the call's result as {@code O2netNode.sendAsync} gives it: the status, or an
     *                    {@link O2netException} with the errno
     */
    public record Made(String caller, int k, long incarnation, CompletableFuture<Integer> result) {}

    /**
     * Completes a call's future with the core's result as a caller sees it ({@code O2netNode}'s mapping): sys_status
     * NONE gives the status, any other fails with its errno (DIED: EHOSTDOWN).
     *
     * @return false if the future was complete already
     */
    public static boolean complete(CompletableFuture<Integer> f, CallResult r) {
        return r.sysStatus() == SysStatus.NONE
                ? f.complete(r.status())
                : f.completeExceptionally(new O2netException(r.sysStatus().errno(), "sys_status " + r.sysStatus()));
    }

    /**
     * @param callers the model's {@code Caller}
     * @param calls   the model's {@code Call}, as spec text
     * @throws IllegalArgumentException if two calls would get the same status
     */
    public Abstraction(Set<String> callers, Set<String> calls) {
        this(callers, calls, false);
    }

    /**
     * @param callers the model's {@code Caller}
     * @param calls   the model's {@code Call}, as spec text
     * @param acked   the spec is AckO2net (protocol v13): {@code ackSent} and {@code ackRecv} are compared too
     * @throws IllegalArgumentException if two calls would get the same status
     */
    public Abstraction(Set<String> callers, Set<String> calls, boolean acked) {
        this.acked = acked;
        this.callers = Set.copyOf(callers);
        this.calls = Set.copyOf(calls);
        for (String x : calls) {
            String other = byStatus.put(status(payload(x)), x);
            if (other != null) {
                throw new IllegalArgumentException("calls " + x + " and " + other + " get the same status");
            }
        }
    }

    /** The spec text of call {@code <<caller, k>>}. */
    public static String call(String caller, int k) {
        return "<<" + caller + ", " + k + ">>";
    }

    /** The payload of call {@code x} (its spec text). */
    public static byte[] payload(String call) {
        return call.getBytes(StandardCharsets.US_ASCII);
    }

    /** The call a payload carries. */
    public static String callOf(byte[] payload) {
        return new String(payload, StandardCharsets.US_ASCII);
    }

    /** The handlers' status: the spec's {@code HandlerStatus}, a fixed function of the payload. */
    public static int status(byte[] payload) {
        return callOf(payload).hashCode();
    }

    /** The call whose handler returns {@code status}, or {@code ?status N} if none of the model's does. */
    public String callOfStatus(int status) {
        String x = byStatus.get(status);
        return x != null ? x : "?status " + status;
    }

    /**
     * Binds incarnation {@code impl} of {@code node} to the spec's incarnation number {@code spec}.
     *
     * @throws IllegalArgumentException if either is bound already
     */
    public void bind(String node, int spec, long impl) {
        Map<Integer, Long> m = incarnations.get(node);
        if (m.containsKey(spec) || incarnations.values().stream().anyMatch(x -> x.containsValue(impl))) {
            throw new IllegalArgumentException("incarnation " + spec + " of " + node + " or " + impl + " is bound");
        }
        m.put(spec, impl);
    }

    /** The implementation's incarnation bound to incarnation {@code spec} of {@code node}, or 0 if none. */
    public long incarnation(String node, int spec) {
        return incarnations.get(node).getOrDefault(spec, 0L);
    }

    /** The spec number of incarnation {@code impl} of {@code node}; 0 for 0, -1 if unbound. */
    public int specIncarnation(String node, long impl) {
        if (impl == 0) {
            return 0;
        }
        for (Map.Entry<Integer, Long> e : incarnations.get(node).entrySet()) {
            if (e.getValue() == impl) {
                return e.getKey();
            }
        }
        return -1;
    }

    /** The other node. */
    public static String peer(String node) {
        return node.equals(S) ? R : S;
    }

    /** The implementation's state as the spec's variables (see the class documentation). */
    public AbstractState of(Impl impl) {
        Map<String, Made> last = new HashMap<>();
        for (Made m : impl.made) {
            last.put(m.caller, m);
        }
        SortedMap<String, Integer> callNo = new TreeMap<>();
        SortedMap<String, Boolean> waiting = new TreeMap<>();
        for (String c : callers) {
            Made m = last.get(c);
            boolean waits = m != null && pending(m, impl);
            waiting.put(c, waits);
            callNo.put(c, m == null ? 1 : m.k + (waits ? 0 : 1));
        }
        SortedMap<String, Integer> runs = new TreeMap<>();
        SortedMap<String, String> ret = new TreeMap<>();
        SortedMap<String, String> retStatus = new TreeMap<>();
        for (String x : calls) {
            runs.put(x, impl.runs.getOrDefault(x, 0));
            ret.put(x, "none");
            retStatus.put(x, "NoCall");
        }
        for (Made m : impl.made) {
            String x = call(m.caller, m.k);
            if (!m.result.isDone()) {
                ret.put(x, m.incarnation == impl.s.incarnation() ? "none" : "abandoned");
                continue;
            }
            try {
                int status = m.result.join();
                ret.put(x, "ok");
                retStatus.put(x, callOfStatus(status));
            } catch (CompletionException | CancellationException e) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                ret.put(
                        x,
                        cause instanceof O2netException o && o.errno() == Errno.EHOSTDOWN
                                ? "EHOSTDOWN"
                                : cause instanceof O2netException o ? "errno " + o.errno() : "threw " + cause);
            }
        }
        return new AbstractState(
                callNo,
                waiting,
                held(impl),
                mh(impl),
                orphans(impl),
                conn(impl),
                frames(impl.toR),
                frames(impl.toS),
                incs(impl, false),
                incs(impl, true),
                alive(impl),
                runs,
                ret,
                retStatus,
                acked ? impl.s.ackSent() : null,
                acked ? impl.r.ackRecv() : null);
    }

    private static boolean pending(Made m, Impl impl) {
        return !m.result.isDone() && m.incarnation == impl.s.incarnation();
    }

    private SortedMap<Long, AbstractState.Held> held(Impl impl) {
        SortedMap<Long, AbstractState.Held> held = new TreeMap<>();
        impl.s
                .held()
                .forEach((seq, h) -> held.put(
                        seq,
                        new AbstractState.Held(
                                callOf(h.msg().payload()), h.phase().equals("REMOVE") ? "remove" : "msg")));
        return held;
    }

    private SortedMap<Long, AbstractState.Mh> mh(Impl impl) {
        SortedMap<Long, AbstractState.Mh> mh = new TreeMap<>();
        for (PeerCore.Snapshot.Holder h : impl.r.messageHolders()) {
            // v13: a DONE Message Holder keeps no payload; its stored status names its call
            String call = h.done() && h.msg().dataLen() == 0 && h.sysStatus() == SysStatus.NONE
                    ? callOfStatus(h.status())
                    : callOf(h.msg().payload());
            mh.put(
                    h.msg().msgSeq(),
                    new AbstractState.Mh(
                            call,
                            h.done() ? "done" : "running",
                            h.done() ? statusText(h.sysStatus(), h.status()) : "NoCall"));
        }
        return mh;
    }

    private static List<String> orphans(Impl impl) {
        Set<O2netMsg> inTree = Collections.newSetFromMap(new IdentityHashMap<>());
        impl.r.messageHolders().forEach(h -> inTree.add(h.msg()));
        Set<O2netMsg> outside = Collections.newSetFromMap(new IdentityHashMap<>());
        List<String> orphans = new ArrayList<>();
        for (O2netMsg m : impl.running) {
            if (!inTree.contains(m)) {
                outside.add(m);
                orphans.add(callOf(m.payload()));
            }
        }
        Set<O2netMsg> core = Collections.newSetFromMap(new IdentityHashMap<>());
        core.addAll(impl.r.orphans());
        if (!core.equals(outside)) {
            List<String> theirs = new ArrayList<>();
            impl.r.orphans().forEach(m -> theirs.add(callOf(m.payload())));
            Collections.sort(theirs);
            orphans.add("?core's orphans " + theirs);
        }
        Collections.sort(orphans);
        return orphans;
    }

    private static String conn(Impl impl) {
        boolean s = impl.s.connected();
        boolean r = impl.r.connected();
        return s && r ? "up" : !s && !r ? "down" : "S " + (s ? "up" : "down") + ", R " + (r ? "up" : "down");
    }

    private List<AbstractState.Frame> frames(List<O2netMsg> inFlight) {
        List<AbstractState.Frame> fs = new ArrayList<>();
        for (O2netMsg f : inFlight) {
            fs.add(
                    switch (f.magic()) {
                        case MSG -> new AbstractState.Frame("msg", f.msgSeq(), callOf(f.payload()), f.ack());
                        case STATUS ->
                            new AbstractState.Frame(
                                    "status", f.msgSeq(), statusText(f.sysStatusCode(), f.status()), f.ack());
                        case ACK -> new AbstractState.Frame("ack", 0, "NoCall", f.ack());
                        case MH_REMOVE -> new AbstractState.Frame("remove", f.msgSeq(), "NoCall");
                        case MH_REMOVED -> new AbstractState.Frame("removed", f.msgSeq(), "NoCall");
                        default -> new AbstractState.Frame("?" + f.magic(), f.msgSeq(), f.toString());
                    });
        }
        return fs;
    }

    private String statusText(SysStatus sys, int status) {
        return sys == SysStatus.NONE ? callOfStatus(status) : "sys " + sys;
    }

    private SortedMap<String, Integer> incs(Impl impl, boolean peers) {
        SortedMap<String, Integer> m = new TreeMap<>();
        m.put(S, peers ? specIncarnation(R, impl.s.peerIncarnation()) : specIncarnation(S, impl.s.incarnation()));
        m.put(R, peers ? specIncarnation(S, impl.r.peerIncarnation()) : specIncarnation(R, impl.r.incarnation()));
        return m;
    }

    private static SortedMap<String, Boolean> alive(Impl impl) {
        SortedMap<String, Boolean> m = new TreeMap<>();
        m.put(S, impl.r.peerAlive());
        m.put(R, impl.s.peerAlive());
        return m;
    }
}
