// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.fault;

import java.util.Optional;

/**
 * The kinds of {@link Fault}, each with the keyword that names it in the text form of a {@link FaultSchedule} and
 * the shape of its arguments there.
 */
public enum FaultKind {
    /** {@link Fault.Call}: {@code 3 call 1->2 x4}. */
    CALL("call", "A->B xN"),
    /** {@link Fault.Reset}: {@code 5 reset 0-2}. */
    RESET("reset", "A-B"),
    /** {@link Fault.Restart}: {@code 7 restart 1}. */
    RESTART("restart", "N"),
    /** {@link Fault.NodeDown}: {@code 7 down 1}. */
    NODE_DOWN("down", "N"),
    /** {@link Fault.Pause}: {@code 9 pause 200ms}. */
    PAUSE("pause", "Nms"),
    /** {@link Fault.HoldFrames}: {@code 11 hold 0->1 x3}. */
    HOLD_FRAMES("hold", "A->B xN");

    private final String keyword;
    private final String usage;

    FaultKind(String keyword, String usage) {
        this.keyword = keyword;
        this.usage = usage;
    }

    /** Returns the keyword of this kind in the text form, e.g. {@code "call"}. */
    public String keyword() {
        return keyword;
    }

    /** Returns the arguments this kind takes in the text form, e.g. {@code "A->B xN"}. */
    public String usage() {
        return usage;
    }

    /** Returns the number of whitespace-separated arguments after the keyword. */
    public int arity() {
        return usage.split(" ").length;
    }

    /** Returns the kind whose keyword is exactly {@code keyword}, if any. */
    public static Optional<FaultKind> byKeyword(String keyword) {
        for (FaultKind kind : values()) {
            if (kind.keyword.equals(keyword)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    /** Returns the keywords of all kinds, comma separated, for error messages. */
    static String keywords() {
        StringBuilder b = new StringBuilder();
        for (FaultKind kind : values()) {
            b.append(b.length() == 0 ? "" : ", ").append(kind.keyword);
        }
        return b.toString();
    }
}
