// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One event of an implementation's event log: a spec action one protocol core took (or, for {@code Restart}, the end
 * of a core when its node closed), as {@link LogRecorder} records it. The schema, field by field, is
 * {@code spec/tla/TraceReliableO2net.md}; in short, one JSON object per line:
 * <pre>
 * {"i":12,"node":2,"peer":1,"inc":-4942790177534279936,"ev":"Send","seq":3,"num":0,"caller":"n2c0","call":"17"}
 * </pre>
 * Optional fields are left out when they have no value (null, 0 for {@code pinc} and {@code nanos}).
 *
 * @param i      the global sequence number, taken on the core's thread when the core took the action: the order of
 *               the log
 * @param node   the node whose core took the action
 * @param peer   the peer that core talks to
 * @param inc    the node's incarnation (the implementation's, a random non-zero number)
 * @param ev     the spec action ({@code Send}, {@code RecvMsg}, ..., {@code Restart})
 * @param seq    the message's {@code msg_seq}, 0 if none
 * @param num    the message's {@code msg_num}, 0 if none
 * @param caller {@code Send}: the caller (thread name)
 * @param call   the call the message is about, read from its payload ({@code Send}, {@code RecvMsg}, {@code RecvDup},
 *               {@code RunHandler}, {@code RunOrphan}, {@code RecvRemoved}); null otherwise
 * @param st     the status, as the call whose handler returns it ({@code RecvStatus}, {@code RecvStaleStatus},
 *               {@code RunHandler}, {@code RunOrphan}, {@code RecvRemoved}); {@code "sys NAME"} for a sys_status
 *               other than NONE; null otherwise
 * @param pinc   {@code Connect}: the peer's incarnation from its handshake; {@code HbNodeDown}: the one declared dead;
 *               {@code HbNodeUp}: the one seen alive; 0 otherwise
 * @param forgot {@code HbNodeDown}, {@code HbNodeUp}: whether the core forgot the peer; null otherwise
 * @param nanos  the node's clock at the event (information only)
 * @param ack    (v13) the ack the frame carried: {@code RecvMsg}, {@code RecvDup}, {@code RefuseMsg}, {@code RecvAck}
 *               and {@code SendAck} (the ACK frame), {@code RecvStatus} and {@code RecvStaleStatus} (the STATUS,
 *               stamped with its writer's ack of its own calls); 0 otherwise, and always in v12
 */
public record LogEvent(
        long i,
        int node,
        int peer,
        long inc,
        String ev,
        long seq,
        int num,
        String caller,
        String call,
        String st,
        long pinc,
        Boolean forgot,
        long nanos,
        long ack) {

    /** An event without an ack (v12, or an action whose frame carries none). */
    public LogEvent(
            long i,
            int node,
            int peer,
            long inc,
            String ev,
            long seq,
            int num,
            String caller,
            String call,
            String st,
            long pinc,
            Boolean forgot,
            long nanos) {
        this(i, node, peer, inc, ev, seq, num, caller, call, st, pinc, forgot, nanos, 0);
    }

    /** The same event with another action name (for the negative tests: a log changed by hand). */
    public LogEvent withEv(String newEv) {
        return new LogEvent(i, node, peer, inc, newEv, seq, num, caller, call, st, pinc, forgot, nanos, ack);
    }

    /** The same event with another status. */
    public LogEvent withSt(String newSt) {
        return new LogEvent(i, node, peer, inc, ev, seq, num, caller, call, newSt, pinc, forgot, nanos);
    }

    /** The same event with another peer incarnation. */
    public LogEvent withPinc(long newPinc) {
        return new LogEvent(i, node, peer, inc, ev, seq, num, caller, call, st, newPinc, forgot, nanos);
    }

    /** The same event with another ack. */
    public LogEvent withAck(long newAck) {
        return new LogEvent(i, node, peer, inc, ev, seq, num, caller, call, st, pinc, forgot, nanos, newAck);
    }

    /** The event as one JSON object. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("i", i);
        o.put("node", node);
        o.put("peer", peer);
        o.put("inc", inc);
        o.put("ev", ev);
        if (seq != 0) {
            o.put("seq", seq);
        }
        if (num != 0) {
            o.put("num", num);
        }
        if (caller != null) {
            o.put("caller", caller);
        }
        if (call != null) {
            o.put("call", call);
        }
        if (st != null) {
            o.put("st", st);
        }
        if (pinc != 0) {
            o.put("pinc", pinc);
        }
        if (forgot != null) {
            o.put("forgot", forgot);
        }
        if (nanos != 0) {
            o.put("nanos", nanos);
        }
        if (ack != 0) {
            o.put("ack", ack);
        }
        return o;
    }

    /**
     * Reads an event written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException if a required field ({@code i}, {@code node}, {@code peer}, {@code inc},
     *                                  {@code ev}) is missing or a field has the wrong type
     */
    public static LogEvent fromJson(JsonNode o) {
        for (String f : new String[] {"i", "node", "peer", "inc"}) {
            if (!o.path(f).isIntegralNumber()) {
                throw new IllegalArgumentException("event without an integer \"" + f + "\": " + o);
            }
        }
        if (!o.path("ev").isTextual()) {
            throw new IllegalArgumentException("event without \"ev\": " + o);
        }
        return new LogEvent(
                o.get("i").asLong(),
                o.get("node").asInt(),
                o.get("peer").asInt(),
                o.get("inc").asLong(),
                o.get("ev").asText(),
                o.path("seq").asLong(0),
                o.path("num").asInt(0),
                text(o, "caller"),
                text(o, "call"),
                text(o, "st"),
                o.path("pinc").asLong(0),
                o.has("forgot") ? o.get("forgot").asBoolean() : null,
                o.path("nanos").asLong(0),
                o.path("ack").asLong(0));
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
