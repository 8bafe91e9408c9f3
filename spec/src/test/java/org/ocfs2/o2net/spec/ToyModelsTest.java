// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs TLC for real on the toy specs of {@code src/test/resources/toy} (one model per kind of
 * verdict) and checks what the harness makes of its output.
 */
class ToyModelsTest {

    static final Path TOY = Path.of("src/test/resources/toy");

    private static RunSettings settings;
    private static Map<String, Check> checks;

    @BeforeAll
    static void runToys() throws IOException {
        Manifest manifest = Manifest.read(TOY.resolve("models.json"));
        settings = RunSettings.fromSystemProperties(Path.of("target/toy-tlc"));
        try (ModelRunner runner = new ModelRunner(TOY.resolve("tla"), settings)) {
            checks = runner.checkAll(manifest.models()).stream()
                    .collect(Collectors.toMap(c -> c.model().name(), Function.identity()));
        }
    }

    private static Check check(String name) {
        return checks.get(name);
    }

    private static List<String> actions(Counterexample cex) {
        return cex.states().stream().map(Counterexample.State::action).toList();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ToyPass",
                "ToyInvariant",
                "ToyInit",
                "ToyAction",
                "ToyRefines",
                "ToyDeadlock",
                "ToyLong",
                "ToyLasso",
                "ToyStutter"
            })
    void verdictAndCountsMatchTheManifest(String name) {
        Check c = check(name);
        assertTrue(c.ok(), () -> Report.explain(c));
    }

    @Test
    void passHasCountsAndSearchDepth() {
        TlcResult r = check("ToyPass").result();
        assertEquals(Outcome.PASS, r.outcome());
        assertEquals(0, r.exitCode());
        assertEquals(18L, r.distinctStates());
        assertEquals(37L, r.statesGenerated());
        assertEquals(6, r.depth());
        assertNull(r.counterexample());
        assertEquals(List.of("TypeOK", "Bounded"), check("ToyPass").cfg().invariants());
    }

    @Test
    void invariantViolationHasItsBehaviour() {
        TlcResult r = check("ToyInvariant").result();
        assertEquals(Outcome.invariant("BelowMax"), r.outcome());
        assertEquals(12, r.exitCode());
        Counterexample cex = r.counterexample();
        assertEquals(List.of("Initial predicate", "Step", "Step"), actions(cex));
        assertEquals(
                Map.of("last", "p1", "count", "(p1 :> 2 @@ p2 :> 0)"),
                cex.states().get(2).values());
        assertEquals(3, r.depth());
    }

    @Test
    void initialStateViolationIsATraceOfOneState() {
        TlcResult r = check("ToyInit").result();
        assertEquals(Outcome.invariant("Started"), r.outcome());
        assertEquals(
                Map.of("last", "\"none\"", "count", "(p1 :> 0 @@ p2 :> 0)"),
                r.counterexample().states().get(0).values());
        assertNull(r.distinctStates());
    }

    @Test
    void actionPropertyIsNamedByTlc() {
        TlcResult r = check("ToyAction").result();
        assertEquals(Outcome.property("Monotone"), r.outcome());
        assertEquals(13, r.exitCode());
        assertEquals("Reset", actions(r.counterexample()).get(3));
    }

    @Test
    void refinementViolationGoesToTheOnlyProperty() {
        // TLC names the violated action of ToyTotal by its source location, not by RefinesTight.
        assertEquals(
                Outcome.property("RefinesTight"), check("ToyRefines").result().outcome());
    }

    @Test
    void deadlockHasItsBehaviour() {
        TlcResult r = check("ToyDeadlock").result();
        assertEquals(Outcome.DEADLOCK, r.outcome());
        assertEquals(11, r.exitCode());
        assertEquals(
                Map.of("last", "p2", "count", "(p1 :> 2 @@ p2 :> 2)"),
                r.counterexample().states().get(4).values());
    }

    @Test
    void lassoLoopsBack() {
        Counterexample cex = check("ToyLasso").result().counterexample();
        assertEquals(new Counterexample.Loop(4, "Step"), cex.loop());
        assertFalse(cex.stutters());
        assertEquals("Reset", actions(cex).get(5));
        assertTrue(cex.format().endsWith("  -> back to state 4 by Step: states 4..6 repeat for ever\n"), cex.format());
    }

    @Test
    void stutteringEndIsShown() {
        Counterexample cex = check("ToyStutter").result().counterexample();
        assertTrue(cex.stutters());
        assertNull(cex.loop());
        assertEquals(5, cex.length());
        assertTrue(cex.format().endsWith("  6: stuttering: state 5 repeats for ever\n"), cex.format());
    }

    @Test
    void longValuesAreKeptWhole() {
        Counterexample cex = check("ToyLong").result().counterexample();
        assertEquals("Send", cex.states().get(3).action());
        assertEquals("""
                { [kind |-> "data", seq |-> 0, payload |-> <<"abcdefghij", "klmnopqrst">>],
                  [kind |-> "data", seq |-> 1, payload |-> <<"abcdefghij", "klmnopqrst">>],
                  [kind |-> "data", seq |-> 2, payload |-> <<"abcdefghij", "klmnopqrst">>] }""", cex.states().get(3).values().get("msgs"));
        assertEquals("3", cex.states().get(3).values().get("sent"));
    }

    @Test
    void temporalViolationAmongSeveralPropertiesIsAnError() {
        Check c = check("ToyTwoProperties");
        assertEquals(Outcome.Kind.ERROR, c.result().outcome().kind());
        assertTrue(
                c.result().outcome().name().contains("[SomeReset, EachResets]"),
                c.result().outcome().name());
        assertFalse(c.ok());
    }

    @Test
    void parseErrorIsAnErrorWithSanysMessage() {
        Check c = check("ToyParseError");
        TlcResult r = c.result();
        assertEquals(Outcome.error("parse or semantic error in the spec (exit code 150)"), r.outcome());
        assertTrue(r.detail().contains("Unknown operator: `Undefined'."), r.detail());
        assertEquals(
                List.of(
                        "outcome: expected pass, got error: parse or semantic error in the spec (exit code 150)",
                        "distinctStates: expected 1, got none",
                        "statesGenerated: expected 1, got none",
                        "depth: expected 1, got none"),
                c.differences());
    }

    @Test
    void mismatchSaysWhatDiffered() {
        Check pass = check("ToyPass");
        ModelSpec m = pass.model();
        ModelSpec wrong = new ModelSpec(
                m.name(),
                m.module(),
                m.config(),
                m.set(),
                Outcome.invariant("TypeOK"),
                17L,
                37L,
                7,
                m.tlcArgs(),
                m.note());
        assertEquals(
                List.of(
                        "outcome: expected invariant:TypeOK, got pass",
                        "distinctStates: expected 17, got 18",
                        "depth: expected 7, got 6"),
                Check.of(wrong, pass.cfg(), pass.result()).differences());
    }

    /**
     * ToyForever never ends, so a check that returns at all was ended by the runner: its outcome says the timeout
     * ended it, it lasted at least the timeout (the runner did not give up early), TLC has no exit code (it was
     * killed), and no TLC process is left. Whether the kill comes promptly is not timed (a loaded machine may be
     * slow to start or reap TLC); the outer limit only turns a runner that never returns into a failure.
     */
    @Test
    void timeoutKillsTlcAndIsAnError() {
        ModelSpec forever = new ModelSpec(
                "ToyForever", "ToyForever", "ToyForever.cfg", "deep", Outcome.PASS, null, null, null, List.of(), null);
        Duration timeout = Duration.ofSeconds(2);
        TlcResult r = assertTimeoutPreemptively(Duration.ofMinutes(5), () -> {
            try (ModelRunner runner = new ModelRunner(TOY.resolve("tla"), settings.withTimeout(timeout))) {
                return runner.check(forever).result();
            }
        });
        assertEquals(Outcome.error("timeout: no verdict after 2 s, TLC killed"), r.outcome());
        assertTrue(r.time().compareTo(timeout) >= 0, r.time().toString());
        assertEquals(-1, r.exitCode());
        assertEquals(
                0,
                ProcessHandle.current()
                        .descendants()
                        .filter(ProcessHandle::isAlive)
                        .count());
    }

    @Test
    void unreadableCfgIsAnErrorWithoutRunningTlc() {
        ModelSpec missing =
                new ModelSpec("Missing", "Toy", "Missing.cfg", "ci", Outcome.PASS, null, null, null, List.of(), null);
        try (ModelRunner runner = new ModelRunner(TOY.resolve("tla"), settings)) {
            Check c = runner.check(missing);
            assertTrue(
                    c.result().outcome().name().startsWith("cannot read the cfg file"),
                    c.result().outcome().name());
            assertNull(c.result().log());
        }
    }

    @Test
    void reportRowsShowVerdicts() {
        String table = Report.table(List.of(check("ToyPass"), check("ToyParseError")));
        List<String> lines = table.lines().toList();
        assertTrue(
                lines.get(0).matches("model +set +expected +outcome +distinct +generated +depth/cex +time +verdict"),
                lines.get(0));
        assertTrue(lines.get(1).matches("ToyPass +ci +pass +pass +18 +37 +6 +\\d+\\.\\d s +OK"), lines.get(1));
        assertTrue(
                lines.get(2).matches("ToyParseError +deep +pass +error +- +- +- +\\d+\\.\\d s +MISMATCH"),
                lines.get(2));
        String full = Report.full(List.of(check("ToyPass"), check("ToyParseError")));
        assertTrue(full.endsWith("models: 1 passed, 1 failed\n"), full);
    }
}
