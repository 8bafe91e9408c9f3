// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench.micro;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.ocfs2.o2net.config.ClusterConfig;
import org.ocfs2.o2net.core.CallResult;
import org.ocfs2.o2net.core.Effects;
import org.ocfs2.o2net.core.MessageHolder;
import org.ocfs2.o2net.core.PeerCore;
import org.ocfs2.o2net.wire.Errno;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.ProtocolVersion;
import org.ocfs2.o2net.wire.SysStatus;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The protocol's own cost of one call: the time and allocation of one whole call through two in-process
 * {@link PeerCore}s, from {@link PeerCore#send} until the core completes the call ({@link Effects#complete}), with no Netty, socket,
 * thread hand-off or codec in the way.
 * <p>
 * Node 2 calls node 1 over one connection. The cores' {@link Effects} are wired to each other directly: a frame one
 * core writes is put, as the {@link O2netMsg} object, on the other core's queue; a handler run the receiver asks for is
 * queued and then "run" inline by the delivery loop, which computes its status from the request's payload
 * ({@link #statusOf}: from its length, so no payload copy is charged to the call) and reports it with
 * {@link PeerCore#handlerDone}. The loop delivers until nothing moves, so one invocation is the whole exchange:
 * <ul>
 * <li>{@code protocol=v11}: MSG, STATUS;</li>
 * <li>{@code protocol=v12}: MSG, STATUS, MH_REMOVE, MH_REMOVED;</li>
 * <li>{@code protocol=v13}: MSG, STATUS (the call's MSG carries the ack that frees the previous call's Message
 * Holder; no ACK frame, the link is never quiet).</li>
 * </ul>
 * Tracing is off, as in an {@code O2netNode} without a trace sink. Every invocation checks, cheaply, that the call
 * completed with the handler's status after exactly the expected number of frames, and throws otherwise.
 * <p>
 * Payloads are 64 bytes and 4072, o2net's largest ({@code O2NET_MAX_PAYLOAD_BYTES}: a 4096-byte frame in v11).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CoreCallBench {
    static final int SENDER = 2;
    static final int RECEIVER = 1;
    static final int MSG_TYPE = 7;
    static final int KEY = 0x1234;
    private static final String CALLER = "bench";

    /** v11 (reliability off), v12 (the RFC) or v13 (one round trip). */
    @Param({"v11", "v12", "v13"})
    public String protocol;

    /** Payload bytes per request. */
    @Param({"64", "4072"})
    public int payload;

    private End sender;
    private End receiver;
    private byte[] data;
    private int expectedStatus;
    private int framesPerCall;
    private long clock;

    /** The handler's status for {@code request}: a function of its payload (of its length, to copy nothing). */
    static int statusOf(O2netMsg request) {
        return 1000 + request.dataLen();
    }

    @Setup(Level.Trial)
    public void setup() {
        sender = new End();
        receiver = new End();
        sender.peer = receiver;
        receiver.peer = sender;
        ProtocolVersion v = version(protocol);
        sender.core = new PeerCore<>(SENDER, RECEIVER, v, 200, ClusterConfig.DEFAULT_WINDOW, sender);
        receiver.core = new PeerCore<>(RECEIVER, SENDER, v, 100, ClusterConfig.DEFAULT_WINDOW, receiver);
        sender.core.connect(receiver.core.incarnation(), 0);
        receiver.core.connect(sender.core.incarnation(), 0);
        data = new byte[payload];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        expectedStatus = 1000 + payload;
        framesPerCall = v == ProtocolVersion.V12 ? 4 : 2;
    }

    /** The protocol named {@code v11}, {@code v12} or {@code v13}. */
    static ProtocolVersion version(String name) {
        return switch (name) {
            case "v11" -> ProtocolVersion.V11;
            case "v12" -> ProtocolVersion.V12;
            case "v13" -> ProtocolVersion.V13;
            default -> throw new IllegalArgumentException("protocol " + name);
        };
    }

    @Benchmark
    public void call(Blackhole bh) {
        bh.consume(once());
    }

    /**
     * Makes one call and delivers until nothing moves; returns its result.
     *
     * @throws IllegalStateException if the call did not complete, completed with another status, or took another
     *                               number of frames than its protocol's
     */
    CallResult once() {
        Object w = new Object();
        sender.core.send(w, MSG_TYPE, KEY, data, CALLER, ++clock);
        int frames = 0;
        for (; ; ) {
            O2netMsg f = receiver.inbox.poll();
            if (f != null) {
                receiver.core.receive(f, ++clock);
                frames++;
                continue;
            }
            MessageHolder mh = receiver.runs.poll();
            if (mh != null) {
                receiver.core.handlerDone(mh, SysStatus.NONE.code(), statusOf(mh.msg()), ++clock);
                continue;
            }
            f = sender.inbox.poll();
            if (f != null) {
                sender.core.receive(f, ++clock);
                frames++;
                continue;
            }
            break;
        }
        CallResult r = sender.done;
        sender.done = null;
        if (r == null
                || r.status() != expectedStatus
                || r.sysStatus() != SysStatus.NONE
                || frames != framesPerCall
                || sender.doneCall != w) {
            throw new IllegalStateException("call " + w + " ended with " + r + " after " + frames
                    + " frames; expected status " + expectedStatus + " after " + framesPerCall);
        }
        return r;
    }

    /** The protocol cores, for tests. */
    PeerCore<Object> senderCore() {
        return sender.core;
    }

    PeerCore<Object> receiverCore() {
        return receiver.core;
    }

    /** One node's end of the in-process connection: its core, and what the core asked for. */
    private static final class End implements Effects<Object> {
        PeerCore<Object> core;
        Object doneCall;
        End peer;
        /** Frames the peer wrote to this node, oldest first. */
        final ArrayDeque<O2netMsg> inbox = new ArrayDeque<>();
        /** Handler runs this node's core asked for. */
        final ArrayDeque<MessageHolder> runs = new ArrayDeque<>();
        /** The result of the last call completed on this node, until the loop takes it. */
        CallResult done;

        @Override
        public void write(O2netMsg frame) {
            peer.inbox.add(frame);
        }

        @Override
        public void runHandler(MessageHolder mh) {
            runs.add(mh);
        }

        @Override
        public void refuse(Object call, Errno errno, String why) {
            throw new IllegalStateException("call refused: " + errno + " " + why);
        }

        @Override
        public void complete(Object call, CallResult result) {
            doneCall = call;
            done = result;
        }

        @Override
        public void disconnect(String why) {
            throw new IllegalStateException("disconnect in a benchmark: " + why);
        }

        @Override
        public boolean tracing() {
            return false;
        }
    }
}
