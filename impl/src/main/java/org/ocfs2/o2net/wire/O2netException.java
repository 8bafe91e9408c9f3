// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

import static java.util.Objects.requireNonNull;

/**
 * An o2net failure that the kernel would report as a negative errno.
 * <p>
 * Unchecked, like Netty's own exceptions, so that it can fail a future or cross a handler boundary without wrapping.
 * Callers branch on {@link #errno()}, never on the message.
 */
public class O2netException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Errno errno;

    public O2netException(Errno errno, String message) {
        super(requireNonNull(errno, "errno").name() + ": " + message);
        this.errno = errno;
    }

    public O2netException(Errno errno, String message, Throwable cause) {
        super(requireNonNull(errno, "errno").name() + ": " + message, cause);
        this.errno = errno;
    }

    /** Returns the error, never {@code null}. */
    public Errno errno() {
        return errno;
    }

    /** Returns what the kernel would return: {@code -errno().code()}. */
    public int kernelReturn() {
        return errno.kernelReturn();
    }
}
