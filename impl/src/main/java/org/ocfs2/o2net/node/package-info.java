/**
 * The public API of o2net: {@link org.ocfs2.o2net.node.O2netNode}, one per node, with the kernel's calls
 * ({@code registerHandler}, {@code send}) and the kernel's errors, over the Netty layer of
 * {@code org.ocfs2.o2net.netty} and the protocol core of {@code org.ocfs2.o2net.core}.
 *
 * <h2>Roles</h2>
 * <ul>
 * <li>{@link org.ocfs2.o2net.node.O2netNode}: life cycle, handler registry, calls, observability.</li>
 * <li>{@code Peer} (package-private): one per peer, the kernel's {@code struct o2net_node}: it owns the peer's
 * {@link org.ocfs2.o2net.core.PeerCore}, carries out its {@link org.ocfs2.o2net.core.Effects}, and owns the
 * connection, the reconnect timer and the calls waiting for a connection.</li>
 * <li>{@link org.ocfs2.o2net.node.NodeLiveness}: the heartbeat (o2hb) as o2net sees it;
 * {@link org.ocfs2.o2net.node.LocalHeartbeat} plays it for nodes in one JVM.</li>
 * <li>{@link org.ocfs2.o2net.node.Handler}, {@link org.ocfs2.o2net.node.PostHandler},
 * {@link org.ocfs2.o2net.node.Request}, {@link org.ocfs2.o2net.node.HandlerRegistration}: message handlers.</li>
 * <li>{@link org.ocfs2.o2net.node.SendTrack}, {@link org.ocfs2.o2net.node.PeerStats},
 * {@link org.ocfs2.o2net.node.TraceSink}, {@link org.ocfs2.o2net.node.Clock}: debugfs {@code send_tracking} and
 * {@code stats}, the spec-action trace, the time seam.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * Every peer is pinned to one event loop; its core, its connection's pipeline and its timers run only there. Callers
 * reach it with {@code loop.execute}; the call's future is completed on the loop and handed to callers off it.
 * Handlers run on the receive path (on the loop, the default) or, registered so, on a per-peer ordered executor over a
 * shared pool, handing their status back to the loop
 * ({@link org.ocfs2.o2net.node.HandlerRegistration.Dispatch}). Blocking {@code send} on an event loop thread is refused
 * (it would deadlock).
 *
 * <h2>Where this departs from the kernel's o2net, and why</h2>
 * <ul>
 * <li>A handler that blocks may run off the I/O threads (registered for the executor), per peer in order; the kernel
 * runs all of them on its one {@code o2net} workqueue, where a slow handler stalls every peer and every keepalive.</li>
 * <li>After an established connection drops, the connector reconnects (a reconnect delay after the drop, attempts a
 * reconnect delay apart) while heartbeat sees the peer alive; the kernel sets the persistent error -ENOTCONN and
 * waits for heartbeat down/up. The reliable protocol needs the reconnect to resend; v11 mode does it too.</li>
 * <li>The idle timeout closes the connection (reconnect and resend are the recovery); the kernel only tells quorum.
 * </li>
 * <li>A handler that throws answers -EIO with sys_status NONE (the kernel has no exceptions; a new sys_status would
 * not fit, the kernel rejects sys_status &gt;= 4).</li>
 * <li>{@code send} can be interrupted ({@link org.ocfs2.o2net.node.InterruptedSendException}, the call goes on);
 * the kernel waits uninterruptibly.</li>
 * <li>{@code registerHandler} refuses {@code msg_type} &gt; 65535 (EINVAL); the kernel takes it and never calls it.
 * {@code send} refuses it too; the kernel silently truncates it to 16 bits.</li>
 * <li>Heartbeat node-down fails the calls waiting for a connection with ENOTCONN and the calls in the core with
 * EHOSTDOWN, as the kernel; in v12 a node-down for an incarnation older than the one last handshaked with is old news
 * and leaves the session alone (spec action {@code HbNodeDown}).</li>
 * <li>A connection from an address that several configured nodes share is refused: o2net knows a peer by its source
 * IPv4 address only.</li>
 * <li>TCP_USER_TIMEOUT (the kernel sets 0x7fffffff ms) is not set: Java NIO has no such option.</li>
 * </ul>
 */
package org.ocfs2.o2net.node;
