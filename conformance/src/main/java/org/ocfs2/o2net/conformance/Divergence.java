// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

/**
 * The implementation cannot take a spec step, or takes another action: thrown by a {@link ProtocolDriver}; the
 * {@link Replayer} reports it as a {@link ConformanceFailure} at that step.
 */
public final class Divergence extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Divergence(String message) {
        super(message);
    }
}
