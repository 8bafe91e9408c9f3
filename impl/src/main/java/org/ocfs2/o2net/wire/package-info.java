/**
 * The o2net wire format, compatible with the kernel's {@code fs/ocfs2/cluster/tcp.c} in protocol version 11 and
 * extended for the reliable protocol (version 12): frames ({@link org.ocfs2.o2net.wire.O2netMsg}), the handshake
 * ({@link org.ocfs2.o2net.wire.Handshake}), their Netty codecs, typed framing errors, and the kernel's error codes
 * ({@link org.ocfs2.o2net.wire.Errno}, {@link org.ocfs2.o2net.wire.SysStatus}).
 * <p>
 * Layouts are drawn in {@link org.ocfs2.o2net.wire.FrameDecoder} and {@link org.ocfs2.o2net.wire.Handshake};
 * {@link org.ocfs2.o2net.wire.WirePipeline} shows how the handlers fit together.
 */
package org.ocfs2.o2net.wire;
