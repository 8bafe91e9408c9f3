// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

/**
 * The time seam: where an {@link O2netNode} reads the time it passes to the protocol core, stamps on send tracking
 * entries and trace events, and measures handler run times. Timers (keepalive, idle timeout, reconnect delay) are not
 * read from here: they run on the event loop's scheduler.
 */
@FunctionalInterface
public interface Clock {
    /** {@link System#nanoTime()}. */
    Clock SYSTEM = System::nanoTime;

    /** Returns a monotonic time in nanoseconds; only differences are meaningful. */
    long nanoTime();
}
