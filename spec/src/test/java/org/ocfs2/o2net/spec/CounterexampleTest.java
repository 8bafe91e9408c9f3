// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CounterexampleTest {

    private static Map<String, String> values(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    @Test
    void printsOnlyChangedVariablesAndLongValuesOnLinesOfTheirOwn() {
        String longSet = "{ [seq |-> 0, payload |-> \"abcdefghij\"],\n  [seq |-> 1, payload |-> \"klmnopqrst\"] }";
        Counterexample cex = new Counterexample(
                List.of(
                        new Counterexample.State(1, "Initial predicate", values("msgs", "{}", "n", "0")),
                        new Counterexample.State(2, "Send(c1)", values("msgs", longSet, "n", "2")),
                        new Counterexample.State(3, "Noop", values("msgs", longSet, "n", "2"))),
                new Counterexample.Loop(2, "Recv"),
                false);
        assertEquals("""
                  1: Initial predicate
                      msgs = {}
                      n = 0
                  2: Send(c1)
                      msgs:
                          {}
                       -> { [seq |-> 0, payload |-> "abcdefghij"],
                            [seq |-> 1, payload |-> "klmnopqrst"] }
                      n: 0 -> 2
                  3: Noop
                      (no variable changed)
                  -> back to state 2 by Recv: states 2..3 repeat for ever
                """, cex.format());
        assertEquals(3, cex.length());
    }

    @Test
    void multiLineInitialValueStaysAligned() {
        Counterexample cex = new Counterexample(
                List.of(new Counterexample.State(1, "Initial predicate", values("q", "<< 1,\n   2 >>"))), null, true);
        assertEquals("""
                  1: Initial predicate
                      q = << 1,
                             2 >>
                  2: stuttering: state 1 repeats for ever
                """, cex.format());
    }
}
