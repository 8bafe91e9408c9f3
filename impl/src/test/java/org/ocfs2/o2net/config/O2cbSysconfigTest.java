// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class O2cbSysconfigTest {
    static final String SYSCONFIG = String.join(
            "\n",
            "#",
            "# This is a configuration file for automatic startup of the O2CB driver.",
            "#",
            "O2CB_ENABLED=true",
            "O2CB_STACK=o2cb",
            "O2CB_BOOTCLUSTER=webcluster",
            "O2CB_HEARTBEAT_THRESHOLD=61",
            "O2CB_IDLE_TIMEOUT_MS=\"60000\"",
            "O2CB_KEEPALIVE_DELAY_MS='4000'",
            "O2CB_RECONNECT_DELAY_MS=3000",
            "");

    private static O2cbSysconfig parse(String text) throws IOException {
        return O2cbSysconfig.parse(new StringReader(text), "o2cb");
    }

    @Test
    void readsTimeoutsAndBootCluster() throws IOException {
        O2cbSysconfig s = parse(SYSCONFIG);
        assertEquals("webcluster", s.bootCluster());
        assertEquals(OptionalInt.of(61), s.heartbeatThreshold());
        assertEquals(OptionalInt.of(60000), s.idleTimeoutMs());
        assertEquals(OptionalInt.of(4000), s.keepaliveDelayMs());
        assertEquals(OptionalInt.of(3000), s.reconnectDelayMs());
    }

    @Test
    void appliesToTheParsedCluster(@TempDir Path dir) throws IOException {
        Path conf = dir.resolve("cluster.conf");
        Path sys = dir.resolve("o2cb");
        Files.writeString(conf, ClusterConfParserTest.THREE_NODES, StandardCharsets.UTF_8);
        Files.writeString(sys, SYSCONFIG, StandardCharsets.UTF_8);
        O2cbSysconfig s = O2cbSysconfig.parse(sys);
        ClusterConfig c = s.applyTo(ClusterConfParser.parse(conf, s.bootCluster()))
                .localNode(10)
                .build();
        assertEquals(120000, c.heartbeatTimeoutMs());
        assertEquals(60000, c.idleTimeoutMs());
        assertEquals(4000, c.keepaliveDelayMs());
        assertEquals(3000, c.reconnectDelayMs());
    }

    @Test
    void emptyValuesLeaveDefaults() throws IOException {
        O2cbSysconfig s = parse("O2CB_BOOTCLUSTER=\nO2CB_IDLE_TIMEOUT_MS=\nO2CB_HEARTBEAT_THRESHOLD=\"\"\n");
        assertNull(s.bootCluster());
        assertFalse(s.idleTimeoutMs().isPresent());
        assertFalse(s.heartbeatThreshold().isPresent());
        ClusterConfig c = s.applyTo(ClusterConfig.newBuilder()
                        .name("x")
                        .addNode(0, "a", "10.0.0.1", 1)
                        .localNode(0))
                .build();
        assertEquals(ClusterConfig.DEFAULT_IDLE_TIMEOUT_MS, c.idleTimeoutMs());
    }

    @Test
    void rangeChecksHappenOnBuild() throws IOException {
        O2cbSysconfig s = parse("O2CB_IDLE_TIMEOUT_MS=4000\n");
        ClusterConfig.Builder b = s.applyTo(ClusterConfig.newBuilder()
                .name("x")
                .addNode(0, "a", "10.0.0.1", 1)
                .localNode(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains("idleTimeoutMs 4000 is below the o2cb minimum"), e.getMessage());
    }

    @Test
    void errorsNameTheLine() {
        ConfigParseException e = assertThrows(
                ConfigParseException.class, () -> parse("# c\nO2CB_ENABLED=true\nO2CB_IDLE_TIMEOUT_MS=30s\n"));
        assertEquals(3, e.line());
        assertEquals("o2cb:3: O2CB_IDLE_TIMEOUT_MS '30s' is not a number", e.getMessage());

        e = assertThrows(ConfigParseException.class, () -> parse("O2CB_ENABLED=true\nnot a setting\n"));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("expected KEY=value"), e.getMessage());

        e = assertThrows(ConfigParseException.class, () -> parse("O2CB_KEEPALIVE_DELAY_MS=\"2000\n"));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("unterminated quote"), e.getMessage());
    }
}
