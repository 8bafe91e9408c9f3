// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * A frame header whose {@code magic} is not a frame kind of the connection's protocol version (the kernel returns
 * {@code -EINVAL} and shuts the connection down). The MH_* magics are unknown in v11.
 */
public final class BadMagicException extends CorruptedFrameException {
    private static final long serialVersionUID = 1L;

    private final int magic;
    private final ProtocolVersion version;

    public BadMagicException(int magic, ProtocolVersion version) {
        super("unknown magic " + Magic.hex(magic) + " in protocol v" + version.version());
        this.magic = magic;
        this.version = version;
    }

    /** Returns the 16-bit magic found on the wire. */
    public int magic() {
        return magic;
    }

    /** Returns the protocol version the connection speaks. */
    public ProtocolVersion version() {
        return version;
    }
}
