/**
 * The o2net protocol as a deterministic state machine, without I/O: the implementation of the TLA+ specs in
 * {@code spec/tla/ReliableO2net.tla} (reliable, protocol v12) and {@code spec/tla/O2net.tla} (today's o2net, v11).
 * <p>
 * {@link org.ocfs2.o2net.core.PeerCore} holds one node's state towards one peer: the sender's held messages (each
 * with the caller's opaque call object) and, in v11, the calls waiting for a connection, the receiver's Message Holder tree, and what the node knows of the connection and of the peer's
 * incarnation. Events go in as method calls (a call, a received frame, a handler's status, a reset, a connection, a
 * heartbeat node-down); frames, handler runs, ended calls (the call object handed back with a
 * plain result: no future, no callback into the caller) and trace events come out through
 * {@link org.ocfs2.o2net.core.Effects}. Time is passed in. Each event method carries the name of the spec action it
 * implements and says so in its Javadoc; each spec action names its method here.
 * <p>
 * The core is not thread-safe: one thread (the Netty layer uses the node's event loop) makes every call.
 */
package org.ocfs2.o2net.core;
