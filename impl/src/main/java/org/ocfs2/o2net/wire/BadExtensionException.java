// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * A frame whose {@code pad1}/{@code ext_len} field or extension is wrong for its kind and protocol version: a v11
 * frame with {@code pad1} != 0, a v12 MSG/STATUS/MH_REMOVE/MH_REMOVED with {@code ext_len} != 8, a v12 keepalive with
 * {@code ext_len} != 0, or a v12 {@code msg_seq} of 0.
 */
public final class BadExtensionException extends CorruptedFrameException {
    private static final long serialVersionUID = 1L;

    private final Magic magic;
    private final int extLen;
    private final ProtocolVersion version;

    private BadExtensionException(String message, Magic magic, int extLen, ProtocolVersion version) {
        super(message);
        this.magic = magic;
        this.extLen = extLen;
        this.version = version;
    }

    /** The {@code pad1}/{@code ext_len} field does not match what {@code version} prescribes for {@code magic}. */
    public static BadExtensionException badLength(Magic magic, int extLen, ProtocolVersion version) {
        String message = version == ProtocolVersion.V11
                ? magic + " frame has pad1 " + extLen + " in protocol v11, expected 0"
                : magic + " frame has ext_len " + extLen + " in protocol v" + version.version() + ", expected "
                        + version.extLen(magic);
        return new BadExtensionException(message, magic, extLen, version);
    }

    /** A v12 sequenced frame carries {@code msg_seq} 0; sequence numbers start at 1. */
    public static BadExtensionException zeroMsgSeq(Magic magic, ProtocolVersion version) {
        return new BadExtensionException(
                magic + " frame has msg_seq 0 in protocol v" + version.version() + ", sequence numbers start at 1",
                magic,
                version.extLen(magic),
                version);
    }

    /** Returns the frame kind. */
    public Magic magic() {
        return magic;
    }

    /** Returns the {@code pad1}/{@code ext_len} value found on the wire. */
    public int extLen() {
        return extLen;
    }

    /** Returns the protocol version the connection speaks. */
    public ProtocolVersion version() {
        return version;
    }
}
