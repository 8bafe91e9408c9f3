// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recursive-descent parser for the TLA+ values TLC prints, and for the trace files of {@code tlc2.TLC -simulate}.
 * <p>
 * Values ({@link TlaValue}):
 * <pre>
 * value  ::= int | string | TRUE | FALSE | ident                    integer, string, boolean, model value
 *          | "&lt;&lt;" [value {"," value}] "&gt;&gt;"                        tuple
 *          | "[" ident "|-&gt;" value {"," ident "|-&gt;" value} "]"      record
 *          | "{" [value {"," value}] "}"                          set
 *          | "(" value ":&gt;" value {"@@" value ":&gt;" value} ")"      function
 * int    ::= ["-"] digit {digit}
 * string ::= '"' {char | '\"' | '\\' | '\n' | '\t'} '"'
 * </pre>
 * A function whose domain is {@code 1..n} is read as a tuple, one whose domain is a set of strings as a record, as
 * TLC prints them. Whitespace, line breaks included, separates tokens anywhere. A trace file is a pseudo-module of
 * {@code STATE_k ==} blocks, {@code k} from 1, each a conjunction {@code /\ var = value} of every variable.
 */
public final class TlaParser {
    private static final Pattern STATE = Pattern.compile("(?m)^STATE_(\\d+) ==");
    private static final Pattern END = Pattern.compile("(?m)^={4,}\\s*$");

    private final String in;
    private int pos;

    private TlaParser(String in) {
        this.in = in;
    }

    /**
     * Parses one value.
     *
     * @throws IllegalArgumentException if {@code text} is not exactly one value
     */
    public static TlaValue value(String text) {
        TlaParser p = new TlaParser(text);
        TlaValue v = p.value();
        p.end();
        return v;
    }

    /**
     * Parses a state: the conjunction {@code /\ var = value /\ ...} (the first {@code /\} may be missing).
     *
     * @return the variables in the order given
     */
    public static Map<String, TlaValue> state(String text) {
        TlaParser p = new TlaParser(text);
        Map<String, TlaValue> vars = new LinkedHashMap<>();
        p.skip();
        boolean first = true;
        while (p.pos < p.in.length()) {
            if (!p.accept("/\\") && !first) {
                throw p.error("/\\");
            }
            first = false;
            String name = p.ident();
            p.expect("=");
            if (vars.put(name, p.value()) != null) {
                throw new IllegalArgumentException("variable " + name + " twice in one state");
            }
            p.skip();
        }
        return vars;
    }

    /**
     * Parses a trace file written by {@code tlc2.TLC -simulate num=N,file=PREFIX}.
     *
     * @return the states in order, {@code STATE_1} first
     * @throws IllegalArgumentException if the blocks are not numbered 1, 2, ... or a state does not parse
     */
    public static List<Map<String, TlaValue>> trace(String file) {
        Matcher end = END.matcher(file);
        String body = end.find() ? file.substring(0, end.start()) : file;
        Matcher m = STATE.matcher(body);
        List<int[]> blocks = new ArrayList<>();
        while (m.find()) {
            if (Integer.parseInt(m.group(1)) != blocks.size() + 1) {
                throw new IllegalArgumentException(
                        "STATE_" + m.group(1) + " where STATE_" + (blocks.size() + 1) + " was expected");
            }
            blocks.add(new int[] {m.start(), m.end()});
        }
        List<Map<String, TlaValue>> states = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            int to = i + 1 < blocks.size() ? blocks.get(i + 1)[0] : body.length();
            states.add(state(body.substring(blocks.get(i)[1], to)));
        }
        return states;
    }

    private TlaValue value() {
        skip();
        if (pos >= in.length()) {
            throw error("a value");
        }
        char c = in.charAt(pos);
        if (accept("<<")) {
            List<TlaValue> elements = new ArrayList<>();
            if (!accept(">>")) {
                do {
                    elements.add(value());
                } while (accept(","));
                expect(">>");
            }
            return new TlaValue.Tuple(elements);
        }
        if (accept("[")) {
            TreeMap<String, TlaValue> fields = new TreeMap<>();
            do {
                String f = ident();
                expect("|->");
                if (fields.put(f, value()) != null) {
                    throw new IllegalArgumentException("field " + f + " twice in a record at " + pos);
                }
            } while (accept(","));
            expect("]");
            return new TlaValue.Rec(fields);
        }
        if (accept("{")) {
            TreeSet<TlaValue> elements = new TreeSet<>();
            if (!accept("}")) {
                do {
                    elements.add(value());
                } while (accept(","));
                expect("}");
            }
            return new TlaValue.SetOf(elements);
        }
        if (accept("(")) {
            TreeMap<TlaValue, TlaValue> map = new TreeMap<>();
            do {
                TlaValue k = value();
                expect(":>");
                if (map.put(k, value()) != null) {
                    throw new IllegalArgumentException("key " + k + " twice in a function at " + pos);
                }
            } while (accept("@@"));
            expect(")");
            return function(map);
        }
        if (c == '"') {
            return new TlaValue.Str(string());
        }
        if (c == '-' || Character.isDigit(c)) {
            int start = pos++;
            while (pos < in.length() && Character.isDigit(in.charAt(pos))) {
                pos++;
            }
            try {
                return new TlaValue.Int(Long.parseLong(in.substring(start, pos)));
            } catch (NumberFormatException e) {
                throw error("an integer");
            }
        }
        String id = ident();
        return switch (id) {
            case "TRUE" -> new TlaValue.Bool(true);
            case "FALSE" -> new TlaValue.Bool(false);
            default -> new TlaValue.Model(id);
        };
    }

    /**
     * A function as the kind of value it is: a tuple if its domain is {@code 1..n}, a record if its domain is a set
     * of strings (TLC prints these so; equal values must have one form).
     */
    private static TlaValue function(TreeMap<TlaValue, TlaValue> map) {
        long i = 1;
        boolean tuple = true;
        boolean record = true;
        for (TlaValue k : map.keySet()) {
            tuple &= k instanceof TlaValue.Int n && n.value() == i++;
            record &= k instanceof TlaValue.Str;
        }
        if (tuple) {
            return new TlaValue.Tuple(List.copyOf(map.values()));
        }
        if (record) {
            TreeMap<String, TlaValue> fields = new TreeMap<>();
            map.forEach((k, v) -> fields.put(((TlaValue.Str) k).value(), v));
            return new TlaValue.Rec(fields);
        }
        return new TlaValue.Fcn(map);
    }

    private String string() {
        StringBuilder sb = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= in.length()) {
                throw error("the end of the string");
            }
            char c = in.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\') {
                if (pos >= in.length()) {
                    throw error("an escaped character");
                }
                char e = in.charAt(pos++);
                sb.append(
                        switch (e) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            case 'r' -> '\r';
                            case 'f' -> '\f';
                            case '"', '\\' -> e;
                            default -> throw error("an escape sequence");
                        });
            } else {
                sb.append(c);
            }
        }
    }

    private String ident() {
        skip();
        int start = pos;
        while (pos < in.length() && (Character.isLetterOrDigit(in.charAt(pos)) || in.charAt(pos) == '_')) {
            pos++;
        }
        if (start == pos) {
            throw error("an identifier");
        }
        return in.substring(start, pos);
    }

    private boolean accept(String token) {
        skip();
        if (in.startsWith(token, pos)) {
            pos += token.length();
            return true;
        }
        return false;
    }

    private void expect(String token) {
        if (!accept(token)) {
            throw error("\"" + token + "\"");
        }
    }

    private void end() {
        skip();
        if (pos < in.length()) {
            throw error("the end of the text");
        }
    }

    private void skip() {
        while (pos < in.length() && Character.isWhitespace(in.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String expected) {
        int from = Math.max(0, pos - 20);
        int to = Math.min(in.length(), pos + 20);
        return new IllegalArgumentException("expected " + expected + " at offset " + pos + ": ..."
                + in.substring(from, pos) + "^" + in.substring(pos, to) + "...");
    }
}
