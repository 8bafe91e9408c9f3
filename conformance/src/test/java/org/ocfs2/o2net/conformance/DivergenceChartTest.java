// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.ocfs2.o2net.spec.chart.SequenceChart;
import org.ocfs2.o2net.spec.chart.SvgChart;
import org.ocfs2.o2net.spec.chart.TextChart;

/**
 * A conformance failure as a message sequence chart: the states of TLC's traces, written back as TLA+ text, are the
 * values they were; every trace of both edge covers can be drawn; a known divergence is drawn up to its step with the
 * band that says what went wrong, in the failure's message and as SVG.
 */
@DisabledIfSystemProperty(named = "conformance.trace", matches = ".+")
class DivergenceChartTest {

    /** Every variable of every state of {@code file}: its TLA+ text parses back to the same JSON value. */
    private static int roundTrips(Path file) {
        int[] states = {0};
        Trace.forEach(file, t -> {
            for (Step s : t.steps()) {
                for (Map.Entry<String, JsonNode> v : iterable(s.state())) {
                    String text = DivergenceChart.tla(v.getValue());
                    assertEquals(
                            v.getValue().toString(),
                            TlaParser.value(text).json().toString(),
                            () -> t.name() + " " + s.label() + ": " + v.getKey() + " written as " + text);
                }
                states[0]++;
            }
            SequenceChart chart = SequenceChart.of(t.name(), DivergenceChart.counterexample(t.steps()), null);
            assertNotNull(chart, () -> t.name() + " cannot be drawn");
            assertEquals(
                    t.steps().size(),
                    chart.rows().stream()
                            .filter(r -> r.kind() == SequenceChart.Kind.STEP)
                            .count(),
                    () -> t.name() + ": one STEP row per step");
        });
        return states[0];
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode o) {
        return o::fields;
    }

    @Test
    void everyStateOfBothEdgeCoversIsWrittenAsTheValueItIsAndEveryTraceDrawn() {
        int v12 = roundTrips(Generated.get().cover);
        int v13 = roundTrips(Generated.ack().cover());
        assertTrue(v12 > 1_000 && v13 > 1_000, "states checked: " + v12 + " and " + v13);
    }

    @Test
    void valuesTheChartReadsAreWrittenAsTlaText() {
        assertEquals(
                "[kind |-> msg, seq |-> 1, val |-> <<c1, 1>>]",
                DivergenceChart.tla(jsonOf("{\"kind\":\"msg\",\"seq\":1,\"val\":[\"c1\",1]}")));
        assertEquals("(1 :> TRUE @@ 2 :> FALSE)", DivergenceChart.tla(jsonOf("{\"1\":true,\"2\":false}")));
        assertEquals("(<<c1, 1>> :> none)", DivergenceChart.tla(jsonOf("{\"<<c1, 1>>\":\"none\"}")));
        assertEquals("<<>>", DivergenceChart.tla(jsonOf("{}")));
        assertEquals("\"a b\\\"c\"", DivergenceChart.tla(jsonOf("\"a b\\\"c\"")));
    }

    private static JsonNode jsonOf(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aLostFrameIsDrawnUpToTheReceiveThatDivergedWithTheBandThatSaysWhy() throws Exception {
        Predicate<Step> recv = s -> s.action().equals("RecvMsg");
        Trace t = NegativeTest.traceWith(recv);
        // the driver drops the first RecvMsg: the implementation's R never gets the frame the spec's R received
        ConformanceFailure f =
                assertThrows(ConformanceFailure.class, () -> Replayer.replay(t, NegativeTest.losingFirst(recv)));
        SequenceChart chart = DivergenceChart.of(f);
        assertNotNull(chart);
        assertTrue(chart.title().contains(t.name() + " diverges at step " + f.step()), chart.title());
        List<SequenceChart.Row> steps = chart.rows().stream()
                .filter(r -> r.kind() == SequenceChart.Kind.STEP)
                .toList();
        assertEquals(f.step() + 1, steps.size(), "Init up to the failing step, no further");
        assertEquals(f.label(), steps.get(steps.size() - 1).text());
        assertEquals(f.step(), steps.get(steps.size() - 1).step(), "numbered as the trace's steps, Init 0");
        SequenceChart.Row last = chart.rows().get(chart.rows().size() - 1);
        assertEquals(SequenceChart.Kind.VIOLATION, last.kind());
        String first = f.difference().get(0);
        assertTrue(
                last.text()
                        .startsWith(
                                "DIVERGED: " + f.problem() + ": " + first.substring(0, Math.min(97, first.length()))),
                "the problem and the first difference: " + last.text() + " / " + f.difference());
        assertEquals(f.difference().size() > 1, last.text().endsWith(" more)"), last.text());
        // the frame the spec's R received at that step, drawn as sent earlier and received at the failing step
        SequenceChart.Row received = chart.rows().stream()
                .filter(r -> r.kind() == SequenceChart.Kind.RECEIVE && r.step() == f.step())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no receive at the failing step:\n" + TextChart.render(chart)));
        assertEquals(SequenceChart.R, received.to());
        assertTrue(chart.frames().get(received.frame()).sentRow() < chart.rows().indexOf(received));

        String text = TextChart.render(chart);
        assertTrue(text.contains(last.text()), text);
        assertTrue(f.getMessage().contains("chart:\n") && f.getMessage().contains("DIVERGED: "), f.getMessage());
        String svg = SvgChart.render(chart);
        DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertTrue(svg.contains("DIVERGED: "), "the band in the SVG");
    }

    @Test
    void aStepOutsideTheTraceIsRefused() {
        Trace t = Trace.read(Generated.get().cover, 0);
        assertThrows(
                IllegalArgumentException.class,
                () -> DivergenceChart.of(t.name(), t.steps(), t.steps().size(), "x"));
    }
}
