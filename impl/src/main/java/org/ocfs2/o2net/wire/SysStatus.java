// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

/**
 * The kernel's {@code enum o2net_system_error}: the {@code sys_status} field of a status reply, and its translation
 * to an errno ({@code o2net_sys_err_to_errno}).
 */
public enum SysStatus {
    /** {@code O2NET_ERR_NONE}: the handler ran; its return value is in {@code status}. */
    NONE(0, null),
    /** {@code O2NET_ERR_NO_HNDLR}: the receiver has no handler for (msg_type, key). */
    NO_HNDLR(1, Errno.ENOPROTOOPT),
    /** {@code O2NET_ERR_OVERFLOW}: {@code data_len} exceeds the handler's {@code max_len}; the handler did not run. */
    OVERFLOW(2, Errno.EOVERFLOW),
    /** {@code O2NET_ERR_DIED}: local only, the waiter was completed because the connection went down. */
    DIED(3, Errno.EHOSTDOWN);

    /** {@code O2NET_ERR_MAX}: every valid code is below this bound. */
    public static final int MAX = 4;

    private final int code;
    private final Errno errno;

    SysStatus(int code, Errno errno) {
        this.code = code;
        this.errno = errno;
    }

    /** Returns the value carried in {@code sys_status}. */
    public int code() {
        return code;
    }

    /** Returns the errno this status translates to, or {@code null} for {@link #NONE}. */
    public Errno errno() {
        return errno;
    }

    /** Returns the kernel's translation: {@code 0} for {@link #NONE}, otherwise the negative errno. */
    public int kernelReturn() {
        return errno == null ? 0 : errno.kernelReturn();
    }

    /**
     * Returns the constant for a {@code sys_status} value.
     *
     * @throws IllegalArgumentException if {@code code} is not below {@link #MAX}
     */
    public static SysStatus of(int code) {
        if (code < 0 || code >= MAX) {
            throw new IllegalArgumentException(
                    "sys_status " + Integer.toUnsignedString(code) + " is not below " + "O2NET_ERR_MAX (" + MAX + ")");
        }
        return VALUES[code];
    }

    /** {@link #values()} once: each call of {@code values()} copies the array. */
    private static final SysStatus[] VALUES = values();
}
