/**
 * The Netty connection layer of o2net: the handlers of one connection, the accept side, and fault injection. The
 * handlers move bytes, timers and events; every protocol decision is the protocol core's
 * ({@link org.ocfs2.o2net.core.PeerCore}), driven by the per-peer driver in {@code org.ocfs2.o2net.node}.
 * <ul>
 * <li>{@link org.ocfs2.o2net.netty.Pipelines}: the pipeline of a connection, codecs included.</li>
 * <li>{@link org.ocfs2.o2net.netty.PeerHandler}: writes the handshake, hands the connection's events to the
 * per-peer driver, closes the connection on errors with a precise log line.</li>
 * <li>{@link org.ocfs2.o2net.netty.KeepaliveHandler}: keepalive requests and responses, the idle timeout.</li>
 * <li>{@link org.ocfs2.o2net.netty.AcceptHandler}: the kernel's accept-side checks.</li>
 * <li>{@link org.ocfs2.o2net.netty.FaultInjector}, {@link org.ocfs2.o2net.netty.FaultHandler}: holding frames and
 * resetting connections, an opt-in part of the pipeline for tests: the fault handler is there only when a node is
 * built with a fault injector. The injectors themselves (rules, schedules) are in the test kit, o2net-testkit.</li>
 * </ul>
 */
package org.ocfs2.o2net.netty;
