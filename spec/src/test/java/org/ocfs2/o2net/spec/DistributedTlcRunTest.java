// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Distributed TLC for real: a TLCServer JVM and two TLCWorker JVMs per model, on 127.0.0.1, on a CI
 * model of {@code models.json} and on toy models, compared with what a run in one JVM establishes.
 */
class DistributedTlcRunTest {

    private static final RunSettings.Distributed TWO_LOCAL_WORKERS = new RunSettings.Distributed(2, "127.0.0.1", 0);
    private static RunSettings settings;

    @BeforeAll
    static void settings() {
        settings = RunSettings.fromSystemProperties(Path.of("target/tlc-distributed"))
                .withHeap("1g")
                .withDistributed(TWO_LOCAL_WORKERS);
    }

    private static Check check(Path tlaDir, ModelSpec model, RunSettings s) {
        try (ModelRunner runner = new ModelRunner(tlaDir, s)) {
            return runner.check(model);
        }
    }

    private static ModelSpec toy(String name, Outcome expect, Long distinct) {
        return new ModelSpec(name, "Toy", name + ".cfg", "ci", expect, distinct, null, null, List.of(), null);
    }

    @Test
    void ciModelHasTheRecordedVerdictAndDistinctStates() throws IOException {
        ModelSpec model = Manifest.read(Path.of("models.json"))
                .select("ci", List.of("MCAckWindow2"))
                .get(0);
        Check c = check(Path.of("tla"), model, settings);
        TlcResult r = c.result();
        assertTrue(r.distributed(), "ran on distributed TLC");
        assertTrue(c.ok(), () -> Report.explain(c));
        assertEquals(Outcome.PASS, r.outcome());
        assertEquals(model.distinctStates(), r.distinctStates());
        // The server's own words: its workers registered (at least one; a late one may find it done).
        String log = Files.readString(r.log());
        assertTrue(log.contains("TLC Server Version 2.18"), log);
        assertTrue(log.contains("Registration for worker at rmi://"), log);
        assertTrue(Files.exists(r.log().resolveSibling("MCAckWindow2.worker1.log")));
        assertTrue(Files.exists(r.log().resolveSibling("MCAckWindow2.worker2.log")));
    }

    @Test
    void theServersNullPointerRaceIsRecognisedAndNothingElse() {
        String race = "TLC threw an unexpected exception.\nThis was probably caused by an error in the spec or model.\n"
                + "The exception was a java.lang.NullPointerException\n: Cannot read the array length because"
                + " \"this.states\" is null";
        assertTrue(DistributedTlcRun.SERVER_RACE.matcher(race).find());
        assertFalse(DistributedTlcRun.SERVER_RACE
                .matcher("The exception was a java.lang.NullPointerException\n: Cannot invoke \"x\" because y is null")
                .find());
    }

    @Test
    void deadlockCheckTurnedOffInTheCfgStaysOff() {
        // Distributed TLC ignores CHECK_DEADLOCK FALSE; the harness passes -deadlock for it.
        Path tla = ToyModelsTest.TOY.resolve("tla");
        ModelSpec model = toy("ToyNoDeadlockCheck", Outcome.PASS, null);
        TlcResult oneJvm = check(tla, model, settings.withDistributed(null)).result();
        assertEquals(Outcome.PASS, oneJvm.outcome(), oneJvm.detail());
        TlcResult dist = check(tla, model, settings).result();
        assertTrue(dist.distributed());
        assertEquals(Outcome.PASS, dist.outcome(), dist.detail());
        assertEquals(oneJvm.distinctStates(), dist.distinctStates());
    }

    @Test
    void violationIsAnErrorThatSendsToARunInOneJvm() {
        Check c = check(
                ToyModelsTest.TOY.resolve("tla"), toy("ToyInvariant", Outcome.invariant("BelowMax"), 4L), settings);
        TlcResult r = c.result();
        assertTrue(r.distributed());
        assertFalse(c.ok());
        assertEquals(Outcome.Kind.ERROR, r.outcome().kind());
        assertTrue(
                r.outcome().toString().contains("run this model without --distributed"),
                r.outcome().toString());
    }

    @Test
    void livenessModelRunsInOneJvm() {
        // Distributed TLC would report "No error has been found" without checking SomeReset.
        Check c = check(
                ToyModelsTest.TOY.resolve("tla"), toy("ToyStutter", Outcome.property("SomeReset"), 18L), settings);
        assertFalse(c.result().distributed());
        assertEquals(Outcome.property("SomeReset"), c.result().outcome(), () -> Report.explain(c));
    }

    @Test
    void rmiListensOnTheGivenAddressOnly() throws Exception {
        Path classes = Path.of(RmiBind.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        Path testClasses = Path.of(BoundAddress.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Do2net.rmi.bind=127.0.0.1",
                        "-cp",
                        classes + java.io.File.pathSeparator + testClasses,
                        RmiBind.class.getName(),
                        BoundAddress.class.getName())
                .redirectErrorStream(true)
                .start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM ended");
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.exitValue(), out);
        assertEquals("/127.0.0.1", out);
    }

    /** Prints the address an RMI server socket of this JVM listens on. */
    public static final class BoundAddress {
        public static void main(String[] args) throws IOException {
            try (var s = java.rmi.server.RMISocketFactory.getSocketFactory().createServerSocket(0)) {
                System.out.println(s.getInetAddress());
            }
        }
    }
}
