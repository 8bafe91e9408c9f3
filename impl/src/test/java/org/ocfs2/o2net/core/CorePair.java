// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ocfs2.o2net.wire.Errno;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.ProtocolVersion;

/**
 * Two {@link PeerCore}s joined by one simulated connection: node S (number 2) calls node R (number 1), and R calls S.
 * Frames wait in FIFO queues until a test delivers them, handler runs wait until a test finishes them: every
 * interleaving can be forced. A handler's status is a function of its payload ({@link #statusOf}), as in the spec.
 */
final class CorePair {
    static final int S = 2;
    static final int R = 1;

    final boolean reliable;
    final ProtocolVersion version;
    final int window;
    private final Map<Integer, Side> sides = new HashMap<>();
    private long clock;
    private long nextInc = 100;
    /** Every handler run, by payload: what the spec calls runs[x]. */
    final Map<String, Integer> runs = new HashMap<>();

    CorePair(boolean reliable) {
        this(reliable ? ProtocolVersion.V12 : ProtocolVersion.V11, 1);
    }

    /** A pair speaking {@code version}; {@code window} is each side's v13 window. */
    CorePair(ProtocolVersion version, int window) {
        this.version = version;
        this.reliable = version.reliable();
        this.window = window;
        sides.put(S, new Side(S, R));
        sides.put(R, new Side(R, S));
    }

    /** A handler's status: a function of its message, different for every payload used in the tests. */
    static int statusOf(byte[] payload) {
        return new String(payload).hashCode();
    }

    Side side(int node) {
        return sides.get(node);
    }

    PeerCore<TestCall> core(int node) {
        return sides.get(node).core;
    }

    long now() {
        return ++clock;
    }

    TestCall call(int from, String payload) {
        TestCall c = new TestCall(payload);
        core(from).send(c, 7, 0x1234, payload.getBytes(), "caller-" + payload, now());
        return c;
    }

    /** Makes the connection: both handshakes pass, each core learns the other's incarnation. */
    void connect() {
        Side s = side(S);
        Side r = side(R);
        s.core.connect(r.core.incarnation(), window, now());
        r.core.connect(s.core.incarnation(), window, now());
    }

    /** v13: fires {@code node}'s delayed-ack timer if the core asked for it ({@code SendAck}); whether it had. */
    boolean ackTimer(int node) {
        Side x = side(node);
        if (x.ackPending == 0) {
            return false;
        }
        x.ackPending = 0;
        x.core.ackTimer(now());
        return true;
    }

    /** The connection resets: every frame in flight is lost, both sides see it. */
    void reset() {
        sides.values().forEach(x -> {
            x.inbox.clear();
            x.core.reset(now());
        });
    }

    /** Delivers the next frame waiting for {@code node}; false if there is none. */
    boolean deliver(int node) {
        O2netMsg f = side(node).inbox.poll();
        if (f == null) {
            return false;
        }
        side(node).core.receive(f, now());
        return true;
    }

    /** Finishes the oldest pending handler run on {@code node}; false if there is none. */
    boolean finishHandler(int node) {
        Side x = side(node);
        if (x.handlers.isEmpty()) {
            return false;
        }
        MessageHolder mh = x.handlers.remove(0);
        runs.merge(new String(mh.msg().payload()), 1, Integer::sum);
        x.core.handlerDone(mh, 0, statusOf(mh.msg().payload()), now());
        return true;
    }

    /** Node {@code node} restarts: a new core with a new incarnation; queued frames and handler runs die with it. */
    void restart(int node) {
        sides.values().forEach(x -> x.inbox.clear());
        side(node == S ? R : S).core.reset(now());
        Side old = side(node);
        Side fresh = new Side(node, old.peer);
        sides.put(node, fresh);
    }

    /** Drains everything: delivers all frames and finishes all handlers until nothing moves. */
    void quiesce() {
        boolean moved = true;
        while (moved) {
            moved = deliver(S) | deliver(R) | finishHandler(S) | finishHandler(R) | ackTimer(S) | ackTimer(R);
        }
    }

    /** One node's core and what its effects produced. */
    final class Side implements Effects<TestCall> {
        final int node;
        final int peer;
        final PeerCore<TestCall> core;
        /** Frames written by the peer, waiting for this node. */
        final Deque<O2netMsg> inbox = new ArrayDeque<>();
        /** Handler runs queued on this node. */
        final List<MessageHolder> handlers = new ArrayList<>();
        /** Calls completed on this node, in order. */
        final Map<TestCall, CallResult> completed = new HashMap<>();

        final List<Action> actions = new ArrayList<>();
        final List<String> disconnects = new ArrayList<>();
        /** v13: delayed-ack timers the core asked for and the test has not fired. */
        int ackPending;

        Side(int node, int peer) {
            this.node = node;
            this.peer = peer;
            this.core = new PeerCore<>(node, peer, version, nextInc++, window, this);
        }

        @Override
        public void ackPending() {
            ackPending++;
        }

        @Override
        public void write(O2netMsg frame) {
            side(peer).inbox.add(frame);
        }

        @Override
        public void runHandler(MessageHolder mh) {
            handlers.add(mh);
        }

        @Override
        public void sent(TestCall call, int msgNum, long msgSeq) {
            call.sent(msgNum, msgSeq);
        }

        @Override
        public void complete(TestCall call, CallResult result) {
            if (completed.put(call, result) != null) {
                throw new AssertionError("call completed twice: " + call);
            }
            call.complete(result);
        }

        @Override
        public void refuse(TestCall call, Errno errno, String why) {
            call.refuse(errno);
        }

        @Override
        public void disconnect(String why) {
            disconnects.add(why);
            inbox.clear();
            side(peer).inbox.clear();
            side(peer).core.reset(now());
        }

        @Override
        public void trace(Action action, long msgSeq, int msgNum) {
            actions.add(action);
        }
    }
}
