// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchMainTest {
    @Test
    void writesBetweenTheMarkersAndKeepsTheRest(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("BENCHMARKS.md");
        BenchMain.write(f, "first\n");
        String text = Files.readString(f);
        assertTrue(text.startsWith("# Benchmarks\n"));
        Files.writeString(
                f,
                text.replace("# Benchmarks\n", "# Benchmarks\n\nHand-written analysis.\n") + "\nAfter the tables.\n");
        BenchMain.write(f, "second\n");
        text = Files.readString(f);
        assertTrue(text.contains("Hand-written analysis."));
        assertTrue(text.contains("After the tables."));
        assertTrue(text.contains(BenchMain.BEGIN + "\nsecond\n" + BenchMain.END));
        assertTrue(!text.contains("first"));
        Path bad = dir.resolve("bad.md");
        Files.writeString(bad, "no markers\n");
        assertThrows(IOException.class, () -> BenchMain.write(bad, "x"));
    }

    @Test
    void optionsAreCheckedAndExplained() {
        BenchMain.Options o = BenchMain.Options.parse(
                "--sections",
                "load",
                "--targets",
                "reliable",
                "--concurrency",
                "1,64",
                "--measure",
                "2.5",
                "--no-write");
        assertEquals(java.util.List.of("load"), o.sections);
        assertEquals(2, o.concurrency.length);
        assertEquals(2500, o.measure.toMillis());
        assertEquals(null, o.out);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> BenchMain.Options.parse("--targets", "zmq"));
        assertTrue(e.getMessage().contains("zmq is not one of"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BenchMain.Options.parse("--concurrency", "x"));
        assertThrows(IllegalArgumentException.class, () -> BenchMain.Options.parse("--measure"));
        assertThrows(IllegalArgumentException.class, () -> BenchMain.Options.parse("--bogus"));
    }

    @Test
    void tablesRefuseRaggedRowsAndPadColumns() {
        Table t = new Table("T", "a", "bb").row("x", 1).row("long cell", 22);
        String md = t.markdown();
        assertTrue(md.contains("| x         |   1 |"), md);
        assertTrue(md.contains("|-----------|----:|"), md);
        assertThrows(IllegalArgumentException.class, () -> t.row("only one"));
    }
}
