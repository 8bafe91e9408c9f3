// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec.chart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ocfs2.o2net.spec.Counterexample;

/**
 * A message sequence chart of a behaviour of the o2net specs ({@code O2net}, {@code ReliableO2net} and the specs
 * built like them): lanes for the callers, S's o2net, R's o2net and R's handler; frames as arrows from the step that
 * sent them to the step that received them, or to the reset that lost them; restarts, heartbeat news and Message
 * Holder changes as notes on their lanes; the violated property at the step that breaks it.
 * <p>
 * Built from the states alone, by comparing each state with the one before: a frame appended to {@code toR}
 * ({@code toS}) is sent by S (R); frames gone from the head of the queue are received when the step is a
 * {@code Recv...} action and lost otherwise (a reset or restart empties the queues). Callers come from the domain
 * of {@code callNo}; a call starts when {@code waiting[c]} becomes {@code TRUE} or {@code pc[c]} becomes
 * {@code "waiting"}, and ends when {@code ret[x]} leaves {@code "none"}. A spec without {@code toR} and {@code toS}
 * has no chart ({@link #of} returns null). Rendered by {@link TextChart} and {@link SvgChart}.
 *
 * @param title    what the chart shows, e.g. the model and the violated property
 * @param lanes    lane names, left to right: the callers, then {@code S}, {@code R}, {@code handler}
 * @param rows     one row per event, in order
 * @param frames   every frame sent, by id (from 1)
 * @param violated the property violated at the last step, {@code conformance} for a {@linkplain #diverged divergence},
 *                 or null
 */
public record SequenceChart(
        String title, List<String> lanes, List<Row> rows, Map<Integer, Frame> frames, String violated) {

    /** The lane of node S's o2net. */
    public static final String S = "S";
    /** The lane of node R's o2net. */
    public static final String R = "R";
    /** The lane of R's handler. */
    public static final String HANDLER = "handler";

    /** What a row shows. */
    public enum Kind {
        /** The step's action, above its events. */
        STEP,
        /** A caller calls into S's o2net ({@code from} the caller lane to S). */
        CALL,
        /** The call returns to the caller ({@code from} S to the caller lane). */
        RETURN,
        /** A frame leaves {@code from} for {@code to}; {@code frame} is its id. */
        SEND,
        /** Frame {@code frame} arrives at {@code to}. */
        RECEIVE,
        /** The connection goes away: frames in flight are lost ({@code text} lists them). */
        CUT,
        /** A connection is established between S and R. */
        CONNECT,
        /** A note on lane {@code from}. */
        NOTE,
        /**
         * The verdict after the last step, its {@code text} the whole label: the violated property
         * ({@code VIOLATED: ExactlyOnceInv}) or where an implementation left the behaviour ({@code DIVERGED: ...}).
         */
        VIOLATION
    }

    /**
     * One line of the chart.
     *
     * @param step  the behaviour's state number this row belongs to
     * @param kind  what it shows
     * @param from  the lane it starts on (or the lane of a note)
     * @param to    the lane it ends on, or null
     * @param frame the frame id for {@link Kind#SEND} and {@link Kind#RECEIVE}, else 0
     * @param text  the label
     */
    public record Row(int step, Kind kind, String from, String to, int frame, String text) {}

    /**
     * A frame and its fate.
     *
     * @param id      from 1, in the order frames were sent
     * @param from    sending lane
     * @param to      receiving lane
     * @param label   magic, {@code msg_seq} and content
     * @param sentRow index in {@link #rows} of its {@link Kind#SEND}
     * @param endRow  index of its {@link Kind#RECEIVE} or {@link Kind#CUT}, or -1 if still in flight at the end
     * @param lost    true if a cut lost it
     */
    public record Frame(int id, String from, String to, String label, int sentRow, int endRow, boolean lost) {}

    public SequenceChart {
        lanes = List.copyOf(lanes);
        rows = List.copyOf(rows);
        frames = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(frames));
    }

    /**
     * This chart with a verdict after its last step: {@code DIVERGED: } and {@code what}, for a behaviour an
     * implementation was made to follow and left at its last step (a conformance failure).
     *
     * @throws IllegalStateException if the chart already ends with a verdict
     */
    public SequenceChart diverged(String what) {
        if (violated != null) {
            throw new IllegalStateException("the chart already ends with " + violated + " violated");
        }
        List<Row> all = new ArrayList<>(rows);
        int last = rows.isEmpty() ? 0 : rows.get(rows.size() - 1).step();
        all.add(new Row(last, Kind.VIOLATION, null, null, 0, "DIVERGED: " + what));
        return new SequenceChart(title, lanes, all, frames, "conformance");
    }

    /**
     * The chart of {@code cex}, or null when its states have no {@code toR}/{@code toS} queues or a value that
     * cannot be read.
     *
     * @param violated the property the behaviour violates, or null
     */
    public static SequenceChart of(String title, Counterexample cex, String violated) {
        if (cex == null || cex.states().isEmpty()) {
            return null;
        }
        Map<String, String> first = cex.states().get(0).values();
        if (!first.containsKey("toR") || !first.containsKey("toS") || !first.containsKey("callNo")) {
            return null;
        }
        try {
            return new Builder(title, cex, violated).build();
        } catch (IllegalArgumentException unreadable) {
            return null;
        }
    }

    /** Compares consecutive states and writes rows. */
    private static final class Builder {
        private final String title;
        private final Counterexample cex;
        private final String violated;
        private final List<String> lanes = new ArrayList<>();
        private final List<Row> rows = new ArrayList<>();
        private final Map<Integer, Frame> frames = new LinkedHashMap<>();
        private final List<Integer> inFlightToR = new ArrayList<>();
        private final List<Integer> inFlightToS = new ArrayList<>();

        Builder(String title, Counterexample cex, String violated) {
            this.title = title;
            this.cex = cex;
            this.violated = violated;
        }

        SequenceChart build() {
            List<Map<String, TlaValue>> states = new ArrayList<>();
            for (Counterexample.State st : cex.states()) {
                Map<String, TlaValue> vals = new LinkedHashMap<>();
                st.values().forEach((k, v) -> vals.put(k, TlaValue.parse(v)));
                states.add(vals);
            }
            for (TlaValue c : states.get(0).get("callNo").asFunction().keySet()) {
                lanes.add(c.toString());
            }
            lanes.add(S);
            lanes.add(R);
            lanes.add(HANDLER);
            Map<String, TlaValue> prev = null;
            for (int i = 0; i < states.size(); i++) {
                Counterexample.State st = cex.states().get(i);
                Map<String, TlaValue> now = states.get(i);
                rows.add(new Row(st.number(), Kind.STEP, null, null, 0, st.action()));
                if (prev == null) {
                    initial(st.number(), now);
                } else {
                    step(st.number(), st.action(), prev, now);
                }
                prev = now;
            }
            if (violated != null) {
                rows.add(new Row(cex.states().size(), Kind.VIOLATION, null, null, 0, "VIOLATED: " + violated));
            }
            return new SequenceChart(title, lanes, rows, frames, violated);
        }

        private void initial(int step, Map<String, TlaValue> now) {
            queue(step, "Initial predicate", null, now.get("toR"), S, R, inFlightToR);
            queue(step, "Initial predicate", null, now.get("toS"), R, S, inFlightToS);
            if ("up".equals(str(now.get("conn")))) {
                rows.add(new Row(step, Kind.CONNECT, S, R, 0, "connected"));
            }
        }

        private void step(int step, String action, Map<String, TlaValue> prev, Map<String, TlaValue> now) {
            // The order of rows in a step: what the caller did, the connection, frames, R's state, returns.
            calls(step, prev, now);
            String connBefore = str(prev.get("conn"));
            String connAfter = str(now.get("conn"));
            boolean cut = "up".equals(connBefore) && !"up".equals(connAfter);
            incarnations(step, prev, now);
            List<Integer> lostR = queue(step, action, prev.get("toR"), now.get("toR"), S, R, inFlightToR);
            List<Integer> lostS = queue(step, action, prev.get("toS"), now.get("toS"), R, S, inFlightToS);
            List<Integer> lost = new ArrayList<>(lostR);
            lost.addAll(lostS);
            if (cut || !lost.isEmpty()) {
                int cutRow = rows.size();
                String what = lost.isEmpty()
                        ? "connection closed, nothing in flight"
                        : "connection closed: lost " + ids(lost);
                rows.add(new Row(step, Kind.CUT, S, R, 0, what));
                for (int id : lost) {
                    Frame f = frames.get(id);
                    frames.put(id, new Frame(id, f.from(), f.to(), f.label(), f.sentRow(), cutRow, true));
                }
            }
            if (!"up".equals(connBefore) && "up".equals(connAfter)) {
                // Connect comes before the frames it (re)sends: move the row above them.
                int firstSend = firstRowOfStep(step, Kind.SEND);
                Row connect = new Row(step, Kind.CONNECT, S, R, 0, "connected");
                if (firstSend >= 0) {
                    insertRow(firstSend, connect);
                } else {
                    rows.add(connect);
                }
            }
            heartbeat(step, prev, now);
            messageHolders(step, prev.get("mh"), now.get("mh"));
            handler(step, prev, now);
            returns(step, prev, now);
        }

        private int firstRowOfStep(int step, Kind kind) {
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).step() == step && rows.get(i).kind() == kind) {
                    return i;
                }
            }
            return -1;
        }

        /** Inserts a row and moves the frames' row indexes after it. */
        private void insertRow(int at, Row row) {
            rows.add(at, row);
            frames.replaceAll((id, f) -> new Frame(
                    id,
                    f.from(),
                    f.to(),
                    f.label(),
                    f.sentRow() >= at ? f.sentRow() + 1 : f.sentRow(),
                    f.endRow() >= at ? f.endRow() + 1 : f.endRow(),
                    f.lost()));
        }

        /** Frames sent and received on one queue; returns the ids lost. */
        private List<Integer> queue(
                int step,
                String action,
                TlaValue before,
                TlaValue after,
                String from,
                String to,
                List<Integer> flight) {
            List<TlaValue> p = before == null ? List.of() : before.asSequence();
            List<TlaValue> n = after == null ? List.of() : after.asSequence();
            if (p == null || n == null) {
                throw new IllegalArgumentException("not a sequence of frames");
            }
            int k = 0;
            while (k <= p.size() && !isPrefix(p.subList(k, p.size()), n)) {
                k++;
            }
            List<Integer> lost = new ArrayList<>();
            boolean received = Counterexample.actionName(action).startsWith("Recv");
            for (int i = 0; i < k; i++) {
                int id = flight.remove(0);
                if (received) {
                    Frame f = frames.get(id);
                    frames.put(id, new Frame(id, f.from(), f.to(), f.label(), f.sentRow(), rows.size(), false));
                    rows.add(new Row(step, Kind.RECEIVE, from, to, id, "#" + id + " " + f.label()));
                } else {
                    lost.add(id);
                }
            }
            for (int i = p.size() - k; i < n.size(); i++) {
                int id = frames.size() + 1;
                String label = frameLabel(n.get(i));
                frames.put(id, new Frame(id, from, to, label, rows.size(), -1, false));
                rows.add(new Row(step, Kind.SEND, from, to, id, "#" + id + " " + label));
                flight.add(id);
            }
            return lost;
        }

        private static boolean isPrefix(List<TlaValue> prefix, List<TlaValue> of) {
            return prefix.size() <= of.size() && prefix.equals(of.subList(0, prefix.size()));
        }

        private void calls(int step, Map<String, TlaValue> prev, Map<String, TlaValue> now) {
            Map<TlaValue, TlaValue> callNo = now.get("callNo").asFunction();
            for (TlaValue c : callNo.keySet()) {
                boolean before = waiting(prev, c);
                boolean after = waiting(now, c);
                if (!before && after) {
                    rows.add(new Row(step, Kind.CALL, c.toString(), S, 0, "call <<" + c + "," + callNo.get(c) + ">>"));
                }
            }
        }

        private static boolean waiting(Map<String, TlaValue> state, TlaValue c) {
            if (state.get("waiting") != null) {
                return state.get("waiting").asFunction().get(c) instanceof TlaValue.Bool b && b.value();
            }
            if (state.get("pc") != null) {
                return "waiting".equals(str(state.get("pc").asFunction().get(c)));
            }
            return false;
        }

        private void returns(int step, Map<String, TlaValue> prev, Map<String, TlaValue> now) {
            if (now.get("ret") == null) {
                return;
            }
            Map<TlaValue, TlaValue> before = prev.get("ret").asFunction();
            Map<TlaValue, TlaValue> after = now.get("ret").asFunction();
            Map<TlaValue, TlaValue> status = now.get("retStatus") == null
                    ? Map.of()
                    : now.get("retStatus").asFunction();
            for (Map.Entry<TlaValue, TlaValue> e : after.entrySet()) {
                if (!Objects.equals(before.get(e.getKey()), e.getValue())) {
                    String caller = callerOf(e.getKey());
                    String text = "returns " + e.getValue();
                    TlaValue st = status.get(e.getKey());
                    if (st != null
                            && !(st instanceof TlaValue.Name n && n.value().equals("NoCall"))) {
                        text += ", status " + st;
                    }
                    text += " (" + e.getKey() + ")";
                    rows.add(new Row(step, Kind.RETURN, S, caller, 0, text));
                }
            }
        }

        private static String callerOf(TlaValue call) {
            List<TlaValue> t = call.asSequence();
            return t != null && !t.isEmpty() ? t.get(0).toString() : call.toString();
        }

        private void handler(int step, Map<String, TlaValue> prev, Map<String, TlaValue> now) {
            if (now.get("runs") != null) {
                Map<TlaValue, TlaValue> before = prev.get("runs").asFunction();
                for (Map.Entry<TlaValue, TlaValue> e :
                        now.get("runs").asFunction().entrySet()) {
                    if (e.getValue() instanceof TlaValue.Num n
                            && before.get(e.getKey()) instanceof TlaValue.Num b
                            && n.value() > b.value()) {
                        String text = "runs " + e.getKey() + (n.value() > 1 ? " (run " + n.value() + "!)" : "");
                        rows.add(new Row(step, Kind.NOTE, HANDLER, null, 0, text));
                    }
                }
            }
            if (now.get("orphans") instanceof TlaValue.SetOf o && prev.get("orphans") instanceof TlaValue.SetOf p) {
                for (TlaValue x : o.items()) {
                    if (!p.items().contains(x)) {
                        rows.add(new Row(step, Kind.NOTE, HANDLER, null, 0, "orphan " + x + " (its MH is gone)"));
                    }
                }
            }
        }

        private void messageHolders(int step, TlaValue before, TlaValue after) {
            if (after == null || before == null) {
                return;
            }
            Map<TlaValue, TlaValue> p = before.asFunction();
            Map<TlaValue, TlaValue> n = after.asFunction();
            List<String> changes = new ArrayList<>();
            for (Map.Entry<TlaValue, TlaValue> e : n.entrySet()) {
                TlaValue old = p.get(e.getKey());
                if (old == null) {
                    changes.add("+" + e.getKey() + " " + mhState(e.getValue()));
                } else if (!old.equals(e.getValue())) {
                    changes.add(e.getKey() + " " + mhState(e.getValue()));
                }
            }
            for (TlaValue k : p.keySet()) {
                if (!n.containsKey(k)) {
                    changes.add("-" + k);
                }
            }
            if (!changes.isEmpty()) {
                rows.add(new Row(step, Kind.NOTE, R, null, 0, "MH " + String.join(", ", changes)));
            }
        }

        private static String mhState(TlaValue mh) {
            if (mh instanceof TlaValue.Rec r) {
                StringBuilder s = new StringBuilder();
                if (r.get("st") != null) {
                    s.append(r.get("st"));
                }
                if (r.get("call") != null) {
                    s.append(" ").append(r.get("call"));
                }
                return s.toString().strip();
            }
            return mh.toString();
        }

        private void incarnations(int step, Map<String, TlaValue> prev, Map<String, TlaValue> now) {
            if (now.get("inc") == null) {
                return;
            }
            Map<TlaValue, TlaValue> p = prev.get("inc").asFunction();
            for (Map.Entry<TlaValue, TlaValue> e : now.get("inc").asFunction().entrySet()) {
                if (!Objects.equals(p.get(e.getKey()), e.getValue())) {
                    String lane = e.getKey().toString();
                    rows.add(new Row(
                            step,
                            Kind.NOTE,
                            lanes.contains(lane) ? lane : S,
                            null,
                            0,
                            "restart: incarnation " + p.get(e.getKey()) + " -> " + e.getValue()));
                }
            }
        }

        private void heartbeat(int step, Map<String, TlaValue> prev, Map<String, TlaValue> now) {
            if (now.get("hbInc") == null) {
                return;
            }
            Map<TlaValue, TlaValue> p = prev.get("hbInc").asFunction();
            for (Map.Entry<TlaValue, TlaValue> e : now.get("hbInc").asFunction().entrySet()) {
                if (!Objects.equals(p.get(e.getKey()), e.getValue())) {
                    String node = e.getKey().toString();
                    String observer = node.equals(S) ? R : S;
                    String text = e.getValue() instanceof TlaValue.Num n && n.value() == 0
                            ? "heartbeat: " + node + " (incarnation " + p.get(e.getKey()) + ") down"
                            : "heartbeat: " + node + " up, incarnation " + e.getValue();
                    rows.add(new Row(step, Kind.NOTE, observer, null, 0, text));
                }
            }
        }

        private static String frameLabel(TlaValue frame) {
            if (!(frame instanceof TlaValue.Rec r)) {
                return frame.toString();
            }
            StringBuilder s = new StringBuilder();
            String kind = r.get("kind") == null ? "?" : r.get("kind").toString();
            s.append(
                    switch (kind) {
                        case "msg" -> "MSG";
                        case "status" -> "STATUS";
                        case "remove" -> "MH_REMOVE";
                        case "removed" -> "MH_REMOVED";
                        default -> kind.toUpperCase(java.util.Locale.ROOT);
                    });
            r.fields().forEach((k, v) -> {
                if (!k.equals("kind")) {
                    s.append(' ').append(k).append('=').append(v);
                }
            });
            return s.toString();
        }

        /** A string's text; also a bare name's, since a conformance trace's JSON does not tell them apart. */
        private static String str(TlaValue v) {
            return v instanceof TlaValue.Str s ? s.value() : v instanceof TlaValue.Name n ? n.value() : null;
        }

        private static String ids(List<Integer> ids) {
            StringBuilder s = new StringBuilder();
            for (int id : ids) {
                s.append(s.isEmpty() ? "#" : ", #").append(id);
            }
            return s.toString();
        }
    }
}
