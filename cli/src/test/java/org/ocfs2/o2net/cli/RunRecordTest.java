// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ocfs2.o2net.cli.testhandlers.LedgerHandlers;

/** The run checker on records written by hand: each promise it checks, kept and broken. */
class RunRecordTest {
    @TempDir
    Path dir;

    private static String st(String payload) {
        return String.valueOf(LedgerHandlers.status(payload.getBytes(StandardCharsets.US_ASCII)));
    }

    private RunRecord.Verdict check(String ledger2, String calls1, String faults) throws IOException {
        Files.writeString(dir.resolve("n2.ledger"), ledger2);
        Files.writeString(dir.resolve("n1.calls"), calls1);
        Files.writeString(dir.resolve("faults.log"), faults);
        return RunRecord.check(dir);
    }

    @Test
    void aCleanRunPasses() throws IOException {
        RunRecord.Verdict v = check(
                "a 1\nb 1\n",
                "a 1 2 ok " + st("a") + " 10 20\nb 1 2 ok " + st("b") + " 30 40\nc 1 2 died - 50 60\n",
                "restart 1 45 70\nleft 0 0\n");
        assertTrue(v.kept(), v.examples.toString());
        assertEquals(3, v.calls);
        assertEquals(2, v.ok);
        assertEquals(1, v.died);
        assertEquals(1, v.restarts);
    }

    @Test
    void anErrorOutsideEveryRestartWindowIsALostCall() throws IOException {
        RunRecord.Verdict v = check("", "a 1 2 err EHOSTDOWN 10 20\n", "restart 2 30 40\nleft 0 0\n");
        assertFalse(v.kept());
        assertEquals(1, v.lost);
        assertTrue(v.examples.get(0).contains("failed with EHOSTDOWN while neither node restarted"));
    }

    @Test
    void anErrorDuringItsTargetsRestartIsThePromisedEhostdown() throws IOException {
        RunRecord.Verdict v = check("", "a 1 2 err EHOSTDOWN 10 35\n", "restart 2 30 40\nleft 0 0\n");
        assertTrue(v.kept(), v.examples.toString());
        assertEquals(1, v.restartErrors);
    }

    @Test
    void aHandlerRunTwiceAWrongStatusAStatusWithoutARunAHungCallerAndLeftoversAreEachCaught() throws IOException {
        assertEquals(1, check("a 1\na 1\n", "a 1 2 ok " + st("a") + " 10 20\n", "left 0 0\n").runTwice);
        assertEquals(1, check("a 1\n", "a 1 2 ok 7 10 20\n", "left 0 0\n").wrongStatus);
        assertEquals(1, check("", "a 1 2 ok " + st("a") + " 10 20\n", "left 0 0\n").okWithoutRun);
        assertEquals(1, check("", "a 1 2 hung - 10 -\n", "left 0 0\n").hung);
        RunRecord.Verdict left = check("", "", "left 2 1\n");
        assertFalse(left.kept());
        assertEquals(2, left.mhLeft);
        assertEquals(1, left.heldLeft);
    }

    @Test
    void anUnknownRecordIsRefused() throws IOException {
        assertThrows(IOException.class, () -> check("", "", "meteor 1 2\n"));
        assertThrows(IOException.class, () -> check("", "a 1 2 maybe - 10 20\n", ""));
    }
}
