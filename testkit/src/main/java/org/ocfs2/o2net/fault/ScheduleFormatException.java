// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.fault;

/**
 * The text given to {@link FaultSchedule#parse(String)} is not a valid schedule. The message starts with the
 * position, {@code "line L"} (or {@code "line L, entry E"} when the line holds several {@code ';'}-separated
 * entries), then says what was expected and what was found.
 */
public final class ScheduleFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int entry;
    private final String detail;

    ScheduleFormatException(int line, int entry, boolean several, String detail) {
        super("line " + line + (several ? ", entry " + entry : "") + ": " + detail);
        this.line = line;
        this.entry = entry;
        this.detail = detail;
    }

    /** Returns the line, counted from 1. */
    public int line() {
        return line;
    }

    /** Returns the {@code ';'}-separated entry within the line, counted from 1. */
    public int entry() {
        return entry;
    }

    /** Returns the message without the position. */
    public String detail() {
        return detail;
    }
}
