// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.netty;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.ocfs2.o2net.config.ClusterConfig;
import org.ocfs2.o2net.config.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accept side of o2net ({@code o2net_accept_one()}), on the listening channel: it sees each accepted connection
 * before it is registered anywhere and either refuses it (close, and a WARN with the kernel's wording) or hands it to
 * the peer it comes from. The checks, in the kernel's order:
 * <ol>
 * <li>the source IPv4 address must be a configured node's:
 * {@code "o2net: Attempt to connect from unknown node at ip:port"};</li>
 * <li>only the higher-numbered node connects:
 * {@code "o2net: Unexpected connect attempt seen at node 'a' (0, ip:port) from node 'b' (1, ip:port)"};</li>
 * <li>the peer must be alive for this node's heartbeat:
 * {@code "o2net: Attempt to connect from node 'b' at ip:port but it isn't heartbeating"};</li>
 * <li>the peer must have no connection yet (established or being made):
 * {@code "o2net: Attempt to connect from node 'b' at ip:port but it already has an open connection"}.</li>
 * </ol>
 * Checks 3 and 4 read the peer's state, so they run on the peer's thread ({@link Target#execute}), where
 * {@link Target#adopt} then takes the connection. o2net knows a peer by its source address only; a source address that
 * several configured nodes share cannot be told apart and is refused as well.
 */
public final class AcceptHandler extends ChannelInboundHandlerAdapter {
    /** The name of this handler on the listening channel. */
    public static final String NAME = "o2net-accept";

    private static final Logger logger = LoggerFactory.getLogger(AcceptHandler.class);

    /** The peers, as the accept side needs them. */
    public interface Target {
        /** Runs {@code task} on the thread that owns peer {@code node}'s state. */
        void execute(int node, Runnable task);

        /** Whether this node's heartbeat sees {@code node} alive; called on that peer's thread. */
        boolean alive(int node);

        /** Whether {@code node} has a connection, established or being made; called on that peer's thread. */
        boolean busy(int node);

        /** Takes {@code child} as {@code node}'s connection: registers and starts it. Called on the peer's thread. */
        void adopt(Node node, Channel child);
    }

    private final ClusterConfig config;
    private final Target target;

    public AcceptHandler(ClusterConfig config, Target target) {
        this.config = requireNonNull(config, "config");
        this.target = requireNonNull(target, "target");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Channel)) {
            ctx.fireChannelRead(msg);
            return;
        }
        Channel child = (Channel) msg;
        SocketAddress sa = child.remoteAddress();
        if (!(sa instanceof InetSocketAddress)) {
            refuse(child, "o2net: Attempt to connect from unknown node at " + sa);
            return;
        }
        InetSocketAddress remote = (InetSocketAddress) sa;
        String from = remote.getAddress().getHostAddress() + ':' + remote.getPort();
        List<Node> candidates = new ArrayList<>(1);
        for (Node n : config.nodes()) {
            if (n.address().equals(remote.getAddress())) {
                candidates.add(n);
            }
        }
        if (candidates.isEmpty()) {
            refuse(child, "o2net: Attempt to connect from unknown node at " + from);
            return;
        }
        if (candidates.size() > 1) {
            refuse(
                    child,
                    "o2net: Attempt to connect from " + from + ", the address of nodes " + numbers(candidates)
                            + ", which cannot be told apart");
            return;
        }
        Node peer = candidates.get(0);
        Node self = config.localNode();
        if (self.number() >= peer.number()) {
            refuse(
                    child,
                    "o2net: Unexpected connect attempt seen at node '" + self.name() + "' (" + self.number()
                            + ", " + self.endpoint() + ") from node '" + peer.name() + "' (" + peer.number() + ", "
                            + from
                            + ")");
            return;
        }
        try {
            target.execute(peer.number(), () -> {
                if (!target.alive(peer.number())) {
                    refuse(
                            child,
                            "o2net: Attempt to connect from node '" + peer.name() + "' at " + from
                                    + " but it isn't heartbeating");
                } else if (target.busy(peer.number())) {
                    refuse(
                            child,
                            "o2net: Attempt to connect from node '" + peer.name() + "' at " + from
                                    + " but it already has an open connection");
                } else {
                    target.adopt(peer, child);
                }
            });
        } catch (RuntimeException e) { // the peer's thread is shutting down
            logger.debug("o2net: dropping connection from {}: {}", from, e.toString());
            close(child);
        }
    }

    private static String numbers(List<Node> nodes) {
        StringBuilder sb = new StringBuilder();
        for (Node n : nodes) {
            sb.append(sb.length() == 0 ? "" : ", ").append(n.number());
        }
        return sb.toString();
    }

    /** Logs {@code message} at WARN and closes {@code child}. */
    static void refuse(Channel child, String message) {
        logger.warn(message);
        close(child);
    }

    private static void close(Channel child) {
        if (child.isRegistered()) {
            child.close();
        } else {
            child.unsafe().closeForcibly();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // accept() failures (e.g. too many open files): Netty keeps the listening socket; log and go on.
        logger.warn("o2net: accept failed on {}: {}", ctx.channel().localAddress(), cause.toString());
    }
}
