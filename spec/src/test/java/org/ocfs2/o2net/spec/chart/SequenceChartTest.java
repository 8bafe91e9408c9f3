// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ocfs2.o2net.spec.Check;
import org.ocfs2.o2net.spec.Counterexample;
import org.ocfs2.o2net.spec.Manifest;
import org.ocfs2.o2net.spec.ModelRunner;
import org.ocfs2.o2net.spec.Report;
import org.ocfs2.o2net.spec.RunSettings;
import org.w3c.dom.Document;

/**
 * Charts of counterexamples TLC prints for two findings of spec/README.md (today's o2net with retrying callers, the
 * RFC as written with a receiver restart): the traces come from TLC runs in this test, and the charts must tell the
 * story the README tells, frame by frame.
 */
class SequenceChartTest {
    private static Map<String, Check> checks;

    @BeforeAll
    static void runTlc() throws Exception {
        Manifest manifest = Manifest.read(Path.of("models.json"));
        try (ModelRunner runner =
                new ModelRunner(Path.of("tla"), RunSettings.fromSystemProperties(Path.of("target/tlc-charts")))) {
            List<CompletableFuture<Check>> f =
                    runner.start(manifest.select("all", List.of("MCRfcReceiverRestart", "MCO2netRetry")));
            checks = Map.of(
                    f.get(0).join().model().name(), f.get(0).join(),
                    f.get(1).join().model().name(), f.get(1).join());
        }
    }

    @Test
    void receiverRestartShowsTheResendRunningTheHandlerTwice() {
        SequenceChart chart = Report.chart(checks.get("MCRfcReceiverRestart"));
        assertNotNull(chart, "a chart for a counterexample with frames");
        assertEquals(List.of("c1", "c2", "S", "R", "handler"), chart.lanes());
        assertEquals("ExactlyOnceInv", chart.violated());
        // MSG, its STATUS (lost in R's restart), the re-sent MSG, its STATUS: four frames.
        assertEquals(4, chart.frames().size(), () -> TextChart.render(chart));
        SequenceChart.Frame msg = chart.frames().get(1);
        assertTrue(msg.label().startsWith("MSG seq=1"), msg.label());
        assertFalse(msg.lost());
        SequenceChart.Frame status = chart.frames().get(2);
        assertTrue(status.label().startsWith("STATUS seq=1"), status.label());
        assertTrue(status.lost(), "the first status is lost when R restarts");
        assertEquals(SequenceChart.Kind.CUT, chart.rows().get(status.endRow()).kind());
        SequenceChart.Frame resent = chart.frames().get(3);
        assertEquals(msg.label(), resent.label(), "the same message, sent again");
        assertEquals(-1, chart.frames().get(4).endRow(), "the last status is still in flight");
        long runs = chart.rows().stream()
                .filter(r -> r.kind() == SequenceChart.Kind.NOTE && r.from().equals(SequenceChart.HANDLER))
                .count();
        assertEquals(2, runs, "the handler runs twice");
        SequenceChart.Row last = chart.rows().get(chart.rows().size() - 1);
        assertEquals(SequenceChart.Kind.VIOLATION, last.kind());

        String text = TextChart.render(chart);
        assertTrue(text.contains("handler: runs <<c1,1>> (run 2!)"), text);
        assertTrue(text.contains("connection closed: lost #2"), text);
        assertTrue(text.contains("R: restart: incarnation 1 -> 2"), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("\\s+4 RecvMsg\\s+\\|\\s+\\|\\s+\\|-+>\\|.*received")), text);
        assertTrue(text.chars().allMatch(c -> c < 128), "plain ASCII, for any terminal and log");
    }

    @Test
    void todaysO2netWithRetryShowsTheLostStatusAndTheSecondRun() {
        SequenceChart chart = Report.chart(checks.get("MCO2netRetry"));
        assertNotNull(chart);
        String text = TextChart.render(chart);
        assertTrue(text.contains("call <<c1,1>>"), text);
        assertTrue(
                text.contains("returns") || chart.frames().values().stream().anyMatch(SequenceChart.Frame::lost), text);
        assertTrue(text.contains("(run 2!)"), text);
        assertTrue(text.contains("VIOLATED: ExactlyOnceInv"), text);
    }

    @Test
    void svgIsWellFormedAndLabelsEveryFrame() throws Exception {
        SequenceChart chart = Report.chart(checks.get("MCRfcReceiverRestart"));
        String svg = SvgChart.render(chart);
        Document doc = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        String all = doc.getDocumentElement().getTextContent();
        for (SequenceChart.Frame f : chart.frames().values()) {
            assertTrue(all.contains("#" + f.id() + " " + f.label()), f.label());
        }
        assertTrue(all.contains("VIOLATED: ExactlyOnceInv"));
    }

    @Test
    void noChartWithoutFrameQueues() {
        Counterexample toy = new Counterexample(
                List.of(new Counterexample.State(1, "Initial predicate", Map.of("x", "0"))), null, false);
        assertNull(SequenceChart.of("toy", toy, null));
    }

    @Test
    void readsWhatTlcPrints() {
        TlaValue v = TlaValue.parse("<<[kind |-> \"msg\", seq |-> 1, val |-> <<c1, 1>>]>>");
        TlaValue.Rec frame = (TlaValue.Rec) v.asSequence().get(0);
        assertEquals("msg", frame.get("kind").toString());
        assertEquals(new TlaValue.Num(1), frame.get("seq"));
        TlaValue f = TlaValue.parse("(<<c1, 1>> :> 0 @@ <<c2, 1>> :> -2)");
        assertEquals(2, f.asFunction().size());
        assertEquals(new TlaValue.Num(-2), f.asFunction().get(TlaValue.parse("<<c2, 1>>")));
        assertEquals(List.of(), TlaValue.parse("<<>>").asSequence());
        assertEquals(
                new TlaValue.Bool(true),
                TlaValue.parse("(c1 :> TRUE)").asFunction().get(new TlaValue.Name("c1")));
        assertEquals(
                2,
                ((TlaValue.SetOf) TlaValue.parse("{<<c1, 1>>, <<c2, 2>>}"))
                        .items()
                        .size());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> TlaValue.parse("[a |-> ]"));
        assertTrue(e.getMessage().contains("offset"), e.getMessage());
    }
}
