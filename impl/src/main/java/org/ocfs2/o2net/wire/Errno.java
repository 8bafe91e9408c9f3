// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

/**
 * The Linux errno values that o2net returns or records, by their kernel names.
 * <p>
 * {@link #code()} is the positive Linux value; the kernel returns {@link #kernelReturn()}, its negation.
 */
public enum Errno {
    /** No such process: o2net is not running ({@code o2net_send_message} before start). */
    ESRCH(3),
    /** Out of memory. */
    ENOMEM(12),
    /** Device or resource busy: the peer already has a socket container (accept side). */
    EBUSY(16),
    /** File exists: a handler for this (msg_type, key) is already registered. */
    EEXIST(17),
    /** Invalid argument: bad handler registration, payload too large, unknown magic. */
    EINVAL(22),
    /** Broken pipe: short write on send. */
    EPIPE(32),
    /** Too many symbolic links; o2net uses it for "the target is this node". */
    ELOOP(40),
    /** Protocol error: the receive path after a handshake mismatch. */
    EPROTO(71),
    /** Value too large: {@code data_len} above the maximum, or above the handler's {@code max_len}. */
    EOVERFLOW(75),
    /** Protocol not available: the receiver has no handler for (msg_type, key). */
    ENOPROTOOPT(92),
    /** Transport endpoint is not connected: the usual persistent error of a peer. */
    ENOTCONN(107),
    /** Host is down: the waiter was completed because the connection died. */
    EHOSTDOWN(112);

    private final int code;

    Errno(int code) {
        this.code = code;
    }

    /** Returns the positive Linux errno value, for example {@code 107} for {@link #ENOTCONN}. */
    public int code() {
        return code;
    }

    /** Returns what a kernel function returns for this error: {@code -code()}. */
    public int kernelReturn() {
        return -code;
    }

    /**
     * Returns the constant whose {@link #code()} is {@code code} or {@code -code}.
     *
     * @throws IllegalArgumentException if no constant has that value
     */
    public static Errno of(int code) {
        int abs = Math.abs(code);
        for (Errno e : values()) {
            if (e.code == abs) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown errno: " + code);
    }
}
