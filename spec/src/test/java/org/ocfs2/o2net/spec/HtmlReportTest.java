// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's pieces, from known inputs; the page as a browser renders it is checked by module report. */
class HtmlReportTest {
    @TempDir
    Path root;

    @Test
    void textIsEscaped() {
        assertEquals(
                "&lt;a href=&quot;x&quot;&gt;A &amp; B&#39;s&lt;/a&gt;",
                HtmlReport.escape("<a href=\"x\">A & B's</a>"));
    }

    @Test
    void aMarkdownTableBecomesAnHtmlTable() {
        String md =
                "| figure | run 1 | median |\n|---|---:|---:|\n| p50 ÷ off | 1.19 | **1.23** |\n| `x` <y> | a | 2 |";
        String html = HtmlReport.markdownTable(md);
        assertTrue(html.contains("<th>figure</th><th>run 1</th><th>median</th>"), html);
        assertTrue(html.contains("<td class=\"num\"><b>1.23</b></td>"), html);
        assertTrue(html.contains("<td><code>x</code> &lt;y&gt;</td>"), html);
        assertFalse(html.contains("---"), "the rule line is not a row: " + html);
        assertEquals("| a |\n| - |", HtmlReport.firstTable("text\n| a |\n| - |\nafter\n| b |"));
        assertNull(HtmlReport.firstTable("no table here\n"));
    }

    @Test
    void missingPartsSayNotRunAndHowToRunThem() throws Exception {
        String page = HtmlReport.page(root);
        assertTrue(page.startsWith("<!DOCTYPE html>") && page.endsWith("</html>\n"));
        assertEquals(
                4,
                page.split("Not run in this tree", -1).length - 1,
                "models, conformance, kernel lab, benchmarks: " + page);
        for (String id : List.of("models", "findings", "conformance", "kernel", "benchmarks")) {
            assertTrue(page.contains("id=\"" + id + "\""), id);
        }
        assertTrue(page.contains("<code>bin/o2net-check</code>"), "the models' command");
        assertTrue(page.contains("<code>mvn -B -pl conformance -am verify</code>"));
        assertTrue(page.contains("<code>mvn -B -pl kernel-lab -am verify</code>"));
        assertTrue(page.contains("<code>bin/o2net-bench</code>"));
    }

    @Test
    void suitesFiguresAndFailuresAreReadFromWhatThePartsLeft() throws Exception {
        Path reports = Files.createDirectories(root.resolve("kernel-lab/target/surefire-reports"));
        Files.writeString(
                reports.resolve("TEST-org.ocfs2.o2net.kernel.KernelNodeTest.xml"),
                "<?xml version=\"1.0\"?>\n<testsuite name=\"org.ocfs2.o2net.kernel.KernelNodeTest\" time=\"78.5\""
                        + " tests=\"2\" errors=\"0\" skipped=\"0\" failures=\"1\">\n"
                        + "<testcase name=\"handshake\" classname=\"K\" time=\"1.5\"/>\n"
                        + "<testcase name=\"idle &lt;timeout&gt;\" classname=\"K\" time=\"2.0\">"
                        + "<failure message=\"expected &lt;1&gt;\" type=\"x\">trace</failure></testcase>\n</testsuite>\n");
        Path traces = Files.createDirectories(root.resolve("conformance/target/traces"));
        Files.writeString(
                traces.resolve("ack-cover.json"),
                "{\"module\":\"MCAckO2net\",\"config\":\"ConfAckCover.cfg\",\"states\":3527,\"edges\":8609,"
                        + "\"paths\":2079,\"steps\":28484,\"seconds\":1.8,\"actions\":[\"Send\",\"RecvAck\"]}");
        Path replayed = Files.createDirectories(root.resolve("conformance/target/coverage"));
        Files.writeString(
                replayed.resolve("AckConformanceTest-cover.json"),
                "{\"suite\":\"AckConformanceTest\",\"tier\":\"core\",\"traces\":\"edge cover\",\"replayedTraces\":2079,"
                        + "\"steps\":28484,\"states\":3527,\"edges\":8609,\"modelStates\":3527,\"modelEdges\":8609,"
                        + "\"modelPaths\":2079,\"actions\":{\"Send\":1200,\"<Recv>\":7},\"failures\":0,\"seconds\":18.3}");
        Path lab = Files.createDirectories(root.resolve("kernel-lab/target/kernel-lab"));
        Files.writeString(lab.resolve("summary.txt"), "kernel-lab: kernel 6.1.0-28-amd64 (Debian 6.1.119-1)\n");
        Path failures = Files.createDirectories(root.resolve("conformance/target/failures/netty"));
        Files.writeString(failures.resolve("sim.jsonl-8.txt"), "trace sim.jsonl#8, step 3 (RecvMsg): mh[1] differs");
        Files.writeString(
                failures.resolve("sim.jsonl-8.svg"),
                "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"><text>DIVERGED: x</text></svg>");
        Path bugs = Files.createDirectories(replayed.resolve("seeded-bugs"));
        Files.writeString(
                bugs.resolve("bugs.json"),
                "[{\"bug\":\"NO_DEDUP\",\"description\":\"runs <every> duplicate\",\"traces\":\"ReliableO2net\","
                        + "\"cover\":{\"trace\":\"cover.jsonl#4\",\"step\":7,\"label\":\"RecvDup\","
                        + "\"problem\":\"the states differ after the step\",\"tracesReplayed\":5},"
                        + "\"sim\":{\"trace\":null,\"step\":-1,\"label\":null,\"problem\":null,\"tracesReplayed\":300},"
                        + "\"chart\":\"NO_DEDUP.svg\",\"chartOf\":\"cover\"}]");
        Files.writeString(bugs.resolve("NO_DEDUP.svg"), "<svg><text>DIVERGED: the states differ</text></svg>");
        Files.writeString(
                root.resolve("BENCHMARKS.md"),
                "# B\n\n## One round trip: v13\n\nThree runs of `x`\n\n| figure | median |\n|---|---:|\n| frames per call | 2.01 |\n"
                        + "\n## Results\n\nCommand: `bin/o2net-bench`, 2026-11-24.\n\n### Recovery\n\n| r | 1 |\n|---|---|\n"
                        + "\n### Ratios: the others\n\n| callers | reliable ÷ off |\n|---|---:|\n| 64 | 0.93 |\n");
        String page = HtmlReport.page(root);
        assertTrue(page.contains("KernelNodeTest"), "the suite");
        List<HtmlReport.Suite> read = HtmlReport.suites(reports);
        assertEquals(1, read.size());
        assertEquals(
                List.of("idle <timeout>", "2.0", "expected <1>"),
                List.of(read.get(0).cases().get(1)));
        Files.writeString(reports.resolve("TEST-broken.xml"), "<testsuite name=\"cut off");
        Files.writeString(
                reports.resolve("TEST-doctype.xml"),
                "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><testsuite>&e;</testsuite>");
        read = HtmlReport.suites(reports);
        assertEquals(3, read.size()); // in file order: TEST-broken, TEST-doctype, TEST-org...KernelNodeTest
        assertEquals("KernelNodeTest", read.get(2).name(), "the good report is still read");
        for (HtmlReport.Suite bad : read.subList(0, 2)) {
            assertTrue(bad.name().contains("not a well-formed report"), bad.name());
            assertEquals(1, bad.errors(), "shown in error");
        }
        assertTrue(read.get(1).name().contains("DOCTYPE"), "no DTD is read, so no entity is fetched: " + read.get(1));
        assertTrue(page.contains("<span class=\"bad\">expected &lt;1&gt;</span>"), "the failed check, unescaped once");
        assertTrue(page.contains("idle &lt;timeout&gt;"), "the check's name, escaped once");
        assertTrue(page.contains("<td class=\"num\">8,609</td>"), "the edge cover's figures");
        assertTrue(page.contains("Send, RecvAck"), "its actions");
        assertTrue(page.contains("<td class=\"num\">8,609 of 8,609</td>"), "the edges replayed, of the model's");
        assertTrue(page.contains("<td class=\"num\">2,079 of 2,079</td>"), "the paths replayed, of the cover's");
        assertTrue(page.contains("Send&nbsp;1,200, &lt;Recv&gt;&nbsp;7"), "the actions taken, escaped");
        assertTrue(page.contains("kernel-lab: kernel 6.1.0-28-amd64"), "the kernel the lab ran");
        assertTrue(page.contains("Test results of 20"), "when the results were written");
        assertTrue(page.contains("1 conformance failure(s) kept") && page.contains("mh[1] differs"), "the failure");
        assertTrue(
                page.contains(
                        "<div class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\"><text>DIVERGED: x</text>"),
                "the failure's chart, inline without its XML declaration");
        assertTrue(
                page.contains("<code>cover.jsonl#4</code> step 7 (<code>RecvDup</code>)"), "where the bug was caught");
        assertTrue(page.contains("runs &lt;every&gt; duplicate"), "what the bug changes, escaped");
        assertTrue(page.contains("<td class=\"bad\">not caught (300 traces)</td>"), "a file that did not catch it");
        assertTrue(
                page.contains("<details id=\"bug-NO_DEDUP\">") && page.contains("<text>DIVERGED: the states differ"),
                "the bug's chart");
        assertTrue(page.contains("<h3>One round trip: v13</h3>") && page.contains("<td class=\"num\">2.01</td>"));
        assertTrue(page.contains("<p class=\"muted\">Three runs of <code>x</code></p>"), "how it was measured");
        assertTrue(
                page.contains("<h3>Ratios: the others</h3>\n<p class=\"muted\">Command: <code>bin/o2net-bench</code>,"
                        + " 2026-11-24.</p>"),
                "the results' ratios and their command");
        assertFalse(page.contains("Recovery"), "not a ratio table");
        assertFalse(page.contains(
                "id=\"kernel\"><h2>Kernel lab: our nodes and the Linux kernel's o2net</h2><p class=\"bad\">Not run"));
    }

    @Test
    void aFindingHasItsNoteAndItsChart() throws Exception {
        // a real TLC run of the smallest finding: today's o2net loses a call while R is alive
        Manifest manifest = Manifest.read(Path.of("models.json"));
        ModelSpec model = manifest.select("ci", List.of("MCO2netNoRetry")).get(0);
        Check check;
        try (ModelRunner runner =
                new ModelRunner(Path.of("tla"), RunSettings.fromSystemProperties(root.resolve("tlc")))) {
            check = runner.check(model);
        }
        assertTrue(check.ok(), () -> Report.explain(check));
        String section = HtmlReport.modelsSection(List.of(check));
        assertTrue(section.contains("<div class=\"finding\" id=\"finding-MCO2netNoRetry\">"), section);
        assertTrue(section.contains(HtmlReport.escape(model.note())), "the model's paragraph");
        assertTrue(section.contains("<svg") && section.contains("</svg>"), "the chart, inline");
        assertFalse(section.contains("<?xml"), "no XML declaration inside the page");
        assertTrue(section.contains("<a href=\"#finding-MCO2netNoRetry\">MCO2netNoRetry</a>"), "linked from its row");
        assertTrue(section.contains("violated"), "the property table");
        Path fragment = HtmlReport.writeModels(List.of(check), root.resolve("spec/target"));
        assertTrue(HtmlReport.page(root).contains(Files.readString(fragment)), "the page takes the fragment");
    }
}
