// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The parser on output that the toy runs of {@link ToyModelsTest} do not produce: nested messages,
 * exit codes that contradict the output, and the label and value forms TLC uses.
 */
class TlcOutputParserTest {

    private static final CfgFile NOTHING = new CfgFile(List.of(), List.of(), true);

    /** TLC 2.18 on a cfg file with an unknown keyword (exit code 255), as printed. */
    private static final String CFG_EXCEPTION = """
            @!@!@STARTMSG 2262:0 @!@!@
            TLC2 Version 2.18 of 20 March 2023
            @!@!@ENDMSG 2262 @!@!@
            @!@!@STARTMSG 1000:1 @!@!@
            TLC threw an unexpected exception.
            This was probably caused by an error in the spec or model.
            See the User Output or TLC Console for clues to what happened.
            The exception was a tlc2.tool.ConfigFileException
            : @!@!@STARTMSG 5006:0 @!@!@
            TLC found an error in the configuration file at line 2
            It was expecting a keyword, but did not find it.
            @!@!@ENDMSG 5006 @!@!@
            @!@!@ENDMSG 1000 @!@!@
            @!@!@STARTMSG 2186:0 @!@!@
            Finished in 353ms at (2026-11-24 01:32:46)
            @!@!@ENDMSG 2186 @!@!@
            """;

    private static TlcResult parse(String output, int exitCode, CfgFile cfg) {
        return TlcOutputParser.parse(output, exitCode, cfg, Duration.ZERO, null);
    }

    @Test
    void nestedMessagesAreSplitInTheOrderTheyStart() {
        StringBuilder untagged = new StringBuilder();
        List<TlcOutputParser.Message> messages = TlcOutputParser.messages(CFG_EXCEPTION, untagged);
        assertEquals(
                List.of(2262, 1000, 5006, 2186),
                messages.stream().map(TlcOutputParser.Message::code).toList());
        assertTrue(
                messages.get(1).text().endsWith("ConfigFileException\n: "),
                messages.get(1).text());
        assertTrue(messages.get(2).text().startsWith("TLC found an error in the configuration file at line 2"));
        assertEquals("", untagged.toString());
    }

    @Test
    void unexpectedExceptionIsAnErrorWithTlcsWords() {
        TlcResult r = parse(CFG_EXCEPTION, 255, NOTHING);
        assertEquals(Outcome.error("TLC failed (exit code 255)"), r.outcome());
        assertTrue(r.detail().contains("The exception was a tlc2.tool.ConfigFileException"), r.detail());
    }

    @Test
    void exitCodeWithoutItsMessageIsAnError() {
        String success = "@!@!@STARTMSG 2193:0 @!@!@\nModel checking completed. No error has been found.\n"
                + "@!@!@ENDMSG 2193 @!@!@\n";
        assertEquals(Outcome.PASS, parse(success, 0, NOTHING).outcome());
        assertEquals(
                Outcome.error("the output does not show the violation (exit code 12)"),
                parse(success, 12, NOTHING).outcome());
        assertEquals(
                Outcome.error("no verdict in the output (exit code 0)"),
                parse("", 0, NOTHING).outcome());
        assertEquals(
                Outcome.error("an Assert failed (exit code 14)"),
                parse("", 14, NOTHING).outcome());
        assertEquals(
                Outcome.error("TLC was killed by signal 15 (exit code 143)"),
                parse("", 143, NOTHING).outcome());
    }

    @Test
    void alwaysPropertyReportedAsInvariantGoesToTheOnlyProperty() {
        // TLC checks PROPERTY AlwaysSmall (== []Small) as an invariant and reports "Invariant Small".
        String output = "@!@!@STARTMSG 2110:1 @!@!@\nInvariant Small is violated.\n@!@!@ENDMSG 2110 @!@!@\n";
        CfgFile cfg = new CfgFile(List.of("TypeOK"), List.of("AlwaysSmall"), true);
        assertEquals(Outcome.property("AlwaysSmall"), parse(output, 12, cfg).outcome());
        CfgFile named = new CfgFile(List.of("TypeOK", "Small"), List.of("AlwaysSmall"), true);
        assertEquals(Outcome.invariant("Small"), parse(output, 12, named).outcome());
    }

    @Test
    void statsWithThousandsSeparators() {
        String output = """
                @!@!@STARTMSG 2193:0 @!@!@
                Model checking completed. No error has been found.
                @!@!@ENDMSG 2193 @!@!@
                @!@!@STARTMSG 2199:0 @!@!@
                1,234,567 states generated, 345,678 distinct states found, 0 states left on queue.
                @!@!@ENDMSG 2199 @!@!@
                @!@!@STARTMSG 2194:0 @!@!@
                The depth of the complete state graph search is 1,017.
                @!@!@ENDMSG 2194 @!@!@
                """;
        TlcResult r = parse(output, 0, NOTHING);
        assertEquals(1_234_567L, r.statesGenerated());
        assertEquals(345_678L, r.distinctStates());
        assertEquals(1017, r.depth());
    }

    @Test
    void actionNamesKeepTheirParameters() {
        assertEquals(
                "Send(c1, 2)",
                Counterexample.actionName("<Send(c1, 2) line 10, col 1 to line 12, col 20 of module MCX>"));
        assertEquals("Step", Counterexample.actionName("<Step line 15, col 12 to line 17, col 23 of module Toy>"));
        assertEquals("Initial predicate", Counterexample.actionName("<Initial predicate>"));
    }

    @Test
    void singleVariableStateHasNoConjunction() {
        assertEquals(Map.of("x", "0"), Counterexample.parseValues("x = 0\n\n"));
        assertEquals(Map.of("x", "{ 1,\n  2 }"), Counterexample.parseValues("x = { 1,\n  2 }\n"));
    }

    /** The end of TLC 2.18's TLCServer -tool output on MCAckWindow2 with two workers, as printed. */
    private static final String DISTRIBUTED_PASS = """
            TLC2 TLC Server Version 2.18 of 20 March 2023
            @!@!@STARTMSG 7000:0 @!@!@
            TLC server at vm is ready (2026-12-04 03:45:31)
            @!@!@ENDMSG 7000 @!@!@
            @!@!@STARTMSG 7001:0 @!@!@
            Registration for worker at rmi://localhost:0/0 completed (2026-12-04 03:45:36)
            @!@!@ENDMSG 7001 @!@!@
            @!@!@STARTMSG 7003:0 @!@!@
            Worker: rmi://localhost:0/0 Sent: 2128 Rcvd: 2285 CacheRatio: 0.76 (2026-12-04 03:45:42)
            @!@!@ENDMSG 7003 @!@!@
            @!@!@STARTMSG 2193:0 @!@!@
            Model checking completed. No error has been found.
            @!@!@ENDMSG 2193 @!@!@
            @!@!@STARTMSG 2200:0 @!@!@
            Progress(25) at 2026-12-04 03:45:42: 10,545 states generated (0 s/min), 2,973 distinct states found \
            (0 ds/min), 0 states left on queue.
            @!@!@ENDMSG 2200 @!@!@
            @!@!@STARTMSG 2199:0 @!@!@
            10545 states generated, 2973 distinct states found, 0 states left on queue.
            @!@!@ENDMSG 2199 @!@!@
            @!@!@STARTMSG 2194:0 @!@!@
            The depth of the complete state graph search is 25.
            @!@!@ENDMSG 2194 @!@!@
            @!@!@STARTMSG 2211:0 @!@!@
            vm, work completed. Thank you!
            @!@!@ENDMSG 2211 @!@!@
            """;

    /**
     * TLCServer on MCAckHighest (ExactlyOnceInv is violated), values cut to one variable: no message
     * names the invariant, the behaviour is the last step only, its first state labelled initial.
     */
    private static final String DISTRIBUTED_VIOLATION = """
            @!@!@STARTMSG 2121:1 @!@!@
            The behavior up to this point is:
            @!@!@ENDMSG 2121 @!@!@
            @!@!@STARTMSG 2217:4 @!@!@
            1: <Initial predicate>
            /\\ runs = (<<c1, 1>> :> 1 @@ <<c2, 1>> :> 1)

            @!@!@ENDMSG 2217 @!@!@
            @!@!@STARTMSG 2217:4 @!@!@
            2: <RunHandler line 390, col 5 to line 401, col 35 of module AckO2net>
            /\\ runs = (<<c1, 1>> :> 2 @@ <<c2, 1>> :> 1)

            @!@!@ENDMSG 2217 @!@!@
            @!@!@STARTMSG 2199:0 @!@!@
            618 states generated, 214 distinct states found, 0 states left on queue.
            @!@!@ENDMSG 2199 @!@!@
            @!@!@STARTMSG 2211:0 @!@!@
            vm, work completed. Thank you!
            @!@!@ENDMSG 2211 @!@!@
            """;

    /** TLCServer whose registry port is taken: it gives up, and exits with 0. */
    private static final String DISTRIBUTED_PORT_TAKEN = """
            @!@!@STARTMSG 1000:1 @!@!@
            TLC threw an unexpected exception.
            This was probably caused by an error in the spec or model.
            See the User Output or TLC Console for clues to what happened.
            The exception was a java.rmi.server.ExportException
            : Port already in use: 41236; nested exception is:\s
            	java.net.BindException: Address already in use
            @!@!@ENDMSG 1000 @!@!@
            @!@!@STARTMSG 2211:0 @!@!@
            vm, work completed. Thank you!
            @!@!@ENDMSG 2211 @!@!@
            """;

    private static TlcResult parseDistributed(String output) {
        return TlcOutputParser.parseDistributed(output, 0, NOTHING, Duration.ZERO, null);
    }

    @Test
    void distributedPassKeepsItsFiguresMarkedAsNotComparable() {
        TlcResult r = parseDistributed(DISTRIBUTED_PASS);
        assertEquals(Outcome.PASS, r.outcome());
        assertEquals(2973L, r.distinctStates());
        assertEquals(10545L, r.statesGenerated());
        assertEquals(25, r.depth());
        assertTrue(r.distributed());
        // Against the entry of a run in one JVM (7,638 generated, depth 27): only the distinct states count.
        ModelSpec entry = new ModelSpec(
                "MCAckWindow2",
                "MCAckO2net",
                "MCAckWindow2.cfg",
                "ci",
                Outcome.PASS,
                2973L,
                7638L,
                27,
                List.of(),
                null);
        assertTrue(Check.of(entry, NOTHING, r).ok());
        ModelSpec other = new ModelSpec(
                "MCAckWindow2",
                "MCAckO2net",
                "MCAckWindow2.cfg",
                "ci",
                Outcome.PASS,
                2974L,
                7638L,
                27,
                List.of(),
                null);
        assertEquals(
                List.of("distinctStates: expected 2974, got 2973"),
                Check.of(other, NOTHING, r).differences());
    }

    @Test
    void distributedViolationIsAnErrorNotAVerdict() {
        TlcResult r = parseDistributed(DISTRIBUTED_VIOLATION);
        assertEquals(Outcome.Kind.ERROR, r.outcome().kind());
        assertTrue(
                r.outcome().toString().contains("without --distributed"),
                r.outcome().toString());
        assertTrue(r.detail().contains("2 state(s)"), r.detail());
        assertEquals(214L, r.distinctStates());
        // The same words from TLC in one JVM with exit code 0 would be no verdict at all.
        assertEquals(
                Outcome.Kind.ERROR,
                parse(DISTRIBUTED_VIOLATION, 0, NOTHING).outcome().kind());
    }

    @Test
    void distributedServerThatCouldNotStartIsAnErrorWithItsWords() {
        TlcResult r = parseDistributed(DISTRIBUTED_PORT_TAKEN);
        assertEquals(Outcome.error("distributed TLC gave no verdict"), r.outcome());
        assertTrue(r.detail().contains("Port already in use"), r.detail());
        assertEquals(
                Outcome.error("TLC was killed by signal 9 (exit code 137)"),
                TlcOutputParser.parseDistributed("", 137, NOTHING, Duration.ZERO, null)
                        .outcome());
    }
}
