// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.ocfs2.o2net.wire.FrameDecoder;
import org.ocfs2.o2net.wire.FrameEncoder;
import org.ocfs2.o2net.wire.Handshake;
import org.ocfs2.o2net.wire.HandshakeMismatchException;
import org.ocfs2.o2net.wire.Magic;
import org.ocfs2.o2net.wire.O2netMsg;
import org.ocfs2.o2net.wire.ProtocolVersion;
import org.ocfs2.o2net.wire.SysStatus;

/**
 * One probe of an o2net node, kernel or Java, over a blocking socket: connect (from a configured node's address, as
 * the peer's accept checks want), send our handshake, decode the peer's field by field, say which setting disagrees
 * in the kernel's words, then time keepalive round trips and optionally make one call. Frames are encoded and decoded
 * by impl's codecs ({@link FrameEncoder}, {@link FrameDecoder} in an {@link EmbeddedChannel}); the handshake verdict is
 * {@link Handshake#verify}'s, the kernel's order of checks.
 */
final class Probe {
    /** A call to make: {@code TYPE:KEY:HEX}. */
    record CallSpec(int msgType, int key, byte[] payload) {}

    /** The peer's handshake as it came, any version; {@code raw} holds its bytes. */
    record PeerHandshake(
            long version,
            long connectorId,
            long heartbeatTimeoutMs,
            long idleTimeoutMs,
            long keepaliveDelayMs,
            long reconnectDelayMs,
            Long incarnation,
            byte[] raw) {}

    /** A field that differs: its name, ours, theirs. */
    record Difference(String field, String ours, String theirs) {}

    /** What the probe found; {@link #exitCode} is the command's. */
    record Result(
            int exitCode,
            PeerHandshake peer,
            HandshakeMismatchException mismatch,
            List<Difference> differences,
            List<Long> keepaliveNanos,
            O2netMsg callStatus,
            String error) {}

    private final InetSocketAddress target;
    private final InetSocketAddress bind;
    private final String peerName;
    private final Handshake ours;
    private final int keepalives;
    private final CallSpec call;
    private final int timeoutMs;
    private final PrintWriter out;

    private long retryUntilNanos;
    private long retryPauseMs;
    private Socket socket;
    private InputStream in;
    private OutputStream os;
    private EmbeddedChannel decoder;
    private final ArrayDeque<O2netMsg> frames = new ArrayDeque<>();

    /**
     * @param target     the peer's address
     * @param bind       our source address (the configured node we speak as), or {@code null} for the OS's choice
     * @param peerName   how to name the peer in messages, e.g. "node 1 at 127.0.0.1:7777"
     * @param ours       the handshake we send
     * @param keepalives how many keepalive round trips to time
     * @param call       a call to make, or {@code null}
     * @param timeoutMs  how long to wait for each answer
     */
    Probe(
            InetSocketAddress target,
            InetSocketAddress bind,
            String peerName,
            Handshake ours,
            int keepalives,
            CallSpec call,
            int timeoutMs,
            PrintWriter out) {
        this.target = requireNonNull(target, "target");
        this.bind = bind;
        this.peerName = requireNonNull(peerName, "peerName");
        this.ours = requireNonNull(ours, "ours");
        this.keepalives = keepalives;
        this.call = call;
        this.timeoutMs = timeoutMs;
        this.out = requireNonNull(out, "out");
    }

    /**
     * While the peer refuses us (closes before its handshake), try again every {@code pauseMs} for up to
     * {@code forMs}: a peer accepts only nodes its heartbeat sees live, which takes it a few heartbeats after ours
     * started.
     */
    Probe retryRefused(long forMs, long pauseMs) {
        this.retryUntilNanos = System.nanoTime() + forMs * 1_000_000;
        this.retryPauseMs = pauseMs;
        return this;
    }

    Result run() {
        while (true) {
            try {
                Result r = probe();
                if (r != null) {
                    return r;
                }
            } finally {
                close();
            }
            out.printf("refused; trying again in %d ms (the peer may not see our heartbeat yet)%n", retryPauseMs);
            try {
                Thread.sleep(retryPauseMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return fail(ExitCodes.PROTOCOL, "interrupted");
            }
        }
    }

    private Result probe() {
        socket = new Socket();
        long t0 = System.nanoTime();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutMs);
            if (bind != null) {
                socket.bind(bind);
            }
            socket.connect(target, timeoutMs);
            in = socket.getInputStream();
            os = socket.getOutputStream();
        } catch (IOException e) {
            String from = bind == null ? "" : " from " + bind.getAddress().getHostAddress();
            out.printf("cannot connect to %s%s: %s%n", peerName, from, e.getMessage());
            return fail(ExitCodes.CONNECT, "cannot connect to " + peerName + from + ": " + e.getMessage());
        }
        out.printf(
                "connected to %s from %s in %.3f ms, protocol v%d%n",
                peerName,
                endpoint((InetSocketAddress) socket.getLocalSocketAddress()),
                (System.nanoTime() - t0) / 1e6,
                ours.version().version());

        byte[] mine = bytes(ours);
        PeerHandshake peer;
        try {
            os.write(mine);
            os.flush();
            peer = readHandshake();
        } catch (EOFException | SocketException e) {
            // a refusing peer closes at once: EOF, or a reset when our handshake was still unread there
            if (System.nanoTime() < retryUntilNanos) {
                return null;
            }
            String m = "the peer closed the connection before sending its whole handshake"
                    + (e instanceof SocketException ? " (" + e.getMessage() + ")" : "")
                    + ": it refused us (our "
                    + "address must be a configured node's, numbered above the peer's, and heartbeating for it; the "
                    + "peer's log names the reason)";
            out.println(m);
            return fail(ExitCodes.PROTOCOL, m);
        } catch (IOException e) {
            return ioFailure("waiting for the peer's handshake", e);
        }
        List<Difference> diffs = printHandshakes(mine, peer);
        HandshakeMismatchException mismatch = verdict(peer);
        if (mismatch != null) {
            out.println();
            out.println("MISMATCH: " + mismatch.logMessage(peerName));
            for (Difference d : diffs) {
                out.printf("  %s: ours %s, theirs %s%n", d.field(), d.ours(), d.theirs());
            }
            return new Result(ExitCodes.MISMATCH, peer, mismatch, diffs, List.of(), null, mismatch.getMessage());
        }
        out.println();
        out.println("handshake: every checked field matches");

        decoder = new EmbeddedChannel(new FrameDecoder(ours.version()));
        List<Long> rtts = new ArrayList<>();
        O2netMsg status = null;
        try {
            for (int i = 1; i <= keepalives; i++) {
                long start = System.nanoTime();
                write(O2netMsg.keepReq());
                await(Magic.KEEP_RESP, null, "keepalive response " + i);
                long rtt = System.nanoTime() - start;
                rtts.add(rtt);
                out.printf("keepalive %d: %.3f ms%n", i, rtt / 1e6);
            }
            if (!rtts.isEmpty()) {
                List<Long> sorted = new ArrayList<>(rtts);
                Collections.sort(sorted);
                out.printf(
                        "keepalive round trips (%d): min %.3f ms, median %.3f ms, max %.3f ms%n",
                        sorted.size(), sorted.get(0) / 1e6, median(sorted) / 1e6, sorted.get(sorted.size() - 1) / 1e6);
            }
            if (call != null) {
                status = call();
            }
        } catch (ProtocolFailure e) {
            out.println(e.getMessage());
            return new Result(ExitCodes.PROTOCOL, peer, null, diffs, rtts, status, e.getMessage());
        } catch (IOException e) {
            Result r = ioFailure("after the handshake", e);
            return new Result(r.exitCode(), peer, null, diffs, rtts, status, r.error());
        }
        return new Result(ExitCodes.OK, peer, null, diffs, rtts, status, null);
    }

    private O2netMsg call() throws IOException {
        long seq = ours.version() == ProtocolVersion.V12 ? 1 : 0;
        O2netMsg req = O2netMsg.request(call.msgType(), call.key(), 0, seq, call.payload());
        long start = System.nanoTime();
        write(req);
        O2netMsg st = await(Magic.STATUS, req, "the status of the call");
        long took = System.nanoTime() - start;
        SysStatus sys = SysStatus.of(st.sysStatus());
        out.printf(
                "call msg_type %d key 0x%x (%d bytes): sys_status %d %s%s, status %d, in %.3f ms (msg_num %d%s)%n",
                call.msgType(),
                call.key(),
                call.payload().length,
                st.sysStatus(),
                sys.name(),
                sys.errno() == null ? "" : " (" + sys.errno() + " " + sys.kernelReturn() + " for the caller)",
                st.status(),
                took / 1e6,
                st.msgNum(),
                seq == 0 ? "" : ", msg_seq " + st.msgSeq());
        if (seq != 0) {
            write(st.removeRequest());
            await(Magic.MH_REMOVED, req, "MH_REMOVED");
            out.println("message holder removed (MH_REMOVE answered by MH_REMOVED)");
        }
        return st;
    }

    /** Reads frames until one of kind {@code magic} (for {@code req}'s message, if given); answers keepalives. */
    private O2netMsg await(Magic magic, O2netMsg req, String what) throws IOException {
        while (true) {
            O2netMsg f = frames.poll();
            if (f == null) {
                fill(what);
                continue;
            }
            if (f.magic() == Magic.KEEP_REQ) {
                write(O2netMsg.keepResp());
                continue;
            }
            if (f.magic() == magic
                    && (req == null
                            || f.msgNum() == req.msgNum() && f.msgSeq() == req.msgSeq() && f.key() == req.key())) {
                return f;
            }
            out.println("(ignored: " + f + ")");
        }
    }

    private void fill(String what) throws IOException {
        byte[] buf = new byte[4096];
        int n;
        try {
            n = in.read(buf);
        } catch (SocketTimeoutException e) {
            throw new ProtocolFailure("no " + what + " from " + peerName + " within " + timeoutMs + " ms");
        }
        if (n < 0) {
            throw new ProtocolFailure(peerName + " closed the connection while we waited for " + what);
        }
        try {
            decoder.writeInbound(Unpooled.wrappedBuffer(buf, 0, n));
        } catch (DecoderException e) {
            throw new ProtocolFailure("protocol error from " + peerName + ": " + e.getMessage());
        }
        for (Object o; (o = decoder.readInbound()) != null; ) {
            frames.add((O2netMsg) o);
        }
    }

    private void write(O2netMsg msg) throws IOException {
        ByteBuf b = Unpooled.buffer();
        try {
            FrameEncoder.encode(msg, ours.version(), b);
            os.write(ByteBufUtil.getBytes(b));
            os.flush();
        } finally {
            b.release();
        }
    }

    /** Reads the peer's handshake: the 8-byte version, then the rest as that version lays it out (v5..v11: 32). */
    private PeerHandshake readHandshake() throws IOException {
        byte[] version = readFully(8);
        long v = ByteBuffer.wrap(version).getLong();
        int len = v == ProtocolVersion.V12.version() ? Handshake.V12_LENGTH : Handshake.V11_LENGTH;
        byte[] rest;
        try {
            rest = readFully(len - 8);
        } catch (EOFException | SocketTimeoutException e) {
            if (ProtocolVersion.find(v) != null) {
                throw e;
            }
            // an unknown version whose layout we cannot know: the version alone says enough
            return new PeerHandshake(v, 0, 0, 0, 0, 0, null, version);
        }
        byte[] raw = new byte[len];
        System.arraycopy(version, 0, raw, 0, 8);
        System.arraycopy(rest, 0, raw, 8, rest.length);
        ByteBuffer b = ByteBuffer.wrap(raw);
        return new PeerHandshake(
                b.getLong(0),
                b.getLong(8),
                Integer.toUnsignedLong(b.getInt(16)),
                Integer.toUnsignedLong(b.getInt(20)),
                Integer.toUnsignedLong(b.getInt(24)),
                Integer.toUnsignedLong(b.getInt(28)),
                len == Handshake.V12_LENGTH ? b.getLong(32) : null,
                raw);
    }

    private byte[] readFully(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new EOFException();
        }
        return b;
    }

    /** {@link Handshake#verify}'s verdict on the peer's handshake, or {@code null} if it is accepted. */
    private HandshakeMismatchException verdict(PeerHandshake p) {
        ProtocolVersion v = ProtocolVersion.find(p.version());
        if (v == null || v != ours.version()) {
            return new HandshakeMismatchException(
                    HandshakeMismatchException.Field.PROTOCOL_VERSION,
                    ours.version().version(),
                    p.version());
        }
        Handshake theirs;
        if (v == ProtocolVersion.V12) {
            if (p.incarnation() == 0) {
                return new HandshakeMismatchException(
                        HandshakeMismatchException.Field.INCARNATION, ours.incarnation(), 0);
            }
            theirs = Handshake.v12(
                    (int) p.heartbeatTimeoutMs(),
                    (int) p.idleTimeoutMs(),
                    (int) p.keepaliveDelayMs(),
                    (int) p.reconnectDelayMs(),
                    p.incarnation());
        } else {
            theirs = Handshake.v11(
                    (int) p.heartbeatTimeoutMs(), (int) p.idleTimeoutMs(), (int) p.keepaliveDelayMs(), (int)
                            p.reconnectDelayMs());
        }
        try {
            ours.verify(theirs.withConnectorId(p.connectorId()));
            return null;
        } catch (HandshakeMismatchException e) {
            return e;
        }
    }

    /** Prints both handshakes field by field and in hex; returns the checked fields that differ. */
    private List<Difference> printHandshakes(byte[] mine, PeerHandshake p) {
        boolean full = p.raw().length > 8;
        Table t = new Table("FIELD", "OFFSET", "OURS", "THEIRS", "");
        List<Difference> diffs = new ArrayList<>();
        row(t, diffs, "protocol_version", 0, ours.version().version(), p.version(), true);
        if (full) {
            row(t, diffs, "connector_id", 8, ours.connectorId(), p.connectorId(), false);
            row(
                    t,
                    diffs,
                    "o2hb_heartbeat_timeout_ms",
                    16,
                    u32(ours.heartbeatTimeoutMs()),
                    p.heartbeatTimeoutMs(),
                    true);
            row(t, diffs, "o2net_idle_timeout_ms", 20, u32(ours.idleTimeoutMs()), p.idleTimeoutMs(), true);
            row(t, diffs, "o2net_keepalive_delay_ms", 24, u32(ours.keepaliveDelayMs()), p.keepaliveDelayMs(), true);
            row(t, diffs, "o2net_reconnect_delay_ms", 28, u32(ours.reconnectDelayMs()), p.reconnectDelayMs(), false);
        }
        if (ours.version() == ProtocolVersion.V12 || p.incarnation() != null) {
            t.row(
                    "incarnation",
                    32,
                    ours.version() == ProtocolVersion.V12 ? RunningNode.hex(ours.incarnation()) : "(v11: none)",
                    p.incarnation() == null ? "(none)" : RunningNode.hex(p.incarnation()),
                    p.incarnation() != null && p.incarnation() == 0 ? "reserved value 0" : "(the node's generation)");
        }
        out.println();
        out.println("handshake (big-endian):");
        t.print(out);
        out.println("ours:   " + hexFields(mine));
        out.println("theirs: " + hexFields(p.raw()));
        return diffs;
    }

    private static void row(
            Table t, List<Difference> diffs, String field, int offset, long ours, long theirs, boolean checked) {
        String verdict = !checked ? "(not checked)" : ours == theirs ? "ok" : "DIFFERS";
        t.row(field, offset, Long.toUnsignedString(ours), Long.toUnsignedString(theirs), verdict);
        if (checked && ours != theirs) {
            diffs.add(new Difference(field, Long.toUnsignedString(ours), Long.toUnsignedString(theirs)));
        }
    }

    private static long u32(int v) {
        return Integer.toUnsignedLong(v);
    }

    /** Hex grouped by field: 8 8 4 4 4 4 [8] bytes. */
    static String hexFields(byte[] raw) {
        int[] widths = {8, 8, 4, 4, 4, 4, 8};
        StringBuilder sb = new StringBuilder();
        int off = 0;
        for (int w : widths) {
            if (off >= raw.length) {
                break;
            }
            int end = Math.min(raw.length, off + w);
            sb.append(sb.length() == 0 ? "" : " ").append(ByteBufUtil.hexDump(Arrays.copyOfRange(raw, off, end)));
            off = end;
        }
        return sb.toString();
    }

    static byte[] bytes(Handshake h) {
        ByteBuf b = Unpooled.buffer(h.length());
        try {
            h.writeTo(b);
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    private static double median(List<Long> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    private Result ioFailure(String when, IOException e) {
        String m = e instanceof SocketTimeoutException
                ? "no answer from " + peerName + " within " + timeoutMs + " ms " + when
                : "connection to " + peerName + " failed " + when + ": " + e;
        out.println(m);
        return fail(ExitCodes.PROTOCOL, m);
    }

    private static Result fail(int code, String error) {
        return new Result(code, null, null, List.of(), List.of(), null, error);
    }

    private static String endpoint(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    private void close() {
        frames.clear();
        if (decoder != null) {
            decoder.finishAndReleaseAll();
            decoder = null;
        }
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** The peer broke the protocol, closed, or did not answer in time. */
    private static final class ProtocolFailure extends IOException {
        private static final long serialVersionUID = 1L;

        ProtocolFailure(String message) {
            super(message);
        }
    }
}
