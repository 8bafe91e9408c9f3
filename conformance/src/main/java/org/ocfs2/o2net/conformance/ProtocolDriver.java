// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

/**
 * An implementation under test, driven one spec step at a time. A driver is made for one trace and is given its
 * steps in order, {@code Init} first; after each step the {@link Replayer} compares {@link #state()} with the spec's
 * state. {@link CoreDriver} drives the protocol cores directly; a driver over real connections implements the same
 * interface.
 */
public interface ProtocolDriver {

    /**
     * Takes {@code step} on the implementation: makes the implementation do what the step's action does, with its
     * parameters.
     *
     * @throws Divergence if the implementation cannot take the step (for example the frame the action receives is
     *                    not the next one in flight) or takes another action than the spec's
     */
    void step(Step step);

    /** The implementation's state now, through the abstraction function ({@link Abstraction}). */
    AbstractState state();
}
