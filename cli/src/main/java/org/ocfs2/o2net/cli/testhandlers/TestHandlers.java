// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli.testhandlers;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.ocfs2.o2net.node.HandlerRegistration;
import org.ocfs2.o2net.node.O2netNode;
import org.ocfs2.o2net.node.Request;

/**
 * The message types and key of the test handler set. All three use {@link #KEY} and accept payloads up to 4072
 * bytes.
 *
 * <table>
 * <caption>Test handlers</caption>
 * <tr><th>--handlers</th><th>msg_type</th><th>status returned</th></tr>
 * <tr><td>echo</td><td>{@value #ECHO}</td><td>the payload read as a decimal integer (ASCII, optional sign), or
 *     -EINVAL (-22) if it is not one</td></tr>
 * <tr><td>counter</td><td>{@value #COUNTER}</td><td>how many COUNTER requests this node has handled, this one
 *     included (from 1 at node start)</td></tr>
 * <tr><td>slow</td><td>{@value #SLOW}</td><td>0, after sleeping the payload's decimal milliseconds (empty: 1000,
 *     at most 600000); -EIO (-5) if the node stops meanwhile</td></tr>
 * </table>
 */
public final class TestHandlers {
    /** The key of every test handler: ASCII "test". */
    public static final int KEY = 0x74657374;
    /** {@code msg_type} of the echo handler. */
    public static final int ECHO = 1;
    /** {@code msg_type} of the counter handler. */
    public static final int COUNTER = 2;
    /** {@code msg_type} of the slow handler. */
    public static final int SLOW = 3;
    /** The status for a payload that is not a decimal integer: -EINVAL. */
    public static final int EINVAL = -22;
    /** The longest sleep the slow handler takes, in milliseconds. */
    public static final long MAX_SLOW_MS = 600_000;

    private TestHandlers() {}

    /** The payload as a decimal integer, or {@code null} if it is not one. */
    static Long decimal(Request r) {
        String s = new String(r.payload(), StandardCharsets.US_ASCII).strip();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static void registerEcho(O2netNode node) {
        node.registerHandler(ECHO, KEY, 4072, r -> {
            Long v = decimal(r);
            return v == null ? EINVAL : v.intValue();
        });
    }

    static void registerCounter(O2netNode node) {
        AtomicLong count = new AtomicLong();
        node.registerHandler(COUNTER, KEY, 4072, r -> (int) count.incrementAndGet());
    }

    static void registerSlow(O2netNode node) {
        // it sleeps: on the executor, not on the receive path
        node.registerHandler(
                SLOW,
                KEY,
                4072,
                r -> {
                    Long ms = r.dataLen() == 0 ? Long.valueOf(1000) : decimal(r);
                    if (ms == null || ms < 0) {
                        return EINVAL;
                    }
                    Thread.sleep(Math.min(ms, MAX_SLOW_MS)); // interrupted when the node closes: answered -EIO
                    return 0;
                },
                HandlerRegistration.Dispatch.EXECUTOR);
    }
}
