// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a TLC configuration file asks TLC to check: the names in its {@code INVARIANT(S)} and
 * {@code PROPERTY}/{@code PROPERTIES} sections, and whether deadlock is checked
 * ({@code CHECK_DEADLOCK}). A section may name several operators, over several lines, with
 * {@code \*} and {@code (* *)} comments between them.
 *
 * <p>TLC 2.18 silently accepts a section keyword followed by no name (it then checks nothing);
 * {@link #parse} rejects that.
 *
 * @param invariants    the invariants, in file order
 * @param properties    the temporal and action properties, in file order
 * @param checkDeadlock false iff the file says {@code CHECK_DEADLOCK FALSE}
 */
public record CfgFile(List<String> invariants, List<String> properties, boolean checkDeadlock) {

    private static final Set<String> KEYWORDS = Set.of(
            "CONSTANT",
            "CONSTANTS",
            "INIT",
            "NEXT",
            "SPECIFICATION",
            "INVARIANT",
            "INVARIANTS",
            "PROPERTY",
            "PROPERTIES",
            "CONSTRAINT",
            "CONSTRAINTS",
            "ACTION_CONSTRAINT",
            "ACTION_CONSTRAINTS",
            "SYMMETRY",
            "VIEW",
            "CHECK_DEADLOCK",
            "POSTCONDITION",
            "ALIAS");

    public CfgFile {
        invariants = List.copyOf(invariants);
        properties = List.copyOf(properties);
    }

    /** Reads and parses a cfg file. */
    public static CfgFile read(Path file) throws IOException {
        try {
            return parse(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses the text of a cfg file.
     *
     * @throws IllegalArgumentException on an empty or malformed INVARIANT, PROPERTY or CHECK_DEADLOCK section
     */
    public static CfgFile parse(String text) {
        List<String> invariants = new ArrayList<>();
        List<String> properties = new ArrayList<>();
        boolean checkDeadlock = true;
        List<String> tokens = tokens(text);
        int i = 0;
        while (i < tokens.size()) {
            String keyword = tokens.get(i++);
            if (!KEYWORDS.contains(keyword)) {
                throw new IllegalArgumentException("expected a keyword, found \"" + keyword + "\"");
            }
            List<String> args = new ArrayList<>();
            while (i < tokens.size() && !KEYWORDS.contains(tokens.get(i))) {
                args.add(tokens.get(i++));
            }
            switch (keyword) {
                case "INVARIANT", "INVARIANTS" -> invariants.addAll(names(keyword, args));
                case "PROPERTY", "PROPERTIES" -> properties.addAll(names(keyword, args));
                case "CHECK_DEADLOCK" -> {
                    if (args.size() != 1 || !args.get(0).matches("TRUE|FALSE")) {
                        throw new IllegalArgumentException("CHECK_DEADLOCK must be followed by TRUE or FALSE");
                    }
                    checkDeadlock = args.get(0).equals("TRUE");
                }
                case "SPECIFICATION", "INIT", "NEXT", "VIEW" -> {
                    if (args.size() != 1) {
                        throw new IllegalArgumentException(keyword + " takes one name, found " + args);
                    }
                }
                default -> {}
            }
        }
        return new CfgFile(invariants, properties, checkDeadlock);
    }

    private static List<String> names(String keyword, List<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException(keyword + " names nothing (TLC would silently check nothing)");
        }
        for (String name : args) {
            if (!name.matches("[A-Za-z0-9_]+")) {
                throw new IllegalArgumentException(keyword + " expects operator names, found \"" + name + "\"");
            }
        }
        return args;
    }

    /** Splits the text into identifiers, strings and single other characters, dropping comments. */
    private static List<String> tokens(String s) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (s.startsWith("\\*", i)) {
                int eol = s.indexOf('\n', i);
                i = eol < 0 ? s.length() : eol + 1;
            } else if (s.startsWith("(*", i)) {
                i = endOfComment(s, i);
            } else if (c == '"') {
                int end = i + 1;
                while (end < s.length() && s.charAt(end) != '"') {
                    end += s.charAt(end) == '\\' ? 2 : 1;
                }
                tokens.add(s.substring(i, Math.min(end + 1, s.length())));
                i = end + 1;
            } else if (Character.isLetterOrDigit(c) || c == '_') {
                int end = i;
                while (end < s.length() && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_')) {
                    end++;
                }
                tokens.add(s.substring(i, end));
                i = end;
            } else {
                tokens.add(String.valueOf(c));
                i++;
            }
        }
        return tokens;
    }

    /** The index after the (possibly nested) block comment starting at {@code start}. */
    private static int endOfComment(String s, int start) {
        int depth = 0;
        int i = start;
        while (i < s.length()) {
            if (s.startsWith("(*", i)) {
                depth++;
                i += 2;
            } else if (s.startsWith("*)", i)) {
                i += 2;
                if (--depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        throw new IllegalArgumentException("unterminated (* comment");
    }
}
