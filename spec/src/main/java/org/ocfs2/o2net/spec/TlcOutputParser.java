// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the output of {@code tlc2.TLC -tool} (TLC 2.18). In that mode every block of output is
 * framed as {@code @!@!@STARTMSG code:severity @!@!@ ... @!@!@ENDMSG code @!@!@}; blocks may nest.
 * The codes used here were checked against real runs on the toy specs of the tests:
 *
 * <ul>
 *   <li>2193 no error found (exit 0); 2199 "N states generated, M distinct states found, ...";
 *       2194 "The depth of the complete state graph search is D."</li>
 *   <li>2110 "Invariant X is violated." and 2107 "Invariant X is violated by the initial state:"
 *       followed by that state (exit 12)</li>
 *   <li>2112 "Action property X is violated." (exit 13); X is a source location instead of a name when
 *       the violated action is the safety part of a refinement such as {@code Abstract!Spec}</li>
 *   <li>2116 "Temporal properties were violated." (exit 13), which does not say which property</li>
 *   <li>2114 "Deadlock reached." (exit 11)</li>
 *   <li>2217 one state of a behaviour, "N: &lt;Action line ..., col ... of module M&gt;" then
 *       {@code /\ var = value} lines; 2218 "N: Stuttering"; 2122 "N: Back to state: &lt;Action ...&gt;"</li>
 * </ul>
 *
 * A violation is attributed to a name of the cfg: the one TLC prints if the cfg lists it, otherwise
 * the cfg's only property (a property {@code []P} is reported as "Invariant P", a refinement by a
 * source location, a liveness violation by no name). If the cfg lists several properties the
 * verdict cannot be attributed and is an error: such a model must be split.
 */
public final class TlcOutputParser {

    /** One framed block of output. */
    record Message(int code, int severity, String text) {}

    private static final int SUCCESS = 2193;
    private static final int STATS = 2199;
    private static final int DEPTH = 2194;
    private static final int INVARIANT_VIOLATED = 2110;
    private static final int INVARIANT_VIOLATED_INITIAL = 2107;
    private static final int ACTION_PROPERTY_VIOLATED = 2112;
    private static final int TEMPORAL_VIOLATED = 2116;
    private static final int DEADLOCK = 2114;
    private static final int STATE = 2217;
    private static final int STUTTERING = 2218;
    private static final int BACK_TO_STATE = 2122;
    private static final int BEHAVIOR_UP_TO = 2121;
    private static final int BEHAVIOR = 2264;
    private static final int SEVERITY_ERROR = 1;

    private static final Pattern MARKER =
            Pattern.compile("@!@!@STARTMSG (\\d+):(\\d+) @!@!@\\R?|@!@!@ENDMSG (\\d+) @!@!@\\R?");
    private static final Pattern STATS_TEXT =
            Pattern.compile("([\\d,]+) states generated, ([\\d,]+) distinct states? found");
    private static final Pattern DEPTH_TEXT = Pattern.compile("search is ([\\d,]+)");
    private static final Pattern INVARIANT_TEXT = Pattern.compile("Invariant (\\S+) is violated");
    private static final Pattern ACTION_TEXT = Pattern.compile("Action property (.+) is violated");
    private static final Pattern STATE_HEADER = Pattern.compile("(\\d+): (.*)");

    private TlcOutputParser() {}

    /**
     * Classifies a finished run.
     *
     * @param output   everything TLC printed (stdout and stderr)
     * @param exitCode its exit code
     * @param cfg      what the run's cfg file asks to check
     * @param time     wall time of the run
     * @param log      the file holding the output, or null
     */
    public static TlcResult parse(String output, int exitCode, CfgFile cfg, Duration time, Path log) {
        StringBuilder untagged = new StringBuilder();
        List<Message> messages = messages(output, untagged);
        Counterexample trace = trace(messages);
        Optional<String> stats = last(messages, STATS);
        Long generated = stats.map(s -> number(STATS_TEXT, s, 1)).orElse(null);
        Long distinct = stats.map(s -> number(STATS_TEXT, s, 2)).orElse(null);
        Outcome outcome = classify(messages, exitCode, cfg);
        Integer depth;
        if (outcome.isViolation()) {
            depth = trace == null ? null : trace.length();
        } else {
            depth = last(messages, DEPTH)
                    .map(s -> number(DEPTH_TEXT, s, 1))
                    .map(Long::intValue)
                    .orElse(null);
        }
        String detail = outcome.kind() == Outcome.Kind.ERROR ? errorText(messages, untagged.toString()) : "";
        return new TlcResult(outcome, exitCode, distinct, generated, depth, trace, detail, time, log);
    }

    /**
     * Classifies a finished run of distributed TLC from the output of its {@code TLCServer -tool}
     * (TLC 2.18). The server frames its output as in one JVM and ends a complete search with the same
     * 2193/2199/2194 messages, but differs where it matters:
     *
     * <ul>
     *   <li>it exits with 0 whatever it found, even when it could not start (an exception, code 1000);</li>
     *   <li>a violation is only a 2121 "The behavior up to this point is:" followed by the last step
     *       (the violating state and its predecessor, the first labelled as the initial state even
     *       when it is not; a single state for a deadlock): no 2110, 2114 or 2116 names what was
     *       violated, so the verdict is an error that says to run the model in one JVM;</li>
     *   <li>the distinct states are those of a run in one JVM (the size of the server's fingerprint
     *       set), while the states generated and the depth differ from run to run: they are kept but
     *       marked {@link TlcResult#distributed()} so that {@link Check} does not compare them. The
     *       server's "states generated" over-counts (MCAckWindow2: 10,539 to 10,570 where one JVM
     *       generates 7,638), though the workers' own "Computed: N" figures add up to one JVM's count
     *       less the initial state (3,391 + 4,246 = 7,637; MCAck3CallersDeep 262,259 + 190,964 =
     *       453,223); the depth is not the breadth-first one either (25 to 27 there, 27 in one JVM):
     *       workers take blocks of states off the queue at once, whatever their level.</li>
     * </ul>
     *
     * @param output   everything the server printed
     * @param exitCode its exit code
     * @param cfg      what the run's cfg file asks to check
     * @param time     wall time of the run
     * @param log      the file holding the output, or null
     */
    public static TlcResult parseDistributed(String output, int exitCode, CfgFile cfg, Duration time, Path log) {
        StringBuilder untagged = new StringBuilder();
        List<Message> messages = messages(output, untagged);
        Optional<String> stats = last(messages, STATS);
        Long generated = stats.map(s -> number(STATS_TEXT, s, 1)).orElse(null);
        Long distinct = stats.map(s -> number(STATS_TEXT, s, 2)).orElse(null);
        Integer depth = last(messages, DEPTH)
                .map(s -> number(DEPTH_TEXT, s, 1))
                .map(Long::intValue)
                .orElse(null);
        Counterexample trace = trace(messages);
        Outcome outcome;
        String detail = "";
        if (first(messages, BEHAVIOR_UP_TO).isPresent() || trace != null) {
            outcome = Outcome.error("distributed TLC found a violation but does not say of what (a deadlock or one"
                    + " of the cfg's invariants or properties): run this model without --distributed for the"
                    + " property and the whole counterexample");
            detail = "distributed TLC printed only the last step of the behaviour ("
                    + (trace == null ? 0 : trace.states().size()) + " state(s)); the log has it";
        } else if (exitCode == 0 && first(messages, SUCCESS).isPresent()) {
            outcome = Outcome.PASS;
        } else {
            outcome = Outcome.error(exitCode == 0 ? "distributed TLC gave no verdict" : describe(exitCode));
            detail = errorText(messages, untagged.toString());
        }
        return new TlcResult(outcome, exitCode, distinct, generated, depth, null, detail, time, log, true);
    }

    /**
     * Splits the output into its framed blocks, in the order they start; text outside any block goes
     * to {@code untagged}.
     */
    static List<Message> messages(String output, StringBuilder untagged) {
        List<Message> messages = new ArrayList<>();
        Deque<int[]> open = new ArrayDeque<>(); // code, severity, index in messages
        Deque<StringBuilder> texts = new ArrayDeque<>();
        Matcher m = MARKER.matcher(output);
        int pos = 0;
        while (m.find()) {
            (texts.isEmpty() ? untagged : texts.peek()).append(output, pos, m.start());
            pos = m.end();
            if (m.group(1) != null) {
                open.push(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), messages.size()});
                texts.push(new StringBuilder());
                messages.add(null);
            } else if (!open.isEmpty()) {
                close(messages, open.pop(), texts.pop());
            }
        }
        (texts.isEmpty() ? untagged : texts.peek()).append(output.substring(pos));
        while (!open.isEmpty()) {
            close(messages, open.pop(), texts.pop());
        }
        return messages;
    }

    private static void close(List<Message> messages, int[] head, StringBuilder text) {
        messages.set(head[2], new Message(head[0], head[1], text.toString()));
    }

    private static Outcome classify(List<Message> messages, int exitCode, CfgFile cfg) {
        Optional<String> invariant =
                first(messages, INVARIANT_VIOLATED).or(() -> first(messages, INVARIANT_VIOLATED_INITIAL));
        Optional<String> action = first(messages, ACTION_PROPERTY_VIOLATED);
        if (exitCode == 0 && first(messages, SUCCESS).isPresent()) {
            return Outcome.PASS;
        }
        if (exitCode == 12 && invariant.isPresent()) {
            String name = match(INVARIANT_TEXT, invariant.get());
            return cfg.invariants().contains(name)
                    ? Outcome.invariant(name)
                    : toProperty(cfg, "invariant " + name + " is violated");
        }
        if (exitCode == 13 && action.isPresent()) {
            String name = match(ACTION_TEXT, action.get());
            return cfg.properties().contains(name)
                    ? Outcome.property(name)
                    : toProperty(cfg, "action property " + name + " is violated");
        }
        if (exitCode == 13 && first(messages, TEMPORAL_VIOLATED).isPresent()) {
            return toProperty(cfg, "a temporal property is violated");
        }
        if (exitCode == 11 && first(messages, DEADLOCK).isPresent()) {
            return Outcome.DEADLOCK;
        }
        return Outcome.error(describe(exitCode));
    }

    /** Attributes a violation TLC did not name by a property of the cfg to the cfg's only property. */
    private static Outcome toProperty(CfgFile cfg, String what) {
        if (cfg.properties().size() == 1) {
            return Outcome.property(cfg.properties().get(0));
        }
        return Outcome.error(what + ", but TLC does not say which of the cfg's properties " + cfg.properties()
                + " it belongs to: check that property in a model of its own");
    }

    private static String describe(int exitCode) {
        String what = switch (exitCode) {
            case 0 -> "no verdict in the output";
            case 10 -> "an ASSUME is false";
            case 11, 12, 13 -> "the output does not show the violation";
            case 14 -> "an Assert failed";
            case 75, 76, 77 -> "evaluation error";
            case 150 -> "parse or semantic error in the spec";
            case 151 -> "error in the cfg file";
            case 152 -> "state space too large";
            case 153 -> "system error";
            default ->
                exitCode > 128 && exitCode <= 128 + 64 ? "TLC was killed by signal " + (exitCode - 128) : "TLC failed";
        };
        return what + " (exit code " + exitCode + ")";
    }

    /** The behaviour printed by TLC, or null if there is none. */
    private static Counterexample trace(List<Message> messages) {
        List<Counterexample.State> states = new ArrayList<>();
        Counterexample.Loop loop = null;
        boolean stutters = false;
        for (Message msg : messages) {
            switch (msg.code()) {
                case STATE -> {
                    int eol = msg.text().indexOf('\n');
                    String header = eol < 0 ? msg.text() : msg.text().substring(0, eol);
                    Matcher m = STATE_HEADER.matcher(header.strip());
                    if (m.matches()) {
                        states.add(new Counterexample.State(
                                Integer.parseInt(m.group(1)),
                                Counterexample.actionName(m.group(2)),
                                Counterexample.parseValues(
                                        eol < 0 ? "" : msg.text().substring(eol + 1))));
                    }
                }
                case INVARIANT_VIOLATED_INITIAL -> {
                    int eol = msg.text().indexOf('\n');
                    Map<String, String> values =
                            Counterexample.parseValues(msg.text().substring(eol + 1));
                    states.add(new Counterexample.State(1, "Initial predicate", values));
                }
                case STUTTERING -> stutters = true;
                case BACK_TO_STATE -> {
                    Matcher m = STATE_HEADER.matcher(msg.text().strip());
                    if (m.matches()) {
                        String label = m.group(2).replaceFirst("^Back to state: ", "");
                        loop = new Counterexample.Loop(Integer.parseInt(m.group(1)), Counterexample.actionName(label));
                    }
                }
                default -> {}
            }
        }
        return states.isEmpty() ? null : new Counterexample(states, loop, stutters);
    }

    /**
     * TLC's error messages, and the text it printed outside messages (SANY's errors), without the
     * progress lines and Java stack frames (the log file has them).
     */
    private static String errorText(List<Message> messages, String untagged) {
        String loose = withoutStackFrames(untagged.lines()
                .filter(l -> !l.startsWith("Parsing file ") && !l.startsWith("Semantic processing of module "))
                .collect(Collectors.joining("\n")));
        String errors = messages.stream()
                .filter(m -> m.severity() == SEVERITY_ERROR && m.code() != BEHAVIOR_UP_TO && m.code() != BEHAVIOR)
                .map(m -> withoutStackFrames(m.text()).strip())
                .filter(t -> !t.isEmpty())
                .collect(Collectors.joining("\n"));
        return (loose.strip() + "\n" + errors).strip().replaceAll("\n{3,}", "\n\n");
    }

    private static String withoutStackFrames(String text) {
        return text.lines().filter(l -> !l.matches("\\s+at .*")).collect(Collectors.joining("\n"));
    }

    private static Optional<String> first(List<Message> messages, int code) {
        return messages.stream()
                .filter(m -> m.code() == code)
                .map(Message::text)
                .findFirst();
    }

    private static Optional<String> last(List<Message> messages, int code) {
        return messages.stream()
                .filter(m -> m.code() == code)
                .map(Message::text)
                .reduce((a, b) -> b);
    }

    private static String match(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : text.strip();
    }

    private static Long number(Pattern pattern, String text, int group) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Long.valueOf(m.group(group).replace(",", "")) : null;
    }
}
