// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

/**
 * A received o2net frame's fields, as the protocol core reads them: either an immutable {@link O2netMsg} value or a
 * {@link FrameDecoder}'s reused {@link FrameView}, valid only while the frame is handled. Whoever keeps a frame past
 * its handling keeps {@link #toValue()}.
 */
public interface Frame {
    /** The frame's kind. */
    Magic magic();

    /** {@code msg_type}, {@code 0..65535}. */
    int msgType();

    /** {@code sys_status} ({@code O2NET_ERR_*} in a STATUS). */
    int sysStatus();

    /** {@code status}: the handler's return value in a STATUS. */
    int status();

    /** {@code key}. */
    int key();

    /** {@code msg_num}: the sender's waiter id. */
    int msgNum();

    /** {@code msg_seq} (v12, v13), 0 without the extension. */
    long msgSeq();

    /** {@code ack} (v13: MSG, STATUS, ACK), 0 otherwise. */
    long ack();

    /** {@code data_len}: the payload length. */
    int dataLen();

    /** This frame as an immutable value that may be kept: the frame itself if it is one, else a copy. */
    O2netMsg toValue();
}
