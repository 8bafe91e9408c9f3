// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TlaParserTest {

    private static String json(String tla) {
        return TlaParser.value(tla).json().toString();
    }

    @Test
    void scalars() {
        assertEquals("42", json("42"));
        assertEquals("-7", json(" -7 "));
        assertEquals("true", json("TRUE"));
        assertEquals("false", json("FALSE"));
        assertEquals("\"msg\"", json("\"msg\""));
        assertEquals("\"a\\\"b\\\\c\\n\"", json("\"a\\\"b\\\\c\\n\""));
        assertEquals("\"NoCall\"", json("NoCall"));
    }

    @Test
    void composites() {
        assertEquals("[]", json("<<>>"));
        assertEquals("[\"c1\",1]", json("<<c1, 1>>"));
        assertEquals("{\"R\":1,\"S\":2}", json("[S |-> 2, R |-> 1]"));
        assertEquals("[]", json("{}"));
        assertEquals("[[\"c1\",1],[\"c2\",1]]", json("{<<c2, 1>>, <<c1, 1>>}"));
        assertEquals(
                "{\"2\":{\"call\":[\"c1\",1],\"phase\":\"msg\",\"status\":\"NoCall\"}}",
                json("(2 :> [phase |-> \"msg\", call |-> <<c1, 1>>, status |-> NoCall])"));
        assertEquals("{\"<<c1, 1>>\":0,\"<<c2, 1>>\":1}", json("( <<c2, 1>> :> 1 @@\n  <<c1, 1>> :> 0 )"));
        assertEquals("{\"2\":\"b\",\"10\":\"a\"}", json("(10 :> \"a\" @@ 2 :> \"b\")"));
        assertEquals(json("<<\"a\", \"b\">>"), json("(2 :> \"b\" @@ 1 :> \"a\")"));
        assertEquals(json("[S |-> 1]"), json("(\"S\" :> 1)"));
    }

    @Test
    void equalValuesHaveEqualJson() {
        assertEquals(json("{c2, c1}"), json("{c1, c2}"));
        assertEquals(json("[b |-> 1, a |-> 2]"), json("[a |-> 2, b |-> 1]"));
        assertEquals(json("(c2 :> 1 @@ c1 :> 2)"), json("(c1 :> 2 @@ c2 :> 1)"));
    }

    @Test
    void malformedValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> TlaParser.value("<<1, 2"));
        assertThrows(IllegalArgumentException.class, () -> TlaParser.value("1 2"));
        assertThrows(IllegalArgumentException.class, () -> TlaParser.value("\"open"));
        assertThrows(IllegalArgumentException.class, () -> TlaParser.value("[a |-> 1, a |-> 2]"));
        assertThrows(IllegalArgumentException.class, () -> TlaParser.value("(1 :> 2 @@ 1 :> 3)"));
        assertThrows(IllegalArgumentException.class, () -> TlaParser.value(""));
    }

    private static final String TRACE = """
            ---------------- MODULE /tmp/sim/trace_0_0 -----------------
            STATE_1 ==\s
            /\\ x = 0
            /\\ act = [name |-> "Init"]


            STATE_2 ==\s
            /\\ x = ( 1 :> <<a,
              b>> )
            /\\ act = [name |-> "Send", c |-> c1]


            STATE_3 ==\s
            /\\ x = 1
            /\\ act = [name |-> "Done"]


            STATE_4 ==\s
            /\\ x = 1
            /\\ act = [name |-> "Done"]

            =================================================
            """;

    @Test
    void simulationTraceFiles() {
        List<Map<String, TlaValue>> states = TlaParser.trace(TRACE);
        assertEquals(4, states.size());
        assertEquals(List.of("x", "act"), List.copyOf(states.get(1).keySet()));
        assertEquals("[[\"a\",\"b\"]]", states.get(1).get("x").json().toString());
        assertThrows(IllegalArgumentException.class, () -> TlaParser.trace(TRACE.replace("STATE_3", "STATE_5")));
    }

    @Test
    void simulationTracesNameTheirActionsAndStutterOnce() {
        Trace t = Generate.simTrace(Path.of("trace_0_0"), TRACE);
        assertEquals("trace_0_0", t.name());
        assertEquals(
                List.of("Init", "Send(c1)", "Done"),
                t.steps().stream().map(Step::label).toList());
        assertEquals("{\"x\":[[\"a\",\"b\"]]}", t.steps().get(1).state().toString());
    }
}
