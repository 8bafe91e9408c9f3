// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.config;

import java.io.IOException;

/**
 * A configuration file that cannot be used. The message starts with {@code "source:line: "} (or {@code "source: "}
 * when the problem is not on one line).
 */
public final class ConfigParseException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;

    /**
     * @param source the file name shown in the message
     * @param line   1-based line number, or 0 if the error concerns the whole file
     */
    public ConfigParseException(String source, int line, String message) {
        super(source + (line > 0 ? ":" + line : "") + ": " + message);
        this.source = source;
        this.line = line;
    }

    public String source() {
        return source;
    }

    /** Returns the 1-based line number, or 0 if the error concerns the whole file. */
    public int line() {
        return line;
    }
}
