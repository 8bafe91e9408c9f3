// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.ocfs2.o2net.config.ClusterConfig;
import org.ocfs2.o2net.config.Node;
import org.ocfs2.o2net.netty.AcceptHandler;
import org.ocfs2.o2net.netty.FaultInjector;
import org.ocfs2.o2net.wire.Errno;
import org.ocfs2.o2net.wire.Handshake;
import org.ocfs2.o2net.wire.O2netException;
import org.ocfs2.o2net.wire.O2netMsg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One o2net node: the kernel's o2net for one node of a cluster, over Netty, with the reliable protocol (v12) or
 * today's (v11) as {@link ClusterConfig#reliable()} says. One per node process; several may run in one JVM.
 *
 * <h2>Use</h2>
 * <pre>
 *  NodeLiveness hb = ...;                                  // o2hb, or LocalHeartbeat.join(n) in one JVM
 *  O2netNode net = O2netNode.builder(config, hb).build();
 *  net.registerHandler(DLM_MSG, domainKey, 4072, req -&gt; handle(req));
 *  net.start();                                            // listens on the local node's ip:port
 *  int status = net.send(DLM_MSG, domainKey, payload, 2); // blocks until node 2's handler has answered
 *  net.close();                                            // pending calls fail with EHOSTDOWN
 * </pre>
 *
 * <h2>Threading</h2>
 * Each peer is pinned to one of the node's event loops; its protocol core, its connection's handlers and its timers
 * all run there, so the core is only ever touched by that thread. Handlers run on the receive path, on that loop, as
 * the kernel runs them, unless registered for the executor ({@link HandlerRegistration.Dispatch}): a handler that
 * blocks runs on a per-peer ordered executor over a shared pool, while other peers' requests, keepalives and all I/O
 * go on. Either way one peer's requests are handled one at a time, in arrival order. (The kernel runs every handler
 * on its single {@code o2net} workqueue, so there one slow handler stalls every peer, keepalives included.)
 *
 * <h2>Connections</h2>
 * One connection per pair of nodes; the higher-numbered node connects from its own address (port 0), the lower one
 * accepts (see {@link AcceptHandler} for the refusals). After a drop the connector reconnects, attempts at least
 * {@code reconnect_delay} apart, for as long as heartbeat sees the peer alive (today's kernel leaves a persistent
 * ENOTCONN after an established connection drops and reconnects only when {@code o2net_connect_expired} clears it,
 * about {@code idle_timeout} later). A handshake mismatch sets the persistent error ENOTCONN: sends fail at
 * once and no reconnect is tried until heartbeat reports the node down and up again (the kernel tries again after
 * {@code o2net_connect_expired}; a mismatch is a configuration error that a retry does not mend). The idle timeout closes
 * the connection (see {@link org.ocfs2.o2net.netty.KeepaliveHandler}).
 */
public final class O2netNode implements AutoCloseable {
    /** The listen backlog, as the kernel's. */
    public static final int LISTEN_BACKLOG = 64;

    private static final Logger logger = LoggerFactory.getLogger(O2netNode.class);
    private static final int NEW = 0;
    private static final int STARTING = 1;
    private static final int STARTED = 2;
    private static final int CLOSED = 3;

    private final ClusterConfig config;
    private final Node self;
    private final NodeLiveness liveness;
    private final Clock clock;
    private final TraceSink trace;
    private final FaultInjector injector;
    private final int ioThreads;
    private final boolean autoConnect;
    private final long incarnation;
    private final ConcurrentMap<Long, HandlerRegistration> handlers = new ConcurrentHashMap<>();
    /**
     * {@link #handlers} keyed by primitive longs, for {@link #lookup} on every request (no boxed key); replaced whole,
     * under the node's lock, after every registration and removal, never changed once published.
     */
    private volatile io.netty.util.collection.LongObjectHashMap<HandlerRegistration> handlerTable =
            new io.netty.util.collection.LongObjectHashMap<>();

    private final CallRegistry calls = new CallRegistry();
    private final List<NodeLiveness.Listener> nodeListeners = new CopyOnWriteArrayList<>();
    private final Peer[] peers = new Peer[Node.MAX_NODES];
    private final NodeLiveness.Listener hbListener = new HeartbeatListener();
    private final Executor callbacks = this::runCallback;
    private volatile int state = NEW;
    private EventLoopGroup group;
    /** The group's event loops, set at start. */
    private volatile EventExecutor[] loops = new EventExecutor[0];
    /** The group was handed in ({@link Builder#eventLoopGroup}): the node does not shut it down. */
    private final EventLoopGroup givenGroup;
    /** The pool the node made for handlers and callbacks, or null if both were handed in. */
    private ThreadPoolExecutor handlerPool;

    private Executor handlerExecutor;
    private final Executor givenHandlerExecutor;
    private final Executor givenCallbackExecutor;
    private final AckTimer ackTimer;
    /** A listening socket bound before the node was built ({@link Builder#serverChannel}); taken over at start. */
    private ServerSocketChannel givenServer;

    private Channel server;

    private O2netNode(Builder b) {
        this.config = b.config;
        this.self = config.localNode();
        this.liveness = b.liveness;
        this.clock = b.clock;
        this.trace = b.trace;
        this.injector = b.injector;
        this.autoConnect = b.autoConnect;
        this.givenGroup = b.group;
        this.givenHandlerExecutor = b.handlerExecutor;
        this.givenCallbackExecutor = b.callbackExecutor;
        this.ackTimer = b.ackTimer;
        this.givenServer = b.serverChannel;
        this.ioThreads = b.ioThreads > 0
                ? b.ioThreads
                : Math.max(
                        1, Math.min(config.peers().size(), Runtime.getRuntime().availableProcessors()));
        this.incarnation = liveness.incarnation();
        if (config.reliable() && incarnation == 0) {
            throw new IllegalArgumentException("heartbeat gives node " + self.number() + " incarnation 0");
        }
        Map<String, List<Integer>> byAddress = new LinkedHashMap<>();
        for (Node n : config.nodes()) {
            byAddress
                    .computeIfAbsent(n.address().getHostAddress(), a -> new ArrayList<>())
                    .add(n.number());
        }
        byAddress.forEach((a, ns) -> {
            if (ns.size() > 1) {
                logger.warn(
                        "o2net: nodes {} share address {}; o2net knows a peer by its source address, so "
                                + "connections from them will be refused",
                        ns,
                        a);
            }
        });
    }

    /** Returns a builder for a node of {@code config}, with {@code liveness} as its heartbeat. */
    public static Builder builder(ClusterConfig config, NodeLiveness liveness) {
        return new Builder(config, liveness);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Life cycle
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Starts the node ({@code o2net_start_listening()}): listens on the local node's address and port (backlog
     * {@value #LISTEN_BACKLOG}, SO_REUSEADDR), registers with the heartbeat and connects to the lower-numbered peers
     * that are alive. Peers that heartbeat does not see alive get ENOTCONN until it reports them up (the kernel starts
     * every node with the persistent error -ENOTCONN). Not to be called concurrently with {@link #close()}.
     *
     * @throws UncheckedIOException if the address cannot be bound; the node is closed then
     * @throws IllegalStateException if the node was started or closed before
     */
    public void start() {
        synchronized (this) {
            if (state != NEW) {
                throw new IllegalStateException(
                        "node " + self.number() + " was " + (state == CLOSED ? "closed" : "started") + " before");
            }
            state = STARTING;
        }
        group = givenGroup != null
                ? givenGroup
                : new NioEventLoopGroup(ioThreads, new DefaultThreadFactory("o2net-" + self.number() + "-io", true));
        List<EventExecutor> ls = new ArrayList<>();
        group.forEach(ls::add);
        loops = ls.toArray(new EventExecutor[0]); // onIoThread() walks them on every send: no iterator each time
        if (givenHandlerExecutor == null || givenCallbackExecutor == null) {
            handlerPool = new ThreadPoolExecutor(
                    0,
                    Integer.MAX_VALUE,
                    30,
                    TimeUnit.SECONDS,
                    new SynchronousQueue<>(),
                    new DefaultThreadFactory("o2net-" + self.number() + "-handler", true));
        }
        handlerExecutor = givenHandlerExecutor != null ? givenHandlerExecutor : handlerPool;
        Handshake handshake = Handshake.of(config, incarnation);
        for (Node n : config.peers()) {
            peers[n.number()] = new Peer(this, n, group.next(), handshake);
        }
        liveness.addListener(hbListener);
        for (Node n : config.peers()) {
            Peer p = peers[n.number()];
            p.loop.execute(() -> p.start(liveness.isAlive(n.number())));
        }
        ServerSocketChannel bound = givenServer;
        givenServer = null;
        NioServerSocketChannel s = bound != null ? new NioServerSocketChannel(bound) : new NioServerSocketChannel();
        if (bound == null) {
            s.config().setBacklog(LISTEN_BACKLOG);
            s.config().setReuseAddress(true);
        }
        s.pipeline().addLast(AcceptHandler.NAME, new AcceptHandler(config, new Acceptor()));
        ChannelFuture f = group.next().register(s).awaitUninterruptibly();
        if (f.isSuccess() && bound == null) {
            f = s.bind(self.socketAddress()).awaitUninterruptibly();
        }
        if (!f.isSuccess() || (bound != null && !listensOnOwnPort(bound))) {
            Throwable cause = f.isSuccess()
                    ? new IllegalArgumentException("the listening channel handed over is bound to "
                            + localAddress(bound) + ", not to " + self.endpoint())
                    : f.cause();
            s.close().awaitUninterruptibly();
            close();
            String what = "o2net: node " + self.number() + " cannot listen on " + self.endpoint();
            if (cause instanceof IOException) {
                throw new UncheckedIOException(what + ": " + cause.getMessage(), (IOException) cause);
            }
            throw new IllegalStateException(what, cause);
        }
        server = s;
        synchronized (this) {
            if (state == STARTING) {
                state = STARTED; // publishes peers[] to the callers
            }
        }
        logger.info(
                "o2net: node {} listening on {} (protocol v{}, incarnation 0x{})",
                self.number(),
                self.endpoint(),
                handshake.version().version(),
                Long.toHexString(incarnation));
    }

    /**
     * Stops the node ({@code o2net_stop_listening()}): stops listening, fails every call in progress with EHOSTDOWN,
     * closes every connection, interrupts running handlers, and stops every thread the node started. Idempotent.
     * Must not be called on one of the node's own threads.
     */
    @Override
    public void close() {
        if (onIoThread()) {
            throw new IllegalStateException("O2netNode.close() called on one of its own I/O threads");
        }
        synchronized (this) {
            if (state == CLOSED) {
                return;
            }
            state = CLOSED;
        }
        if (group == null) {
            closeQuietly(givenServer);
            return;
        }
        liveness.removeListener(hbListener);
        if (server != null) {
            server.close().awaitUninterruptibly();
        }
        for (Peer p : peers) {
            if (p != null) {
                onLoop(p, () -> {
                    p.shutdown();
                    return null;
                });
            }
        }
        if (givenGroup == null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        if (handlerPool != null) {
            handlerPool.shutdownNow();
            try {
                if (!handlerPool.awaitTermination(5, TimeUnit.SECONDS)) {
                    logger.warn("o2net: node {}: handlers still running after close", self.number());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Call c : calls.snapshot()) {
            c.fail(Errno.EHOSTDOWN, "node " + self.number() + " is shutting down");
        }
        logger.info("o2net: node {} stopped", self.number());
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return state == CLOSED;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Handlers
    // ------------------------------------------------------------------------------------------------------------

    /** {@link #registerHandler(int, int, int, Handler, PostHandler, HandlerRegistration.Dispatch)} without a
     * post-handler, on the receive path. */
    public HandlerRegistration registerHandler(int msgType, int key, int maxLen, Handler handler) {
        return registerHandler(msgType, key, maxLen, handler, null, HandlerRegistration.Dispatch.RECEIVE_PATH);
    }

    /** {@link #registerHandler(int, int, int, Handler, PostHandler, HandlerRegistration.Dispatch)} without a
     * post-handler. */
    public HandlerRegistration registerHandler(
            int msgType, int key, int maxLen, Handler handler, HandlerRegistration.Dispatch dispatch) {
        return registerHandler(msgType, key, maxLen, handler, null, dispatch);
    }

    /** {@link #registerHandler(int, int, int, Handler, PostHandler, HandlerRegistration.Dispatch)} on the receive
     * path. */
    public HandlerRegistration registerHandler(int msgType, int key, int maxLen, Handler handler, PostHandler post) {
        return registerHandler(msgType, key, maxLen, handler, post, HandlerRegistration.Dispatch.RECEIVE_PATH);
    }

    /**
     * Registers {@code handler} for requests of {@code (msgType, key)} ({@code o2net_register_handler()}).
     *
     * @param msgType 1..65535: the kernel's API takes a u32 but only 16 bits go on the wire, so a larger type could
     *                never match; it is refused here rather than silently never called
     * @param maxLen  the longest payload accepted, 0..4072; longer requests are answered OVERFLOW (EOVERFLOW for the
     *                caller) without running the handler
     * @param post    runs after each handler run, once its status was handed over; may be {@code null}
     * @param dispatch where the handler (and its post-handler) runs: on the receive path, as the kernel runs o2net
     *                handlers, or on the handler executor for a handler that blocks
     * @throws O2netException EINVAL if {@code maxLen} is above 4072 or negative, {@code msgType} is 0 or above 65535,
     *                        or {@code handler} or {@code dispatch} is null; EEXIST if {@code (msgType, key)} is
     *                        registered already
     */
    public HandlerRegistration registerHandler(
            int msgType,
            int key,
            int maxLen,
            Handler handler,
            PostHandler post,
            HandlerRegistration.Dispatch dispatch) {
        if (maxLen < 0 || maxLen > O2netMsg.MAX_PAYLOAD_BYTES) {
            throw new O2netException(
                    Errno.EINVAL,
                    "max_len " + Integer.toUnsignedString(maxLen) + " is above " + "O2NET_MAX_PAYLOAD_BYTES ("
                            + O2netMsg.MAX_PAYLOAD_BYTES + ")");
        }
        if (msgType <= 0 || msgType > O2netMsg.MAX_MSG_TYPE) {
            throw new O2netException(
                    Errno.EINVAL,
                    "msg_type " + Integer.toUnsignedString(msgType) + " is not in " + "1.." + O2netMsg.MAX_MSG_TYPE
                            + " (the wire field is 16 bits)");
        }
        if (handler == null) {
            throw new O2netException(Errno.EINVAL, "no handler function");
        }
        if (dispatch == null) {
            throw new O2netException(Errno.EINVAL, "no dispatch: the receive path or the executor");
        }
        HandlerRegistration reg =
                new HandlerRegistration(msgType, key, maxLen, handler, post, dispatch, this::unregistered);
        if (handlers.putIfAbsent(HandlerRegistration.id(msgType, key), reg) != null) {
            throw new O2netException(
                    Errno.EEXIST,
                    "a handler for msg_type " + msgType + " key 0x" + Integer.toHexString(key)
                            + " is registered already");
        }
        publishHandlers();
        return reg;
    }

    HandlerRegistration lookup(int msgType, int key) {
        return handlerTable.get(HandlerRegistration.id(msgType, key));
    }

    /** {@link HandlerRegistration#unregister}: {@code reg} leaves the node's lookups, if it was still there. */
    private void unregistered(HandlerRegistration reg) {
        if (handlers.remove(HandlerRegistration.id(reg.msgType(), reg.key()), reg)) {
            publishHandlers();
        }
    }

    /** Publishes {@link #handlers} as a new {@link #handlerTable}; after every change. */
    private synchronized void publishHandlers() {
        io.netty.util.collection.LongObjectHashMap<HandlerRegistration> t =
                new io.netty.util.collection.LongObjectHashMap<>(Math.max(8, handlers.size() * 2));
        handlers.forEach((id, reg) -> t.put(id.longValue(), reg));
        handlerTable = t;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Sending
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Calls the handler of {@code (msgType, key)} on {@code targetNode} and waits for its status
     * ({@code o2net_send_message()}).
     * <p>
     * The wait can be interrupted, but the call is never lost: on interrupt this throws an
     * {@link InterruptedSendException} whose future gives the call's result later, and the call goes on (its message
     * stays held and is re-sent until it is answered). The kernel waits uninterruptibly instead. Calls in progress are
     * listed by {@link #sendTracking()}.
     *
     * @param payload 0..4072 bytes, sent as they are, not copied (as the kernel sends from the caller's buffer): keep
     *                the array unchanged until the call returns; if the wait is interrupted, until the
     *                {@link InterruptedSendException}'s future completes (the message is held and may be re-sent until
     *                then)
     * @return the status the remote handler returned
     * @throws O2netException with the kernel's errno: ESRCH (node not started or closed); EINVAL (null or too long
     *                        payload, {@code msgType} outside 0..65535, unknown target); ELOOP (target is this node);
     *                        ENOTCONN (persistent error, or heartbeat says the target is down); EHOSTDOWN (the
     *                        target died, restarted, or this node closed, during the call; in v11 also when the
     *                        connection dropped); ENOPROTOOPT (no handler there); EOVERFLOW (payload longer than the
     *                        handler's max_len)
     * @throws InterruptedSendException if the thread is interrupted while waiting
     * @throws IllegalStateException    if called on one of this node's I/O threads (it would deadlock)
     */
    public int send(int msgType, int key, byte[] payload, int targetNode) {
        if (onIoThread()) {
            throw new IllegalStateException("blocking send() on an o2net I/O thread would deadlock; use sendAsync()");
        }
        Call c = call(msgType, key, payload, targetNode);
        try {
            c.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedSendException(
                    "interrupted while waiting for node " + targetNode + " (" + c.what() + "); the call goes on",
                    c.userFuture(callbacks));
        }
        if (c.returned()) {
            return c.status();
        }
        throw new O2netException(c.errno(), c.error());
    }

    /**
     * {@link #send} without blocking: the future completes with the handler's status, or exceptionally with the
     * {@link O2netException} {@code send} would throw. It is completed off the I/O threads. Cancelling it does not
     * cancel the call. The payload is not copied: keep the array unchanged until the future completes.
     */
    public CompletableFuture<Integer> sendAsync(int msgType, int key, byte[] payload, int targetNode) {
        try {
            return call(msgType, key, payload, targetNode).userFuture(callbacks);
        } catch (O2netException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Call call(int msgType, int key, byte[] payload, int target) {
        if (state != STARTED) {
            throw new O2netException(Errno.ESRCH, "o2net is not running on node " + self.number());
        }
        if (payload == null) {
            throw new O2netException(Errno.EINVAL, "no payload");
        }
        if (payload.length > O2netMsg.MAX_PAYLOAD_BYTES) {
            throw new O2netException(
                    Errno.EINVAL,
                    "payload of " + payload.length + " bytes is above " + "O2NET_MAX_PAYLOAD_BYTES ("
                            + O2netMsg.MAX_PAYLOAD_BYTES + ")");
        }
        if (target == self.number()) {
            throw new O2netException(Errno.ELOOP, "node " + target + " is this node");
        }
        if (msgType < 0 || msgType > O2netMsg.MAX_MSG_TYPE) {
            throw new O2netException(
                    Errno.EINVAL,
                    "msg_type " + Integer.toUnsignedString(msgType) + " does not fit the 16-bit wire field");
        }
        Peer p = target >= 0 && target < peers.length ? peers[target] : null;
        if (p == null) {
            throw new O2netException(Errno.EINVAL, "node " + target + " is not a node of cluster " + config.name());
        }
        Call c =
                new Call(p, calls, msgType, key, payload, Thread.currentThread().getName(), clock.nanoTime());
        calls.add(c);
        try {
            p.loop.execute(c);
        } catch (RejectedExecutionException e) {
            c.fail(Errno.ESRCH, "o2net is not running on node " + self.number());
        }
        return c;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Observability and fault injection
    // ------------------------------------------------------------------------------------------------------------

    /**
     * The calls in progress, oldest first (debugfs {@code send_tracking}): who waits, on which message, since when,
     * and whether the message waits for a connection or is held by the core.
     */
    public List<SendTrack> sendTracking() {
        List<SendTrack> list = new ArrayList<>();
        for (Call c : calls.snapshot()) {
            list.add(c.track());
        }
        list.sort(Comparator.comparingLong(SendTrack::startNanos));
        return list;
    }

    /** The peers with a valid connection, ascending (debugfs {@code connected_nodes}). */
    public List<Integer> connectedNodes() {
        List<Integer> list = new ArrayList<>();
        for (Peer p : peers) {
            if (p != null && p.valid()) {
                list.add(p.node.number());
            }
        }
        return list;
    }

    /**
     * The counters towards {@code peer}, read on its event loop; after {@link #close()}, the last ones.
     *
     * @throws IllegalArgumentException if {@code peer} is not a peer of this node, or the node was never started
     */
    public PeerStats stats(int peer) {
        Peer p = peer(peer);
        return onLoop(p, p::snapshot);
    }

    /** The counters towards every peer, by node number. */
    public Map<Integer, PeerStats> stats() {
        Map<Integer, PeerStats> m = new LinkedHashMap<>();
        for (Peer p : peers) {
            if (p != null) {
                m.put(p.node.number(), onLoop(p, p::snapshot));
            }
        }
        return m;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Test controls: package-private, reached only through the test kit (o2net-testkit's NodeControl), so that the
    // product's API has none of them.
    // ------------------------------------------------------------------------------------------------------------

    /**
     * Resets the connection to {@code peer} with a real RST (SO_LINGER 0, then close), as a fault schedule or test
     * asks; the node then behaves as after any connection loss.
     *
     * @return false if there was no connection
     */
    boolean resetConnection(int peer) {
        Peer p = peer(peer);
        return Boolean.TRUE.equals(onLoop(p, p::resetConnection));
    }

    /** Releases the frames the fault injector holds on the connection to {@code peer}; returns how many. */
    int releaseFrames(int peer) {
        Peer p = peer(peer);
        Integer n = onLoop(p, p::releaseFrames);
        return n == null ? 0 : n;
    }

    /**
     * Releases the oldest {@code max} frames the fault injector holds in {@code direction} on the connection to
     * {@code peer}, and no other, in order; returns how many. A replay uses it to deliver frames one at a time.
     */
    int releaseFrames(int peer, FaultInjector.Direction direction, int max) {
        Peer p = peer(peer);
        Integer n = onLoop(p, () -> p.releaseFrames(direction, max));
        return n == null ? 0 : n;
    }

    /**
     * This node's state towards {@code peer} now: the protocol core's state, the frames the fault injector holds on
     * the connection, the calls waiting for a connection. Taken on the peer's event loop (consistent, no data race);
     * read-only. For tests, the conformance replay and debugging; after {@link #close()}, the state the node was
     * left in.
     *
     * @throws IllegalArgumentException if {@code peer} is not a peer of this node, or the node was never started
     */
    PeerInspection inspect(int peer) {
        Peer p = peer(peer);
        return onLoop(p, p::inspect);
    }

    /**
     * Makes one connection attempt to {@code peer} now, for a node built with
     * {@link Builder#autoConnect autoConnect(false)}: if this node is the connector (the higher-numbered node), has no
     * connection to {@code peer}, heartbeat sees it alive and there is no persistent error. A failed attempt is not
     * retried. With auto-connect on, this only makes an attempt sooner.
     *
     * @return whether an attempt was started
     */
    boolean connect(int peer) {
        Peer p = peer(peer);
        return Boolean.TRUE.equals(onLoop(p, p::connectOnce));
    }

    /** Counts the frames the fault injector holds now on the connection to {@code peer}. */
    int heldFrames(int peer) {
        Peer p = peer(peer);
        Integer n = onLoop(p, p::heldFrames);
        return n == null ? 0 : n;
    }

    /**
     * Adds a listener for heartbeat node up/down events. It is called after this node's o2net has acted on the event
     * (the kernel registers o2net's callbacks first, {@code O2NET_HB_PRI}), on the heartbeat's thread.
     */
    public void addNodeListener(NodeLiveness.Listener listener) {
        nodeListeners.add(requireNonNull(listener, "listener"));
    }

    public void removeNodeListener(NodeLiveness.Listener listener) {
        nodeListeners.remove(listener);
    }

    public ClusterConfig config() {
        return config;
    }

    /** This node's number. */
    public int nodeNumber() {
        return self.number();
    }

    /** This node's incarnation, from its heartbeat. */
    public long incarnation() {
        return incarnation;
    }

    Clock clock() {
        return clock;
    }

    TraceSink traceSink() {
        return trace;
    }

    FaultInjector faultInjector() {
        return injector;
    }

    boolean autoConnect() {
        return autoConnect;
    }

    /** How the peers' delayed-ack timers are scheduled ({@link Builder#ackTimer}). */
    AckTimer ackTimer() {
        return ackTimer;
    }

    /** Where handler runs are submitted, one task per run ({@link Builder#handlerExecutor}). */
    Executor handlerExecutor() {
        return handlerExecutor;
    }

    /**
     * Opens a listening socket on {@code address}:{@code port} as the node would (backlog {@value #LISTEN_BACKLOG},
     * SO_REUSEADDR), for {@link Builder#serverChannel}. With port 0 the OS picks a free port: read it back with
     * {@code getLocalAddress()}, put it into the cluster configuration, then hand the socket to the node; no port is
     * probed, closed and bound again, so nothing else on the machine can take it in between.
     *
     * @throws UncheckedIOException if the address cannot be bound
     */
    public static ServerSocketChannel listen(String address, int port) {
        ServerSocketChannel ch = null;
        try {
            ch = ServerSocketChannel.open();
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(new InetSocketAddress(InetAddress.getByName(address), port), LISTEN_BACKLOG);
            return ch;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException(
                    "o2net: cannot listen on " + address + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** The port a listening socket is bound to, e.g. one from {@link #listen} with port 0. */
    public static int port(ServerSocketChannel ch) {
        return localAddress(ch).getPort();
    }

    private static InetSocketAddress localAddress(ServerSocketChannel ch) {
        try {
            return (InetSocketAddress) ch.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean listensOnOwnPort(ServerSocketChannel ch) {
        InetSocketAddress a = localAddress(ch);
        return a != null
                && a.getPort() == self.port()
                && (a.getAddress().isAnyLocalAddress() || a.getAddress().equals(self.address()));
    }

    private static void closeQuietly(ServerSocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                logger.debug("o2net: closing a listening socket: {}", e.toString());
            }
        }
    }

    private Peer peer(int number) {
        Peer p = number >= 0 && number < peers.length ? peers[number] : null;
        if (p == null) {
            throw new IllegalArgumentException("node " + number + " is not a started peer of node " + self.number());
        }
        return p;
    }

    private boolean onIoThread() {
        EventExecutor[] l = loops;
        for (EventExecutor e : l) {
            if (e.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code task} on {@code p}'s event loop and waits; runs it here if the loop is gone. */
    private <T> T onLoop(Peer p, Callable<T> task) {
        try {
            if (p.loop.inEventLoop() || p.loop.isShutdown()) {
                return task.call();
            }
            Future<T> f = p.loop.submit(task);
            f.awaitUninterruptibly();
            if (f.isSuccess()) {
                return f.getNow();
            }
            if (f.cause() instanceof RejectedExecutionException) {
                return task.call();
            }
            throw new IllegalStateException("task on node " + self.number() + "'s event loop failed", f.cause());
        } catch (RejectedExecutionException e) {
            try {
                return task.call();
            } catch (Exception e2) {
                throw new IllegalStateException(e2);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void runCallback(Runnable r) {
        if (givenCallbackExecutor != null) {
            givenCallbackExecutor.execute(r);
            return;
        }
        ThreadPoolExecutor pool = handlerPool;
        try {
            if (pool != null && !pool.isShutdown()) {
                pool.execute(r);
                return;
            }
        } catch (RejectedExecutionException e) {
            // shutting down: run it here
        }
        r.run();
    }

    @Override
    public String toString() {
        return "O2netNode{node=" + self + ", v" + (config.reliable() ? 12 : 11) + ", incarnation=0x"
                + Long.toHexString(incarnation) + ", " + new String[] {"new", "starting", "started", "closed"}[state]
                + '}';
    }

    /** Heartbeat events: o2net acts first, on the peer's loop, then the users' listeners. */
    private final class HeartbeatListener implements NodeLiveness.Listener {
        @Override
        public void nodeUp(int node, long inc) {
            Peer p = node >= 0 && node < peers.length ? peers[node] : null;
            if (p != null && state != CLOSED) {
                onLoop(p, () -> {
                    p.nodeUp(inc);
                    return null;
                });
            }
            for (NodeLiveness.Listener l : nodeListeners) {
                l.nodeUp(node, inc);
            }
        }

        @Override
        public void nodeDown(int node, long inc) {
            Peer p = node >= 0 && node < peers.length ? peers[node] : null;
            if (p != null && state != CLOSED) {
                onLoop(p, () -> {
                    p.nodeDown(inc);
                    return null;
                });
            }
            for (NodeLiveness.Listener l : nodeListeners) {
                l.nodeDown(node, inc);
            }
        }
    }

    /** The accept side's view of the peers. */
    private final class Acceptor implements AcceptHandler.Target {
        @Override
        public void execute(int node, Runnable task) {
            peer(node).loop.execute(task);
        }

        @Override
        public boolean alive(int node) {
            return peer(node).alive();
        }

        @Override
        public boolean busy(int node) {
            return peer(node).busy();
        }

        @Override
        public void adopt(Node node, Channel child) {
            peer(node.number()).adopt(child);
        }
    }

    /** Builds an {@link O2netNode}. */
    public static final class Builder {
        private final ClusterConfig config;
        private final NodeLiveness liveness;
        private Clock clock = Clock.SYSTEM;
        private TraceSink trace = TraceSink.NONE;
        private FaultInjector injector = FaultInjector.NONE;
        private int ioThreads;
        private boolean autoConnect = true;
        private EventLoopGroup group;
        private Executor handlerExecutor;
        private Executor callbackExecutor;
        private AckTimer ackTimer = AckTimer.DELAYED;
        private ServerSocketChannel serverChannel;

        private Builder(ClusterConfig config, NodeLiveness liveness) {
            this.config = requireNonNull(config, "config");
            this.liveness = requireNonNull(liveness, "liveness");
        }

        /** The time seam; {@link Clock#SYSTEM} by default. */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /** Where the core's spec actions go; {@link TraceSink#NONE} by default. */
        public Builder trace(TraceSink trace) {
            this.trace = requireNonNull(trace, "trace");
            return this;
        }

        /**
         * The fault injector of every connection, for tests (the test kit's {@code FrameHolds}, a fault schedule, the
         * conformance replay). By default, {@link FaultInjector#NONE}, there is none and no fault handler sits in
         * any pipeline.
         */
        public Builder faultInjector(FaultInjector injector) {
            this.injector = requireNonNull(injector, "injector");
            return this;
        }

        /** The number of I/O threads; by default one per peer, at most one per CPU. */
        public Builder ioThreads(int ioThreads) {
            if (ioThreads < 1) {
                throw new IllegalArgumentException("ioThreads must be >= 1, got " + ioThreads);
            }
            this.ioThreads = ioThreads;
            return this;
        }

        /**
         * Whether the node makes connections on its own (the default): at start, after a drop (a reconnect delay
         * later), on heartbeat node-up, and when a call waits for a connection. With {@code false} the connector
         * makes an attempt only when the test kit asks for one ({@code NodeControl.connect}), so that a test or a
         * replay decides when a connection is made (a connection that drops stays down). Accepting is not affected.
         */
        public Builder autoConnect(boolean autoConnect) {
            this.autoConnect = autoConnect;
            return this;
        }

        /**
         * The event loops the node's I/O, timers and protocol cores run on; by default the node makes its own
         * ({@link #ioThreads}) and shuts them down on close. A group handed in here is shared: the node only uses it
         * and leaves it running when it closes. It must run NIO channels (a {@code NioEventLoopGroup}).
         */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.group = requireNonNull(group, "group");
            return this;
        }

        /**
         * How the peers' delayed-ack timers are scheduled (v13): by default {@link AckTimer#DELAYED}, on the peer's
         * event loop after the delayed-ack delay. A test that steps the protocol can hold them and fire them itself.
         */
        public Builder ackTimer(AckTimer timer) {
            this.ackTimer = requireNonNull(timer, "timer");
            return this;
        }

        /**
         * Where handler runs go: one task per handler run, submitted only once the previous run of the same peer is
         * over (one peer's requests are still handled one at a time, in arrival order). By default a pool of daemon
         * threads the node makes and stops on close; an executor handed in here is not shut down by the node. A
         * test can step it by hand: each task it runs is exactly one queued handler run.
         */
        public Builder handlerExecutor(Executor executor) {
            this.handlerExecutor = requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Where the futures of {@link O2netNode#sendAsync} are completed, off the I/O threads; by default the node's
         * handler pool. Not shut down by the node.
         */
        public Builder callbackExecutor(Executor executor) {
            this.callbackExecutor = requireNonNull(executor, "executor");
            return this;
        }

        /**
         * A listening socket already bound to the local node's address and port ({@link O2netNode#listen}), which
         * the node takes over at {@link O2netNode#start()} instead of binding one itself; the node closes it when it
         * closes. Lets a test bind port 0 first and write the port the OS chose into the configuration.
         */
        public Builder serverChannel(ServerSocketChannel channel) {
            this.serverChannel = requireNonNull(channel, "channel");
            return this;
        }

        public O2netNode build() {
            return new O2netNode(this);
        }
    }
}
