// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

import io.netty.handler.codec.TooLongFrameException;

/**
 * A frame header whose {@code data_len} exceeds {@link O2netMsg#MAX_PAYLOAD_BYTES} (the kernel returns
 * {@code -EOVERFLOW} and shuts the connection down). Detected from the header alone, before the payload is read, and
 * checked before the magic, as the kernel does.
 */
public final class PayloadTooLongException extends TooLongFrameException {
    private static final long serialVersionUID = 1L;

    private final int magic;
    private final int dataLen;

    public PayloadTooLongException(int magic, int dataLen) {
        super("frame with magic " + Magic.hex(magic) + " has data_len " + dataLen
                + ", more than O2NET_MAX_PAYLOAD_BYTES (" + O2netMsg.MAX_PAYLOAD_BYTES + ")");
        this.magic = magic;
        this.dataLen = dataLen;
    }

    /** Returns the 16-bit magic found on the wire (not necessarily a known one). */
    public int magic() {
        return magic;
    }

    /** Returns the {@code data_len} found on the wire. */
    public int dataLen() {
        return dataLen;
    }
}
