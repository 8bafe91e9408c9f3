// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

/**
 * An error a command reports to its user in one line, with the exit code it ends the command with (see
 * {@link ExitCodes}). No stack trace is printed for it: its message says what is wrong and where.
 */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
