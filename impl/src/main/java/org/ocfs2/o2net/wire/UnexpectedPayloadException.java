// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * A frame of a kind that never carries a payload (STATUS, keepalives, MH_REMOVE, MH_REMOVED) with
 * {@code data_len} != 0.
 */
public final class UnexpectedPayloadException extends CorruptedFrameException {
    private static final long serialVersionUID = 1L;

    private final Magic magic;
    private final int dataLen;

    public UnexpectedPayloadException(Magic magic, int dataLen) {
        super(magic + " frame has data_len " + dataLen + ", expected 0");
        this.magic = magic;
        this.dataLen = dataLen;
    }

    /** Returns the frame kind. */
    public Magic magic() {
        return magic;
    }

    /** Returns the {@code data_len} found on the wire. */
    public int dataLen() {
        return dataLen;
    }
}
