// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, on a copy of the toy specs (runs write under {@code <dir>/target}). */
class ModelsMainTest {

    @TempDir
    Path dir;

    private String output;

    @BeforeEach
    void copyToys() throws IOException {
        Path from = ToyModelsTest.TOY;
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path to = dir.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
    }

    private int run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = ModelsMain.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        output = bytes.toString(StandardCharsets.UTF_8);
        return code;
    }

    @Test
    void printsTheTableOfTheManifest() throws IOException {
        assertEquals(0, run("--table", "--dir", dir.toString()));
        Manifest manifest = Manifest.read(dir.resolve("models.json"));
        assertEquals(PropertyTable.markdown(PropertyTable.recorded(manifest, dir.resolve("tla"))), output);
        assertTrue(output.startsWith("| Property "), output);
    }

    @Test
    void rewritesTheReadmeSection() throws IOException {
        Path readme = dir.resolve("README.md");
        Files.writeString(readme, "# Toy\n\n" + PropertyTable.BEGIN + "\nstale\n" + PropertyTable.END + "\n\nEnd.\n");
        assertEquals(0, run("--write-readme-table", "--dir", dir.toString(), "--readme", readme.toString()));
        assertTrue(output.endsWith("property table rewritten\n"), output);
        String text = Files.readString(readme);
        assertTrue(text.startsWith("# Toy\n\n" + PropertyTable.BEGIN + "\n| Property "), text);
        assertTrue(text.endsWith(PropertyTable.END + "\n\nEnd.\n"), text);
        Manifest manifest = Manifest.read(dir.resolve("models.json"));
        assertEquals(
                Optional.of(PropertyTable.markdown(PropertyTable.recorded(manifest, dir.resolve("tla")))),
                PropertyTable.section(text));
        assertEquals(0, run("--write-readme-table", "--dir", dir.toString(), "--readme", readme.toString()));
        assertTrue(output.endsWith("property table unchanged\n"), output);
    }

    @Test
    void updateRecordsTheMeasuredFigures() throws IOException {
        Path file = dir.resolve("models.json");
        String before = Files.readString(file);
        String stale = before.replace(
                "\"distinctStates\": 18,\n      \"statesGenerated\": 37,\n      \"depth\": 6,\n"
                        + "      \"note\": \"everything holds\"",
                "\"distinctStates\": 1,\n      \"statesGenerated\": 2,\n"
                        + "      \"depth\": 3,\n      \"note\": \"everything holds\"");
        Files.writeString(file, stale);
        assertEquals(1, run("--dir", dir.toString(), "--models", "ToyPass"));
        assertTrue(output.contains("ToyPass: MISMATCH, pass\n"), output);
        assertTrue(output.contains("- distinctStates: expected 1, got 18"), output);
        assertTrue(output.contains("models: 0 passed, 1 failed"), output);
        assertEquals(0, run("--dir", dir.toString(), "--models", "ToyPass", "--update"));
        assertTrue(output.contains("figures recorded for ToyPass"), output);
        assertEquals(
                before.replace(
                        "\"tlcArgs\": [\"-lncheck\", \"final\"]",
                        "\"tlcArgs\": [\n        \"-lncheck\",\n        \"final\"\n      ]"),
                Files.readString(file));
    }

    @Test
    void updateLeavesAWrongVerdictAlone() throws IOException {
        String before = Files.readString(dir.resolve("models.json"));
        assertEquals(1, run("--dir", dir.toString(), "--set", "all", "--models", "ToyParseError", "--update"));
        assertTrue(output.contains("Not recorded, the verdict is not the expected one"), output);
        assertEquals(before, Files.readString(dir.resolve("models.json")));
    }

    @Test
    void wrongUsageExitsWithTwo() {
        assertEquals(2, run("--frobnicate"));
        assertTrue(output.startsWith("usage: o2net-check"), output);
        assertEquals(2, run("--dir", dir.toString(), "--set", "nightly"));
        assertEquals("o2net-check: set must be ci, deep or all, not nightly\n", output);
        assertEquals(2, run("--dir", dir.toString(), "--timeout"));
    }
}
