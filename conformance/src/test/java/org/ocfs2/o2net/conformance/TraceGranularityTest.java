// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The spec's Connect, Reset and Restart are one step for both nodes; the two cores take their parts at different
 * moments, and each side may act in between. Each log here is the smallest that shows one such case
 * ({@code spec/tla/TraceReliableO2net.md}, "Granularity"); the trace spec must accept them all, each by the one
 * linearisation that fits it. Checked in one TLC run.
 */
class TraceGranularityTest {
    private record Case(String what, List<LogEvent> log) {}

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // R's handler finishes after S's core connected and before R's did: R sends no status (R is not
        // connected), so the spec's Connect must be R's connect event; S gets the status from the duplicate.
        cases.add(new Case(
                "handler between the connects",
                new LogScript()
                        .connect()
                        .send("c0", 1)
                        .toR()
                        .reset()
                        .connectS()
                        .handler()
                        .connectR()
                        .toR()
                        .toS()
                        .toR()
                        .toS()
                        .events()));
        // S's core connects to a new incarnation of R (a restart heartbeat has not reported yet): it fails the
        // call held for the old one, whose caller calls again at once, before R's core connected: the spec's
        // Connect (FailCalls) must be S's connect event.
        LogScript b = new LogScript().connect().send("c0", 1);
        cases.add(new Case(
                "calls failed at S's connect, called again",
                b.restartR()
                        .connectS()
                        .send("c0", 2)
                        .connectR()
                        .toR()
                        .handler()
                        .toS()
                        .toR()
                        .toS()
                        .events()));
        // The same with R's core first and S's core taking a call while disconnected (it holds it, UNSENT, until
        // its connect, which fails it too): the spec's Connect is S's event again, R's a logged prefix.
        LogScript c = new LogScript().connect().send("c0", 1);
        cases.add(new Case(
                "R first, S called while disconnected",
                c.restartR()
                        .connectR()
                        .send("c1", 2)
                        .connectS()
                        .send("c1", 3)
                        .toR()
                        .handler()
                        .toS()
                        .toR()
                        .toS()
                        .events()));
        // R's new incarnation connects on a connection S has already dropped, its heartbeat having declared R's
        // old incarnation dead: no spec Connect at all (the spec's needs S's heartbeat to see R alive).
        LogScript d = new LogScript()
                .connect()
                .send("c0", 1)
                .toR()
                .handler()
                .toS()
                .toR()
                .toS();
        long r1 = d.incR();
        cases.add(new Case(
                "half connection",
                d.restartR()
                        .downAtS(r1)
                        .connectR()
                        .resetR()
                        .upAtS()
                        .connect()
                        .send("c0", 2)
                        .toR()
                        .handler()
                        .toS()
                        .toR()
                        .toS()
                        .events()));
        // S crashes while its handshake is in flight: R's core connects with an incarnation of S that is gone.
        LogScript e = new LogScript()
                .connect()
                .send("c0", 1)
                .toR()
                .handler()
                .toS()
                .toR()
                .toS()
                .reset();
        long s1 = e.incS();
        cases.add(new Case(
                "connect to a crashed peer",
                e.restartS()
                        .connectR(s1)
                        .resetR()
                        .heartbeatAtR(s1)
                        .connect()
                        .send("c0", 2)
                        .toR()
                        .handler()
                        .toS()
                        .toR()
                        .toS()
                        .events()));
        // S's core resets first; R still receives the MSG written before, runs the handler and writes the status
        // into the dying connection: the spec's Reset is R's reset.
        cases.add(new Case(
                "receive after the peer's reset",
                new LogScript()
                        .connect()
                        .send("c0", 1)
                        .resetS()
                        .toR()
                        .handler()
                        .resetR()
                        .connect()
                        .toR()
                        .toS()
                        .toR()
                        .toS()
                        .events()));
        // R crashes while S's core still holds the connection and reads R's last status: the spec's Restart(R)
        // waits for S's reset.
        LogScript f = new LogScript().connect().send("c0", 1).toR().handler();
        cases.add(new Case(
                "restart while the peer still reads",
                f.restartRKeepingFlight().toS().resetS().events()));
        // S crashes after its core connected and wrote a MSG, before R's core read S's handshake; R's core then
        // connects
        // with S's old incarnation and reads the MSG: the spec's Restart(S) is R's reset.
        cases.add(new Case("frame sent before S's restart, received after it", LogScript.crashWithFrameInFlight()));
        return cases;
    }

    @Test
    void everyLinearisationIsFound() throws InterruptedException {
        List<LogProjection.Projected> logs = new ArrayList<>();
        for (Case c : cases()) {
            logs.add(LogProjection.project(c.what(), c.log(), LogScript.S, LogScript.R));
        }
        TraceCheck.Result r =
                TraceCheck.check(logs, Generated.TLA, TraceNegativeTest.WORK, "granularity", Duration.ofMinutes(3));
        assertTrue(r.allAccepted(), r::explain);
        System.out.printf(
                "%ntrace validation, granularity: %d minimal logs accepted (%.1f s)%n",
                logs.size(), r.tlc().time().toMillis() / 1e3);
    }
}
