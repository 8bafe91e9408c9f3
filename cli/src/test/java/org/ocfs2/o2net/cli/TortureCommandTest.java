// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short Jepsen-style run CI makes: three node processes, each in its own network namespace (root), through at
 * least one SIGKILL restart, one partition and ten injected RSTs (counts, not time windows), then the checker on the
 * durable record. Today's o2net under the same faults fails the same checker.
 */
class TortureCommandTest {
    @TempDir
    Path dir;

    private static long figure(String out, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\s+([0-9,]+)$")
                .matcher(out);
        assertTrue(m.find(), "no '" + name + "' in\n" + out);
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    @Test
    void reliableProtocolPassesTheCheckerThroughKillsPartitionsAndResets() {
        Cli c = Cli.run(
                "torture",
                "--seed",
                "7",
                "--duration",
                "2s",
                "--callers",
                "2",
                "--restart-every",
                "2",
                "--partition-every",
                "1",
                "--partition-max",
                "3",
                "--reset-per-mille",
                "10",
                "--min-resets",
                "10",
                "--min-restarts",
                "1",
                "--min-partitions",
                "1",
                "--progress-seconds",
                "2",
                "--dir",
                dir.toString(),
                "--class-path",
                NodeProcess.classPath());
        assertEquals(ExitCodes.OK, c.exitCode, c.toString());
        assertTrue(c.out.contains("PASS: 0 lost, 0 run twice, 0 wrong statuses, 0 hung, 0 left held"), c.out);
        assertTrue(figure(c.out, "SIGKILL restarts") >= 1, c.out);
        assertTrue(figure(c.out, "partitions") >= 1, c.out);
        assertTrue(figure(c.out, "resets injected (RST)") >= 10, c.out);
        assertTrue(figure(c.out, "returned their own status") > 0, c.out);
        assertEquals(0, figure(c.out, "lost"));
        assertEquals(0, figure(c.out, "handlers run twice"));

        // the record stands on its own: checked again from the files alone
        Cli again = Cli.run("torture", "--check", dir.resolve("v13").toString());
        assertEquals(ExitCodes.OK, again.exitCode, again.toString());
        assertEquals(figure(c.out, "calls"), figure(again.out, "calls"));
    }

    @Test
    void todaysO2netFailsTheSameChecker() {
        Cli c = Cli.run(
                "torture",
                "--protocol",
                "v11",
                "--duration",
                "1s",
                "--callers",
                "2",
                "--restart-every",
                "0",
                "--partition-every",
                "0",
                "--reset-per-mille",
                "20",
                "--min-resets",
                "5",
                "--progress-seconds",
                "2",
                "--dir",
                dir.toString(),
                "--class-path",
                NodeProcess.classPath());
        assertEquals(ExitCodes.FAILED, c.exitCode, c.toString());
        assertTrue(figure(c.out, "lost") >= 1, c.out);
        assertTrue(c.out.contains("FAIL: "), c.out);
    }
}
