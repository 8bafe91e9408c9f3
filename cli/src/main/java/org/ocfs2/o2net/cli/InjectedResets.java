// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.ocfs2.o2net.netty.FaultInjector;
import org.ocfs2.o2net.wire.Magic;
import org.ocfs2.o2net.wire.O2netMsg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opt-in fault injection for {@code o2net node --fault-injection}: resets a connection (a real RST: SO_LINGER 0, then
 * close; every frame in flight is lost) at a random MSG or STATUS frame, each with probability {@code perMille /
 * 1000}, inbound or outbound, so that a request is lost before its handler ran or a status after it. Keepalives pass.
 * The rate starts at 0 and is set through the admin socket ({@code faults {"resetPerMille":N}}), so a driver such as
 * {@code o2net demo} turns faults on and off while the node runs. Thread-safe: {@link #inspect} runs on every
 * connection's event loop.
 */
final class InjectedResets implements FaultInjector {
    private static final Logger logger = LoggerFactory.getLogger(InjectedResets.class);

    private final Random random;
    private volatile int perMille;
    private final AtomicLong resets = new AtomicLong();

    InjectedResets(long seed) {
        this.random = new Random(seed);
    }

    /** Sets the probability, in thousandths, that a MSG or STATUS frame resets its connection (0 to 1000). */
    void perMille(int p) {
        if (p < 0 || p > 1000) {
            throw new CliException(ExitCodes.USAGE, "faults: resetPerMille must be 0..1000, got " + p);
        }
        perMille = p;
    }

    int perMille() {
        return perMille;
    }

    /** How many connections this injector has reset. */
    long resets() {
        return resets.get();
    }

    @Override
    public Verdict inspect(int node, int peer, Direction direction, O2netMsg frame) {
        int p = perMille;
        if (p == 0 || (frame.magic() != Magic.MSG && frame.magic() != Magic.STATUS)) {
            return Verdict.PASS;
        }
        if (random.nextInt(1000) >= p) {
            return Verdict.PASS;
        }
        resets.incrementAndGet();
        logger.info(
                "o2net: fault injection: node {} resets its connection to node {} at {} {} (a RST; frames in flight"
                        + " are lost)",
                node,
                peer,
                direction == Direction.INBOUND ? "received" : "outgoing",
                frame.magic());
        return Verdict.RESET;
    }
}
