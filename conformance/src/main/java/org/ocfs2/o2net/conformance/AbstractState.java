// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The variables of {@code ReliableO2net} that the implementation's state determines, in one form for both sides:
 * {@link #of(JsonNode)} reads them from a spec state, {@link Abstraction} computes them from the implementation.
 * <p>
 * Spec values are written as {@linkplain TlaValue#text spec text}: a call {@code <<c1, 1>>}, {@code NoCall}. Maps are
 * keyed by the text of the spec's keys (a caller {@code c1}, a node {@code S}, a call {@code <<c1, 1>>}) or by
 * {@code msg_seq}.
 *
 * @param callNo    {@code callNo}: each caller's current or next call number
 * @param waiting   {@code waiting}: the caller is blocked in a call
 * @param held      {@code held}, without the kept status: {@code msg_seq} to call and phase (AckO2net's held has
 *                  no phase: always {@code msg})
 * @param mh        {@code mh}: {@code msg_seq} to call, state ({@code running}, {@code done}) and stored status
 * @param orphans   {@code orphans}: calls whose handler runs without an MH, sorted
 * @param conn      {@code conn}: {@code up} or {@code down}
 * @param toR       {@code toR}: frames in flight from S to R, oldest first
 * @param toS       {@code toS}: frames in flight from R to S, oldest first
 * @param inc       {@code inc}: each node's incarnation
 * @param peerInc   {@code peerInc}: the peer's incarnation each node saw in its last handshake, 0 if none
 * @param hbAlive   {@code hbInc[n] # 0}: the heartbeat of n's peer believes n alive
 * @param runs      {@code runs}: handler runs per call
 * @param ret       {@code ret}: how each call returned ({@code none}, {@code ok}, {@code EHOSTDOWN}, {@code abandoned})
 * @param retStatus {@code retStatus}: the status each call returned, {@code NoCall} if none
 * @param ackSent   AckO2net's {@code ackSent} (S's), null for ReliableO2net, which has none
 * @param ackRecv   AckO2net's {@code ackRecv} (R's), null for ReliableO2net
 */
public record AbstractState(
        SortedMap<String, Integer> callNo,
        SortedMap<String, Boolean> waiting,
        SortedMap<Long, Held> held,
        SortedMap<Long, Mh> mh,
        List<String> orphans,
        String conn,
        List<Frame> toR,
        List<Frame> toS,
        SortedMap<String, Integer> inc,
        SortedMap<String, Integer> peerInc,
        SortedMap<String, Boolean> hbAlive,
        SortedMap<String, Integer> runs,
        SortedMap<String, String> ret,
        SortedMap<String, String> retStatus,
        Long ackSent,
        Long ackRecv) {

    /** A held message: {@code [call, phase]}. */
    public record Held(String call, String phase) {
        @Override
        public String toString() {
            return "[call |-> " + call + ", phase |-> " + phase + "]";
        }
    }

    /** A Message Holder: {@code [call, st, status]}. */
    public record Mh(String call, String st, String status) {
        @Override
        public String toString() {
            return "[call |-> " + call + ", st |-> " + st + ", status |-> " + status + "]";
        }
    }

    /** A frame in flight: {@code [kind, seq, val]}, {@code val} a call, a status, or {@code NoCall}. */
    public record Frame(String kind, long seq, String val, long ack) {
        /** A frame of ReliableO2net, which carries no acknowledgement. */
        public Frame(String kind, long seq, String val) {
            this(kind, seq, val, 0);
        }

        @Override
        public String toString() {
            return "[kind |-> " + kind + ", seq |-> " + seq + ", val |-> " + val
                    + (ack != 0 || kind.equals("ack") ? ", ack |-> " + ack : "") + "]";
        }
    }

    /** Reads the variables from a spec state in the JSON form of {@link TlaValue}. */
    public static AbstractState of(JsonNode state) {
        return new AbstractState(
                map(var(state, "callNo"), Function.identity(), JsonNode::intValue),
                map(var(state, "waiting"), Function.identity(), JsonNode::booleanValue),
                map(
                        var(state, "held"),
                        Long::valueOf,
                        // ReliableO2net: [call, phase]; AckO2net: the call alone (no phase: the call returns at
                        // its status)
                        h -> h.has("phase")
                                ? new Held(
                                        TlaValue.text(h.get("call")),
                                        h.get("phase").asText())
                                : new Held(TlaValue.text(h), "msg")),
                map(
                        var(state, "mh"),
                        Long::valueOf,
                        m -> new Mh(
                                TlaValue.text(m.get("call")), m.get("st").asText(), TlaValue.text(m.get("status")))),
                texts(var(state, "orphans")),
                var(state, "conn").asText(),
                frames(var(state, "toR")),
                frames(var(state, "toS")),
                map(var(state, "inc"), Function.identity(), JsonNode::intValue),
                map(var(state, "peerInc"), Function.identity(), JsonNode::intValue),
                map(var(state, "hbInc"), Function.identity(), v -> v.intValue() != 0),
                map(var(state, "runs"), Function.identity(), JsonNode::intValue),
                map(var(state, "ret"), Function.identity(), JsonNode::asText),
                map(var(state, "retStatus"), Function.identity(), TlaValue::text),
                state.has("ackSent") ? var(state, "ackSent").longValue() : null,
                state.has("ackRecv") ? var(state, "ackRecv").longValue() : null);
    }

    private static JsonNode var(JsonNode state, String name) {
        JsonNode v = state.get(name);
        if (v == null) {
            throw new IllegalArgumentException("the state has no variable " + name + ": " + state);
        }
        return v;
    }

    private static <K, V> SortedMap<K, V> map(JsonNode fcn, Function<String, K> key, Function<JsonNode, V> value) {
        SortedMap<K, V> m = new TreeMap<>();
        TlaValue.entries(fcn).forEach((k, v) -> m.put(key.apply(k), value.apply(v)));
        return m;
    }

    private static List<String> texts(JsonNode set) {
        TreeSet<String> s = new TreeSet<>();
        set.forEach(x -> s.add(TlaValue.text(x)));
        return List.copyOf(s);
    }

    private static List<Frame> frames(JsonNode seq) {
        List<Frame> fs = new ArrayList<>();
        seq.forEach(f -> fs.add(new Frame(
                f.get("kind").asText(),
                f.get("seq").longValue(),
                TlaValue.text(f.get("val")),
                f.has("ack") ? f.get("ack").longValue() : 0)));
        return fs;
    }

    /** The variables by name, in the order of the record. */
    public Map<String, Object> vars() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("callNo", callNo);
        v.put("waiting", waiting);
        v.put("held", held);
        v.put("mh", mh);
        v.put("orphans", orphans);
        v.put("conn", conn);
        v.put("toR", toR);
        v.put("toS", toS);
        v.put("inc", inc);
        v.put("peerInc", peerInc);
        v.put("hbAlive", hbAlive);
        v.put("runs", runs);
        v.put("ret", ret);
        v.put("retStatus", retStatus);
        v.put("ackSent", ackSent);
        v.put("ackRecv", ackRecv);
        return v;
    }

    /**
     * What differs between this state (the spec's) and {@code impl}: one line per differing map entry or variable,
     * {@code mh[1]: spec [...], implementation [...]}; {@code -} marks an entry that is missing. Empty if equal.
     */
    public List<String> diff(AbstractState impl) {
        List<String> d = new ArrayList<>();
        Map<String, Object> theirs = impl.vars();
        vars().forEach((name, mine) -> {
            Object other = theirs.get(name);
            if (mine instanceof Map<?, ?> a && other instanceof Map<?, ?> b) {
                TreeSet<Object> keys = new TreeSet<>(a.keySet());
                keys.addAll(b.keySet());
                for (Object k : keys) {
                    if (!Objects.equals(a.get(k), b.get(k))) {
                        d.add(name + "[" + k + "]: spec " + orMissing(a.get(k)) + ", implementation "
                                + orMissing(b.get(k)));
                    }
                }
            } else if (!Objects.equals(mine, other)) {
                d.add(name + ": spec " + mine + ", implementation " + other);
            }
        });
        return d;
    }

    private static String orMissing(Object v) {
        return v == null ? "-" : v.toString();
    }

    /** One line per variable: {@code name = value}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        vars().forEach((name, v) -> sb.append(name).append(" = ").append(v).append('\n'));
        return sb.toString();
    }
}
