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
}
