// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

/**
 * The exit codes of {@code bin/o2net}, one per kind of outcome, so that a script can tell "the peer's settings
 * disagree" from "nothing listens there" without parsing the output. Listed in every command's {@code --help}.
 */
public final class ExitCodes {
    /** Done: the node stopped cleanly, the call returned a status, the probe found matching settings. */
    public static final int OK = 0;
    /** The operation failed at run time: the call returned an errno, the node could not start. */
    public static final int FAILED = 1;
    /** A bad option or argument; the message names it. */
    public static final int USAGE = 2;
    /** A configuration file cannot be used; the message names the file and line. */
    public static final int CONFIG = 3;
    /** probe: the peer's handshake disagrees with ours; the message names the field, ours and theirs. */
    public static final int MISMATCH = 4;
    /** Cannot connect: to the peer (probe) or to the node's admin socket (call, status, send-tracking). */
    public static final int CONNECT = 5;
    /** probe: the peer broke the protocol (bad bytes, closed the connection, no answer in time). */
    public static final int PROTOCOL = 6;

    /** The {@code exitCodeList} every command shows in {@code --help}. */
    static final String[] HELP = {
        " 0:ok: the node stopped cleanly, the call returned a status, the probe matched",
        " 1:failed: the call returned an errno, the node could not start",
        " 2:usage: a bad option or argument",
        " 3:config: a configuration file cannot be used (file:line in the message)",
        " 4:mismatch: probe: the peer's handshake disagrees (field, ours, theirs)",
        " 5:connect: cannot connect to the peer or to the admin socket",
        " 6:protocol: probe: the peer broke the protocol or did not answer in time"
    };

    private ExitCodes() {}
}
