// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What one TLC run established.
 *
 * @param outcome         the verdict
 * @param exitCode        TLC's exit code, or -1 if TLC did not run or was killed at the timeout
 * @param distinctStates  distinct states found, or null if TLC did not print them
 * @param statesGenerated states generated, or null if TLC did not print them
 * @param depth           for a violation the number of states of the counterexample, otherwise the
 *                        depth of the breadth-first search; null if TLC did not print it
 * @param counterexample  the behaviour TLC printed, or null
 * @param detail          for an error, what TLC said about it; empty otherwise
 * @param time            wall time of the run
 * @param log             the file holding TLC's whole output, or null if TLC did not run
 * @param distributed     true if distributed TLC (a TLCServer and its workers) established it: then
 *                        only the verdict and the distinct states compare with a run in one JVM (see
 *                        {@link TlcOutputParser#parseDistributed})
 */
public record TlcResult(
        Outcome outcome,
        int exitCode,
        Long distinctStates,
        Long statesGenerated,
        Integer depth,
        Counterexample counterexample,
        String detail,
        Duration time,
        Path log,
        boolean distributed) {

    /** A result of TLC in one JVM. */
    public TlcResult(
            Outcome outcome,
            int exitCode,
            Long distinctStates,
            Long statesGenerated,
            Integer depth,
            Counterexample counterexample,
            String detail,
            Duration time,
            Path log) {
        this(outcome, exitCode, distinctStates, statesGenerated, depth, counterexample, detail, time, log, false);
    }

    /** The same result, marked as established by distributed TLC. */
    public TlcResult asDistributed() {
        return new TlcResult(
                outcome, exitCode, distinctStates, statesGenerated, depth, counterexample, detail, time, log, true);
    }

    /** A run that established nothing: TLC was not started, or did not finish. */
    public static TlcResult failed(String reason, int exitCode, String detail, Duration time, Path log) {
        return new TlcResult(Outcome.error(reason), exitCode, null, null, null, null, detail, time, log);
    }
}
