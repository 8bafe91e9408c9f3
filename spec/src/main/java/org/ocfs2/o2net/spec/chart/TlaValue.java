// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec.chart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A TLA+ value as TLC prints it in a counterexample, read back into a tree so that a chart can compare two states
 * frame by frame. Only what TLC prints is understood: strings, integers, booleans, model values, tuples and
 * sequences ({@code <<a, b>>}), records ({@code [k |-> v]}), sets ({@code {a, b}}) and functions
 * ({@code (k :> v @@ ...)}).
 */
public sealed interface TlaValue {

    /** {@code "text"}. */
    record Str(String value) implements TlaValue {
        @Override
        public String toString() {
            return value;
        }
    }

    /** An integer. */
    record Num(long value) implements TlaValue {
        @Override
        public String toString() {
            return Long.toString(value);
        }
    }

    /** {@code TRUE}, {@code FALSE}. */
    record Bool(boolean value) implements TlaValue {
        @Override
        public String toString() {
            return value ? "TRUE" : "FALSE";
        }
    }

    /** A model value or other bare name, e.g. {@code c1}, {@code NoCall}. */
    record Name(String value) implements TlaValue {
        @Override
        public String toString() {
            return value;
        }
    }

    /** {@code <<a, b>>}: a tuple or sequence, the function from {@code 1..n}. */
    record Seq(List<TlaValue> items) implements TlaValue {
        public Seq {
            items = List.copyOf(items);
        }

        @Override
        public String toString() {
            return items.stream().map(TlaValue::toString).collect(Collectors.joining(",", "<<", ">>"));
        }
    }

    /** {@code [k |-> v, ...]}. */
    record Rec(Map<String, TlaValue> fields) implements TlaValue {
        public Rec {
            fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        public TlaValue get(String field) {
            return fields.get(field);
        }

        @Override
        public String toString() {
            return fields.entrySet().stream()
                    .map(e -> e.getKey() + ":" + e.getValue())
                    .collect(Collectors.joining(", ", "[", "]"));
        }
    }

    /** {@code {a, b}}. */
    record SetOf(List<TlaValue> items) implements TlaValue {
        public SetOf {
            items = List.copyOf(items);
        }

        @Override
        public String toString() {
            return items.stream().map(TlaValue::toString).collect(Collectors.joining(", ", "{", "}"));
        }
    }

    /** {@code (k :> v @@ ...)}. */
    record Fun(Map<TlaValue, TlaValue> map) implements TlaValue {
        public Fun {
            map = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
        }

        @Override
        public String toString() {
            return map.entrySet().stream()
                    .map(e -> e.getKey() + ":" + e.getValue())
                    .collect(Collectors.joining(", ", "(", ")"));
        }
    }

    /**
     * This value seen as a function: a sequence from its indices (from 1), a record from its field names, a function
     * as itself; anything else is the empty function.
     */
    default Map<TlaValue, TlaValue> asFunction() {
        Map<TlaValue, TlaValue> out = new LinkedHashMap<>();
        if (this instanceof Seq s) {
            for (int i = 0; i < s.items().size(); i++) {
                out.put(new Num(i + 1), s.items().get(i));
            }
        } else if (this instanceof Rec r) {
            r.fields().forEach((k, v) -> out.put(new Name(k), v));
        } else if (this instanceof Fun f) {
            out.putAll(f.map());
        }
        return out;
    }

    /** The items of a sequence; of an empty function ({@code <<>>} is both), none; else null. */
    default List<TlaValue> asSequence() {
        if (this instanceof Seq s) {
            return s.items();
        }
        if (this instanceof Fun f && f.map().isEmpty()) {
            return List.of();
        }
        return null;
    }

    /** Reads one value; throws {@link IllegalArgumentException} naming the offset where the text stops making sense. */
    static TlaValue parse(String text) {
        Parser p = new Parser(text);
        TlaValue v = p.value();
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("end of value");
        }
        return v;
    }

    /** A recursive-descent reader of TLC's value syntax. */
    final class Parser {
        private final String s;
        private int pos;

        private Parser(String s) {
            this.s = s;
        }

        private IllegalArgumentException error(String expected) {
            return new IllegalArgumentException("TLA+ value: expected " + expected + " at offset " + pos + " of: " + s);
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private boolean eat(String token) {
            skipSpace();
            if (s.startsWith(token, pos)) {
                pos += token.length();
                return true;
            }
            return false;
        }

        private void expect(String token) {
            if (!eat(token)) {
                throw error("'" + token + "'");
            }
        }

        private TlaValue value() {
            skipSpace();
            if (pos >= s.length()) {
                throw error("a value");
            }
            char c = s.charAt(pos);
            if (eat("<<")) {
                List<TlaValue> items = list(">>");
                return new Seq(items);
            }
            if (c == '[') {
                pos++;
                Map<String, TlaValue> fields = new LinkedHashMap<>();
                if (!eat("]")) {
                    do {
                        String k = name();
                        expect("|->");
                        fields.put(k, value());
                    } while (eat(","));
                    expect("]");
                }
                return new Rec(fields);
            }
            if (c == '{') {
                pos++;
                return new SetOf(list("}"));
            }
            if (c == '(') {
                pos++;
                TlaValue first = value();
                if (eat(")")) {
                    return first;
                }
                Map<TlaValue, TlaValue> map = new LinkedHashMap<>();
                expect(":>");
                map.put(first, value());
                while (eat("@@")) {
                    TlaValue k = value();
                    expect(":>");
                    map.put(k, value());
                }
                expect(")");
                return new Fun(map);
            }
            if (c == '"') {
                int end = s.indexOf('"', pos + 1);
                if (end < 0) {
                    throw error("a closing quote");
                }
                String str = s.substring(pos + 1, end);
                pos = end + 1;
                return new Str(str);
            }
            if (c == '-' || Character.isDigit(c)) {
                int start = pos++;
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                    pos++;
                }
                return new Num(Long.parseLong(s.substring(start, pos)));
            }
            String n = name();
            return switch (n) {
                case "TRUE" -> new Bool(true);
                case "FALSE" -> new Bool(false);
                default -> new Name(n);
            };
        }

        private List<TlaValue> list(String close) {
            List<TlaValue> items = new ArrayList<>();
            if (eat(close)) {
                return items;
            }
            do {
                items.add(value());
            } while (eat(","));
            expect(close);
            return items;
        }

        private String name() {
            skipSpace();
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            if (start == pos) {
                throw error("a name");
            }
            return s.substring(start, pos);
        }
    }
}
