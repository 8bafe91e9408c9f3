// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: help, version, and errors that name the bad option or the file and line. */
class CliParsingTest {
    @TempDir
    Path dir;

    static final String CONF = "cluster:\n\tnode_count = 2\n\tname = demo\n\n"
            + "node:\n\tip_port = 7777\n\tip_address = 127.0.0.1\n\tnumber = 1\n\tname = n1\n\tcluster = demo\n\n"
            + "node:\n\tip_port = 7777\n\tip_address = 127.0.0.2\n\tnumber = 2\n\tname = n2\n\tcluster = demo\n";

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void helpListsCommandsAndExitCodes() {
        Cli c = Cli.run("--help");
        assertEquals(ExitCodes.OK, c.exitCode, c.toString());
        for (String s : new String[] {"node", "call", "status", "send-tracking", "probe", "Exit codes:", "mismatch"}) {
            assertTrue(c.out.contains(s), s + " missing from\n" + c);
        }
        Cli sub = Cli.run("probe", "--help");
        assertEquals(ExitCodes.OK, sub.exitCode, sub.toString());
        assertTrue(sub.out.contains("--keepalives") && sub.out.contains("Exit codes:"), sub.toString());
    }

    @Test
    void versionNamesTheProtocols() {
        Cli c = Cli.run("--version");
        assertEquals(ExitCodes.OK, c.exitCode, c.toString());
        assertTrue(c.out.startsWith("o2net "), c.toString());
        assertTrue(c.out.contains("v11") && c.out.contains("v12"), c.toString());
    }

    @Test
    void noCommandIsAUsageError() {
        Cli c = Cli.run();
        assertEquals(ExitCodes.USAGE, c.exitCode, c.toString());
        assertTrue(c.err.contains("missing command"), c.toString());
    }

    @Test
    void unknownOptionIsNamedWithASuggestion() {
        Cli c = Cli.run("node", "--confg", "x", "--config", "y", "--region", "z", "--node", "n1");
        assertEquals(ExitCodes.USAGE, c.exitCode, c.toString());
        assertTrue(c.err.contains("Unknown options: '--confg'"), c.toString());
        assertTrue(c.err.contains("--config"), c.toString());
    }

    @Test
    void unknownOptionIsNamedEvenWhenRequiredOnesAreMissing() {
        Cli c = Cli.run("node", "--confg", "x");
        assertEquals(ExitCodes.USAGE, c.exitCode, c.toString());
        assertTrue(c.err.contains("Unknown option: '--confg'"), c.toString());
    }

    @Test
    void badNumberNamesTheOption() {
        Cli c = Cli.run("call", "--admin-socket", "s", "--to", "2", "--type", "zz", "--key", "1");
        assertEquals(ExitCodes.USAGE, c.exitCode, c.toString());
        assertTrue(c.err.contains("'--type'") && c.err.contains("'zz'"), c.toString());
    }

    @Test
    void nodeNameAndNumberAreExclusive() {
        Cli c = Cli.run("node", "--config", "c", "--region", "r", "--node", "n1", "--node-number", "1");
        assertEquals(ExitCodes.USAGE, c.exitCode, c.toString());
        assertTrue(c.err.contains("--node") && c.err.contains("--node-number"), c.toString());
    }

    @Test
    void badConfigLineIsNamed() throws IOException {
        Path conf = write("cluster.conf", CONF.replace("\tnumber = 2", "\tnumber = two"));
        Cli c = Cli.run(
                "node",
                "--config",
                conf.toString(),
                "--node",
                "n1",
                "--region",
                dir.resolve("r").toString());
        assertEquals(ExitCodes.CONFIG, c.exitCode, c.toString());
        assertTrue(c.err.contains(conf + ":15: number 'two' is not a number"), c.toString());
    }

    @Test
    void parameterWithoutIndentIsNamed() throws IOException {
        Path conf = write("cluster.conf", CONF.replace("\tname = demo", "name = demo"));
        Cli c = Cli.run(
                "node",
                "--config",
                conf.toString(),
                "--node",
                "n1",
                "--region",
                dir.resolve("r").toString());
        assertEquals(ExitCodes.CONFIG, c.exitCode, c.toString());
        assertTrue(c.err.contains(conf + ":3: expected a stanza header"), c.toString());
    }

    @Test
    void missingConfigFileIsNamed() {
        Path conf = dir.resolve("nope.conf");
        Cli c = Cli.run(
                "node",
                "--config",
                conf.toString(),
                "--node",
                "n1",
                "--region",
                dir.resolve("r").toString());
        assertEquals(ExitCodes.CONFIG, c.exitCode, c.toString());
        assertTrue(c.err.contains(conf + ": no such file"), c.toString());
    }

    @Test
    void sysconfigTimeoutBelowMinimumNamesItsLine() throws IOException {
        Path conf = write("cluster.conf", CONF);
        Path sys = write("o2cb", "# o2cb\nO2CB_BOOTCLUSTER=demo\nO2CB_IDLE_TIMEOUT_MS=3000\n");
        Cli c = Cli.run(
                "node",
                "--config",
                conf.toString(),
                "--sysconfig",
                sys.toString(),
                "--node",
                "n1",
                "--region",
                dir.resolve("r").toString());
        assertEquals(ExitCodes.CONFIG, c.exitCode, c.toString());
        assertTrue(c.err.contains(sys + ":3: O2CB_IDLE_TIMEOUT_MS: idleTimeoutMs 3000 is below"), c.toString());
        assertTrue(c.err.contains("--allow-short-timeouts"), c.toString());
    }

    @Test
    void sysconfigSyntaxErrorNamesItsLine() throws IOException {
        Path conf = write("cluster.conf", CONF);
        Path sys = write("o2cb", "O2CB_BOOTCLUSTER=demo\nO2CB_KEEPALIVE_DELAY_MS=soon\n");
        Cli c = Cli.run(
                "node",
                "--config",
                conf.toString(),
                "--sysconfig",
                sys.toString(),
                "--node",
                "n1",
                "--region",
                dir.resolve("r").toString());
        assertEquals(ExitCodes.CONFIG, c.exitCode, c.toString());
        assertTrue(c.err.contains(sys + ":2: O2CB_KEEPALIVE_DELAY_MS 'soon' is not a number"), c.toString());
    }

    @Test
    void unknownLocalNodeNamesTheOption() throws IOException {
        Path conf = write("cluster.conf", CONF);
        Cli c = Cli.run(
                "node",
                "--config",
                conf.toString(),
                "--node",
                "n9",
                "--region",
                dir.resolve("r").toString());
        assertEquals(ExitCodes.CONFIG, c.exitCode, c.toString());
        assertTrue(c.err.contains("--node: local node name n9 is not a node of cluster demo"), c.toString());
    }

    @Test
    void unknownHandlerProviderListsTheKnownOnes() throws IOException {
        Path conf = write("cluster.conf", CONF);
        Cli c = Cli.run(
                "node",
                "--config",
                conf.toString(),
                "--node",
                "n1",
                "--region",
                dir.resolve("r").toString(),
                "--handlers",
                "echo,nope");
        assertEquals(ExitCodes.USAGE, c.exitCode, c.toString());
        assertTrue(c.err.contains("--handlers: no handler provider named 'nope'"), c.toString());
        assertTrue(c.err.contains("echo, counter, slow"), c.toString());
    }

    @Test
    void regionProblemsAreNamed() throws IOException {
        Path conf = write("cluster.conf", CONF);
        Path missing = dir.resolve("no-region");
        Cli c = Cli.run("node", "--config", conf.toString(), "--node", "n1", "--region", missing.toString());
        assertEquals(ExitCodes.FAILED, c.exitCode, c.toString());
        assertTrue(c.err.contains("--region " + missing + ": no such file (--create-region makes one)"), c.toString());

        Cli zero = Cli.run(
                "node",
                "--config",
                conf.toString(),
                "--node",
                "n1",
                "--region",
                missing.toString(),
                "--create-region",
                "--start-block",
                "0");
        assertEquals(ExitCodes.USAGE, zero.exitCode, zero.toString());
        assertTrue(zero.err.contains("start_block must be > 0"), zero.toString());
        assertTrue(!Files.exists(missing), "nothing created for a bad geometry");
    }

    @Test
    void probeArgumentsAreChecked() {
        Cli badTarget = Cli.run("probe", "localhost", "--node", "1");
        assertEquals(ExitCodes.USAGE, badTarget.exitCode, badTarget.toString());
        assertTrue(badTarget.err.contains("HOST:PORT"), badTarget.toString());

        Cli badCall = Cli.run("probe", "127.0.0.1:7777", "--node", "1", "--call", "0:1:00");
        assertEquals(ExitCodes.USAGE, badCall.exitCode, badCall.toString());
        assertTrue(badCall.err.contains("--call: msg_type 0 is not 1..65535"), badCall.toString());

        Cli badHex = Cli.run("probe", "127.0.0.1:7777", "--node", "1", "--call", "1:1:xyz");
        assertEquals(ExitCodes.USAGE, badHex.exitCode, badHex.toString());
        assertTrue(badHex.err.contains("--call '1:1:xyz'"), badHex.toString());

        Cli both = Cli.run(
                "probe", "127.0.0.1:7777", "--node", "1", "--idle-ms", "1", "--config", "c", "--local-node", "n");
        assertEquals(ExitCodes.USAGE, both.exitCode, both.toString());
        assertTrue(both.err.contains("mutually exclusive"), both.toString());
    }

    @Test
    void adminSocketWithoutNodeIsAConnectFailure() {
        Path sock = dir.resolve("none.sock");
        Cli c = Cli.run("status", "--admin-socket", sock.toString());
        assertEquals(ExitCodes.CONNECT, c.exitCode, c.toString());
        assertTrue(c.err.contains("--admin-socket " + sock + ": no node answers there"), c.toString());
    }
}
