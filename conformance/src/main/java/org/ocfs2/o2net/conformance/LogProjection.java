// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Projects a cluster's event log on one ordered pair of nodes (S calls R), the one direction the spec models, and
 * writes the projections as the TLA+ module {@code TraceLog} that {@code spec/tla/TraceReliableO2net.tla} extends.
 * <p>
 * The projection on (S, R) keeps, in log order: the caller side's events of S's core towards R ({@code Send},
 * {@code RecvStatus}, {@code RecvStaleStatus}, {@code RecvRemoved}), the handler side's events of R's core towards S
 * ({@code RecvMsg}, {@code RecvDup}, {@code RunHandler}, {@code RunOrphan}, {@code RecvRemove}), and the shared
 * events of both ({@code Connect}, {@code Reset}, {@code Restart}, {@code HbNodeDown}, {@code HbNodeUp}). Every
 * event of a core appears in the projections of its two ordered pairs: its caller-side events in one, its
 * handler-side events in the other, its shared events in both.
 * <p>
 * Values become the spec's: the side is {@code "S"} or {@code "R"}; each node's incarnations are numbered 1, 2, ...
 * in the order they appear in the projection (a node's next incarnation appears only after its {@code Restart});
 * a caller keeps its name, and its calls to R are numbered 1, 2, ... in the order of its {@code Send}s, so a call is
 * {@code <<caller, k>>}, as the spec's {@code Current(c)}; a status is the call it names
 * ({@code HandlerStatus(x) == x}). A call or status that names no call the projection has seen, or a sys_status
 * other than NONE, becomes a value that matches nothing ({@code <<"?17", 0>>}, {@code <<"?sys NO_HNDLR", 0>>}).
 */
public final class LogProjection {
    /** The events of the caller side, node S. */
    public static final Set<String> SENDER = Set.of("Send", "RecvStatus", "RecvStaleStatus", "RecvRemoved");
    /** The events of the handler side, node R. */
    public static final Set<String> RECEIVER = Set.of("RecvMsg", "RecvDup", "RunHandler", "RunOrphan", "RecvRemove");
    /** The events of the connection, restarts and heartbeat: both sides. */
    public static final Set<String> SHARED = Set.of("Connect", "Reset", "Restart", "HbNodeDown", "HbNodeUp");

    /** v13 (TraceAckO2net): the caller side's events of S's core towards R. */
    public static final Set<String> SENDER_V13 = Set.of("Send", "RecvStatus", "RecvStaleStatus", "SendAck");
    /** v13: the handler side's events of R's core towards S. */
    public static final Set<String> RECEIVER_V13 =
            Set.of("RecvMsg", "RecvDup", "RunHandler", "RunOrphan", "RefuseMsg", "RecvAck");
    /**
     * v13: R's own receipts of a STATUS from S ({@code RecvStatus}, {@code RecvStaleStatus} of R's core towards S),
     * which carry S's ack: projected on (S, R) as {@code AckOnStatus} (R applies S's ack) when the ack is not 0.
     */
    public static final Set<String> ACK_ON_STATUS = Set.of("RecvStatus", "RecvStaleStatus");

    /**
     * The trace spec a log is checked against, chosen by the log's protocol.
     *
     * @param module the trace spec's module ({@code <module>.tla}, {@code <module>.cfg})
     * @param specs  the modules it needs besides itself and the generated TraceLog
     * @param window v13: the window the nodes announced ({@code LogWindow}); 0 for v12
     */
    public record Spec(String module, List<String> specs, int window) {
        /** v12: {@code TraceReliableO2net} over {@code ReliableO2net}. */
        public static final Spec V12 = new Spec("TraceReliableO2net", List.of("ReliableO2net.tla", "O2netCall.tla"), 0);

        /** v13: {@code TraceAckO2net} over {@code AckO2net}, the nodes announcing {@code window}. */
        public static Spec v13(int window) {
            if (window < 1) {
                throw new IllegalArgumentException("window " + window);
            }
            return new Spec("TraceAckO2net", List.of("AckO2net.tla", "O2netCall.tla"), window);
        }

        public Spec {
            specs = List.copyOf(specs);
        }

        /** Whether this is the v13 trace spec. */
        public boolean acked() {
            return window > 0;
        }

        /** The spec of a log file, from its header ({@code protocol}, {@code window}; none: v12). */
        public static Spec of(java.util.Map<String, String> info) {
            String protocol = info.getOrDefault("protocol", "12");
            return switch (protocol) {
                case "12" -> V12;
                case "13" -> v13(Integer.parseInt(info.getOrDefault("window", "0")));
                default -> throw new IllegalArgumentException("no trace spec for protocol " + protocol);
            };
        }
    }

    private LogProjection() {}

    /**
     * One projected log, ready for TLC.
     *
     * @param name           a name for reports ({@code run-3 2->1})
     * @param s              node S
     * @param r              node R
     * @param callers        the callers of S that called R
     * @param callsPerCaller the most calls one of them made (at least 1)
     * @param records        the events as TLA+ records, in order
     * @param kinds          how many events of each kind
     */
    public record Projected(
            String name,
            int s,
            int r,
            SortedSet<String> callers,
            int callsPerCaller,
            List<String> records,
            SortedMap<String, Integer> kinds,
            Spec spec) {
        /** A v12 projection. */
        public Projected(
                String name,
                int s,
                int r,
                SortedSet<String> callers,
                int callsPerCaller,
                List<String> records,
                SortedMap<String, Integer> kinds) {
            this(name, s, r, callers, callsPerCaller, records, kinds, Spec.V12);
        }

        public Projected {
            callers = new TreeSet<>(callers);
            records = List.copyOf(records);
            kinds = new TreeMap<>(kinds);
        }

        /** The number of events. */
        public int size() {
            return records.size();
        }
    }

    /** The projections of {@code log} on every ordered pair of the nodes it names, named {@code <name> S->R}. */
    public static List<Projected> pairs(String name, List<LogEvent> log) {
        return pairs(name, log, Spec.V12);
    }

    /** The projections of {@code log} on every ordered pair, for the trace spec {@code spec}. */
    public static List<Projected> pairs(String name, List<LogEvent> log, Spec spec) {
        SortedSet<Integer> nodes = new TreeSet<>();
        for (LogEvent e : log) {
            nodes.add(e.node());
            nodes.add(e.peer());
        }
        List<Projected> list = new ArrayList<>();
        for (int s : nodes) {
            for (int r : nodes) {
                if (s != r) {
                    list.add(project(name + " " + s + "->" + r, log, s, r, spec));
                }
            }
        }
        return list;
    }

    /** The projection of {@code log} (in order) on the ordered pair (s, r). */
    public static Projected project(String name, List<LogEvent> log, int s, int r) {
        return project(name, log, s, r, Spec.V12);
    }

    /** The projection of {@code log} (in order) on the ordered pair (s, r), for the trace spec {@code spec}. */
    public static Projected project(String name, List<LogEvent> log, int s, int r, Spec spec) {
        Set<String> sender = spec.acked() ? SENDER_V13 : SENDER;
        Set<String> receiver = spec.acked() ? RECEIVER_V13 : RECEIVER;
        Map<Long, Integer> incS = new HashMap<>();
        Map<Long, Integer> incR = new HashMap<>();
        Map<String, Integer> callsOf = new HashMap<>();
        Map<String, String> calls = new HashMap<>();
        SortedSet<String> callers = new TreeSet<>();
        SortedMap<String, Integer> kinds = new TreeMap<>();
        List<String> records = new ArrayList<>();
        int most = 1;
        for (LogEvent e : log) {
            boolean isS = e.node() == s && e.peer() == r;
            boolean isR = e.node() == r && e.peer() == s;
            boolean ackOnStatus = spec.acked() && isR && ACK_ON_STATUS.contains(e.ev()) && e.ack() != 0;
            if (!isS && !isR
                    || !(ackOnStatus || SHARED.contains(e.ev()) || (isS ? sender : receiver).contains(e.ev()))) {
                continue;
            }
            String ev = ackOnStatus ? "AckOnStatus" : e.ev();
            Map<Long, Integer> own = isS ? incS : incR;
            Map<Long, Integer> other = isS ? incR : incS;
            StringBuilder b = new StringBuilder("[e |-> ")
                    .append(string(ev))
                    .append(", n |-> ")
                    .append(isS ? "\"S\"" : "\"R\"")
                    .append(", inc |-> ")
                    .append(number(own, e.inc()));
            switch (ev) {
                case "Send" -> {
                    String c = e.caller() == null ? "?" : e.caller();
                    callers.add(c);
                    int k = callsOf.merge(c, 1, Integer::sum);
                    most = Math.max(most, k);
                    String x = "<<" + string(c) + ", " + k + ">>";
                    if (e.call() != null) {
                        calls.putIfAbsent(e.call(), x);
                    }
                    b.append(", c |-> ")
                            .append(string(c))
                            .append(", x |-> ")
                            .append(x)
                            .append(", s |-> ")
                            .append(e.seq());
                }
                case "RecvStatus", "RecvStaleStatus" ->
                    b.append(", s |-> ").append(e.seq()).append(", st |-> ").append(call(calls, e.st()));
                case "RecvRemoved", "RunHandler", "RunOrphan" ->
                    b.append(", s |-> ")
                            .append(e.seq())
                            .append(", x |-> ")
                            .append(call(calls, e.call()))
                            .append(", st |-> ")
                            .append(call(calls, e.st()));
                case "RecvMsg", "RecvDup" -> {
                    b.append(", s |-> ").append(e.seq()).append(", x |-> ").append(call(calls, e.call()));
                    if (spec.acked()) {
                        b.append(", a |-> ").append(e.ack());
                    }
                }
                case "RefuseMsg" ->
                    b.append(", s |-> ").append(e.seq()).append(", a |-> ").append(e.ack());
                case "RecvAck", "SendAck", "AckOnStatus" -> b.append(", a |-> ").append(e.ack());
                case "RecvRemove" -> b.append(", s |-> ").append(e.seq());
                case "Connect" -> b.append(", pinc |-> ").append(number(other, e.pinc()));
                case "HbNodeDown", "HbNodeUp" ->
                    b.append(", pinc |-> ")
                            .append(number(other, e.pinc()))
                            .append(", forgot |-> ")
                            .append(Boolean.TRUE.equals(e.forgot()) ? "TRUE" : "FALSE");
                default -> {}
            }
            records.add(b.append(']').toString());
            kinds.merge(ev, 1, Integer::sum);
        }
        return new Projected(name, s, r, callers, most, records, kinds, spec);
    }

    /**
     * The module {@code TraceLog} holding {@code logs} (at least one): {@code Logs}, their lengths
     * {@code LogLengths}, their names {@code LogNames}, the model's callers and calls per caller (the union and the
     * largest over the logs), and {@code LogVerbose}: whether TLC prints how far each log has been matched.
     */
    public static String module(List<Projected> logs, boolean verbose) {
        if (logs.isEmpty()) {
            throw new IllegalArgumentException("no log");
        }
        SortedSet<String> callers = new TreeSet<>();
        int most = 1;
        for (Projected p : logs) {
            callers.addAll(p.callers());
            most = Math.max(most, p.callsPerCaller());
        }
        StringBuilder m = new StringBuilder();
        m.append("------------------------------ MODULE TraceLog ------------------------------\n");
        m.append("\\* Generated by org.ocfs2.o2net.conformance.LogProjection: ")
                .append(logs.size())
                .append(logs.size() == 1 ? " event log" : " event logs")
                .append(" for ")
                .append(logs.get(0).spec().module())
                .append(" (schema: TraceReliableO2net.md).\n");
        StringJoiner cs = new StringJoiner(", ", "{", "}");
        callers.forEach(c -> cs.add(string(c)));
        m.append("LogCaller == ").append(cs).append('\n');
        m.append("LogCallsPerCaller == ").append(most).append('\n');
        Spec spec = logs.get(0).spec();
        for (Projected p : logs) {
            if (!p.spec().equals(spec)) {
                throw new IllegalArgumentException("logs for " + spec + " and " + p.spec() + " in one batch");
            }
        }
        if (spec.acked()) {
            m.append("LogWindow == ").append(spec.window()).append('\n');
        }
        StringJoiner names = new StringJoiner(", ", "<< ", " >>");
        StringJoiner lengths = new StringJoiner(", ", "<< ", " >>");
        m.append("Logs == <<\n");
        for (int i = 0; i < logs.size(); i++) {
            Projected p = logs.get(i);
            names.add(string(p.name()));
            lengths.add(Integer.toString(p.size()));
            m.append("  \\* ").append(i + 1).append(": ").append(p.name()).append('\n');
            m.append("  <<");
            for (int j = 0; j < p.records().size(); j++) {
                m.append(j == 0 ? "\n    " : ",\n    ").append(p.records().get(j));
            }
            m.append(p.records().isEmpty() ? ">>" : "\n  >>").append(i + 1 < logs.size() ? ",\n" : "\n");
        }
        m.append(">>\n");
        m.append("LogLengths == ").append(lengths).append('\n');
        m.append("LogNames == ").append(names).append('\n');
        m.append("LogVerbose == ").append(verbose ? "TRUE" : "FALSE").append('\n');
        m.append("=============================================================================\n");
        return m.toString();
    }

    private static int number(Map<Long, Integer> incs, long inc) {
        return inc == 0 ? 0 : incs.computeIfAbsent(inc, k -> incs.size() + 1);
    }

    private static String call(Map<String, String> calls, String key) {
        if (key == null) {
            return "<<\"?none\", 0>>";
        }
        String x = calls.get(key);
        return x != null ? x : "<<" + string("?" + key) + ", 0>>";
    }

    /** A TLA+ string literal. */
    static String string(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> b.append(ch);
            }
        }
        return b.append('"').toString();
    }
}
