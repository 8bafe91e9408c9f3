// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CfgFileTest {

    private static final Path TLA = ToyModelsTest.TOY.resolve("tla");

    @Test
    void readsSectionsOverSeveralLinesWithComments() throws IOException {
        CfgFile cfg = CfgFile.read(TLA.resolve("ToyPass.cfg"));
        assertEquals(List.of("TypeOK", "Bounded"), cfg.invariants());
        assertEquals(List.of("SomeReset", "Refines"), cfg.properties());
        assertTrue(cfg.checkDeadlock());
    }

    @Test
    void readsCheckDeadlockFalse() throws IOException {
        CfgFile cfg = CfgFile.read(TLA.resolve("ToyStutter.cfg"));
        assertFalse(cfg.checkDeadlock());
        assertEquals(List.of("SomeReset"), cfg.properties());
        assertEquals(List.of(), cfg.invariants());
    }

    @Test
    void mergesRepeatedSectionsAndSkipsConstants() {
        CfgFile cfg = CfgFile.parse("""
                CONSTANTS
                    Nodes = {n1, n2}   \\* model values
                    Msg = "INVARIANT Fake"
                    Max <- MCMax
                INVARIANT A
                (* a (* nested *) comment with PROPERTY Q *)
                INVARIANTS B
                    C
                PROPERTIES P1 P2
                PROPERTY P3
                CHECK_DEADLOCK TRUE
                """);
        assertEquals(List.of("A", "B", "C"), cfg.invariants());
        assertEquals(List.of("P1", "P2", "P3"), cfg.properties());
        assertTrue(cfg.checkDeadlock());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "SPECIFICATION Spec\\nINVARIANTS                  | INVARIANTS names nothing",
                "PROPERTY\\nINVARIANT Inv                      | PROPERTY names nothing",
                "INVARIANT Inv[1]                               | INVARIANT expects operator names",
                "CHECK_DEADLOCK maybe                           | CHECK_DEADLOCK must be followed by TRUE or FALSE",
                "FOO Bar\\nSPECIFICATION Spec                  | expected a keyword, found \"FOO\"",
                "SPECIFICATION Spec\\nFOO Bar                  | SPECIFICATION takes one name, found [Spec, FOO, Bar]",
                "INVARIANT Inv (* open                         | unterminated (* comment",
            })
    void rejectsWhatTlcWouldMisread(String text, String message) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> CfgFile.parse(text.replace("\\n", "\n")));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}
