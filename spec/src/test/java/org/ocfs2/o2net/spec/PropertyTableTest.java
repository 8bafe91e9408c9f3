// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PropertyTableTest {

    private static PropertyTable.Column column(
            String name, String set, Outcome outcome, Integer length, String cfg, List<String> tlcArgs) {
        ModelSpec model = new ModelSpec(name, "MC" + name, name + ".cfg", set, outcome, 1L, 1L, length, tlcArgs, null);
        return PropertyTable.Column.recorded(model, CfgFile.parse(cfg));
    }

    @Test
    void cellsSayHoldsViolatedStoppedOrNotChecked() {
        List<PropertyTable.Column> columns = List.of(
                column("Small", "ci", Outcome.PASS, 9, "INVARIANT TypeOK Safe PROPERTY Live", List.of()),
                column("Bug", "ci", Outcome.invariant("Safe"), 3, "INVARIANT TypeOK Safe", List.of()),
                column("Stuck", "deep", Outcome.DEADLOCK, 1, "INVARIANT TypeOK PROPERTY Live", List.of()),
                column("Quiet", "deep", Outcome.property("Live"), 12, "PROPERTY Live", List.of("-deadlock")));
        assertEquals("""
                | Property         | Small (ci) | Bug (ci)            | Stuck (deep)       | Quiet (deep)         |
                | ---------------- | ---------- | ------------------- | ------------------ | -------------------- |
                | TypeOK           | holds      | (stopped)           | (stopped)          | —                    |
                | Safe             | holds      | violated (3 states) | —                  | —                    |
                | Live             | holds      | —                   | (stopped)          | violated (12 states) |
                | Deadlock freedom | holds      | (stopped)           | violated (1 state) | —                    |
                """, PropertyTable.markdown(columns));
    }

    @Test
    void noModelsNoTable() {
        assertEquals("_No models yet._\n", PropertyTable.markdown(List.of()));
    }

    @Test
    void recordedColumnsOfTheToyManifest() throws IOException {
        Manifest toy = Manifest.read(ToyModelsTest.TOY.resolve("models.json"));
        String table = PropertyTable.markdown(PropertyTable.recorded(toy, ToyModelsTest.TOY.resolve("tla")));
        List<String> header = cells(table.lines().findFirst().orElseThrow());
        assertEquals("ToyPass (ci)", header.get(1));
        assertEquals("ToyParseError (deep)", header.get(11));
        List<String> belowMax = row(table, "BelowMax");
        assertEquals("violated (3 states)", belowMax.get(2));
        assertEquals("—", belowMax.get(1));
        List<String> deadlock = row(table, "Deadlock freedom");
        assertEquals(
                List.of(
                        "Deadlock freedom",
                        "holds",
                        "(stopped)",
                        "(stopped)",
                        "(stopped)",
                        "(stopped)",
                        "violated (5 states)",
                        "(stopped)",
                        "(stopped)",
                        "—",
                        "(stopped)",
                        "holds"),
                deadlock);
    }

    @Test
    void expectingWhatTheCfgDoesNotCheckIsRejected(@TempDir Path dir) throws IOException {
        Files.createDirectory(dir.resolve("tla"));
        Files.writeString(dir.resolve("tla/M.cfg"), "INIT Init NEXT Next INVARIANT TypeOK\n");
        Files.writeString(dir.resolve("models.json"), """
                {"models": [{"name": "M", "module": "MCM", "config": "M.cfg", "set": "ci", "expect": "invariant:Safe"}]}
                """);
        Manifest manifest = Manifest.read(dir.resolve("models.json"));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> PropertyTable.recorded(manifest, dir.resolve("tla")));
        assertEquals("model M expects invariant:Safe, which its cfg M.cfg does not check", e.getMessage());
    }

    @Test
    void readmeSectionIsFoundAndReplaced() {
        String readme = "# Title\n\n" + PropertyTable.BEGIN + "\nold\n" + PropertyTable.END + "\n\nmore\n";
        assertEquals(Optional.of("old\n"), PropertyTable.section(readme));
        String updated = PropertyTable.replaceSection(readme, "| a |\n| - |\n");
        assertEquals(
                "# Title\n\n" + PropertyTable.BEGIN + "\n| a |\n| - |\n" + PropertyTable.END + "\n\nmore\n", updated);
        assertEquals(Optional.of("| a |\n| - |\n"), PropertyTable.section(updated));
        assertEquals(Optional.empty(), PropertyTable.section("# no markers\n"));
        assertThrows(IllegalArgumentException.class, () -> PropertyTable.replaceSection("# none\n", "x"));
    }

    private static List<String> row(String table, String label) {
        return cells(table.lines()
                .filter(l -> l.startsWith("| " + label + " "))
                .findFirst()
                .orElseThrow());
    }

    private static List<String> cells(String line) {
        String inner = line.substring(1, line.length() - 1);
        return List.of(inner.split("\\|")).stream().map(String::strip).toList();
    }
}
