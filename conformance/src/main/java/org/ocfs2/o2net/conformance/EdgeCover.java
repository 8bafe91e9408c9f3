// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tla2sany.semantic.SymbolNode;
import tlc2.tool.Action;
import tlc2.tool.StateVec;
import tlc2.tool.TLCState;
import tlc2.tool.TLCStateMut;
import tlc2.tool.impl.FastTool;
import tlc2.util.FP64;
import util.SimpleFilenameToStream;

/**
 * Explores the whole state graph of a model with TLC's own next-state function and writes paths through every edge
 * as a trace file ({@link Trace}). A {@code main} for a JVM of its own: TLC's tool keeps global state (one spec per
 * JVM), so {@link Generate} forks it.
 * <p>
 * The graph: states are TLC's (fingerprints with {@code FP64.Init(0)}), one initial state; an edge is a triple
 * (state, action with parameters, successor), found by asking TLC for the successors of every state under every
 * action of {@code getActions()}, which splits the next-state relation into its disjuncts and the bindings of every
 * {@code \E} over a constant set: {@code Send(c)} comes once per caller, {@code HbNodeDown(n)} once per node, and
 * so on, with the parameters in the action's context. Actions the cfg substitutes ({@code Reset <- MCReset}) get
 * the spec's name back. {@code RunHandler} and {@code RunOrphan} quantify over sets that depend on the state (the
 * MHs, the orphans), which TLC does not split: their parameter is read off the two states, the only {@code s} whose
 * MH went from running to done, the only {@code x} that left the orphans. {@code Done}, a stuttering step, is an
 * edge from a state to itself. Every invariant of the cfg is checked on every state.
 * <p>
 * Writes the paths of {@link PathCover} to {@code <out>} and the figures to {@code <summary>} (JSON: states,
 * edges, paths, steps, actions, seconds).
 */
public final class EdgeCover {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FastTool tool;
    private final List<TLCState> states = new ArrayList<>();
    private final List<ObjectNode> stateJson = new ArrayList<>();
    private final Map<Long, Integer> ids = new HashMap<>();
    private final List<Label> labels = new ArrayList<>();
    private final Map<String, Integer> labelIds = new HashMap<>();
    private final List<int[]> edges = new ArrayList<>();
    private final Set<String> actionNames = new LinkedHashSet<>();

    private EdgeCover(Path dir, String module, String cfg) {
        FP64.Init(0);
        tool = new FastTool(dir.toString(), module, cfg, new SimpleFilenameToStream(dir.toString()));
        TLCStateMut.setTool(tool);
    }

    /**
     * {@code EdgeCover <spec dir> <module> <cfg> <out.jsonl> <summary.json>}.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: EdgeCover <spec dir> <module> <cfg> <out.jsonl> <summary.json>");
            System.exit(2);
        }
        long start = System.nanoTime();
        String cfg = args[2].endsWith(".cfg") ? args[2].substring(0, args[2].length() - 4) : args[2];
        EdgeCover g = new EdgeCover(Path.of(args[0]), args[1], cfg);
        g.explore();
        int[] src = new int[g.edges.size()];
        int[] dst = new int[g.edges.size()];
        for (int e = 0; e < src.length; e++) {
            src[e] = g.edges.get(e)[0];
            dst[e] = g.edges.get(e)[2];
        }
        List<int[]> paths = PathCover.cover(g.states.size(), 0, src, dst);
        long steps = g.write(Path.of(args[3]), paths);
        ObjectNode summary = JSON.createObjectNode()
                .put("module", args[1])
                .put("config", args[2])
                .put("states", g.states.size())
                .put("edges", g.edges.size())
                .put("paths", paths.size())
                .put("steps", steps)
                .put("seconds", (System.nanoTime() - start) / 1e9);
        g.actionNames.forEach(summary.putArray("actions")::add);
        JSON.writerWithDefaultPrettyPrinter().writeValue(Path.of(args[4]).toFile(), summary);
        System.out.println(summary);
    }

    private void explore() {
        Map<String, String> renamed = new HashMap<>();
        tool.getModelConfig().getOverrides().forEach((spec, model) -> renamed.put(model, spec));
        Action[] actions = tool.getActions();
        String[] names = new String[actions.length];
        ObjectNode[] params = new ObjectNode[actions.length];
        for (int a = 0; a < actions.length; a++) {
            String name = actions[a].getName().toString();
            names[a] = renamed.getOrDefault(name, name);
            params[a] = params(actions[a]);
            actionNames.add(names[a]);
        }
        StateVec init = tool.getInitStates();
        if (init.size() != 1) {
            throw new IllegalStateException("the model has " + init.size() + " initial states; paths need one");
        }
        add(init.elementAt(0));
        Action[] invariants = tool.getInvariants();
        Set<String> seenEdges = new HashSet<>();
        for (int s = 0; s < states.size(); s++) {
            TLCState state = states.get(s);
            for (Action inv : invariants) {
                if (!tool.isValid(inv, state)) {
                    throw new IllegalStateException("invariant " + inv.getName() + " is violated by " + state);
                }
            }
            for (int a = 0; a < actions.length; a++) {
                StateVec next = tool.getNextStates(actions[a], state);
                for (int i = 0; i < next.size(); i++) {
                    int t = add(next.elementAt(i));
                    int label = label(new Label(names[a], parameters(names[a], params[a], s, t)));
                    if (seenEdges.add(s + " " + label + " " + t)) {
                        edges.add(new int[] {s, label, t});
                    }
                }
            }
        }
    }

    /** The state's number, adding it if new. */
    private int add(TLCState state) {
        Integer id = ids.get(state.fingerPrint());
        if (id != null) {
            return id;
        }
        ids.put(state.fingerPrint(), states.size());
        states.add(state);
        stateJson.add(json(state));
        return states.size() - 1;
    }

    /** An action with its parameters: what an edge is labelled with. */
    private record Label(String action, ObjectNode params) {}

    /** The label's number, adding it if new. */
    private int label(Label label) {
        String key = Step.label(label.action, label.params);
        Integer id = labelIds.get(key);
        if (id == null) {
            id = labels.size();
            labelIds.put(key, id);
            labels.add(label);
        }
        return id;
    }

    /** The variables of {@code state} in the JSON form of {@link TlaValue}, by name. */
    private static ObjectNode json(TLCState state) {
        Map<String, TlaValue> vars = new HashMap<>();
        state.getVals().forEach((name, value) -> vars.put(name.toString(), TlaParser.value(value.toString())));
        return TlaValue.state(vars);
    }

    /** The bindings of the action's context: the constant-set parameters TLC split it by. */
    private static ObjectNode params(Action action) {
        Map<String, JsonNode> bound = new LinkedHashMap<>();
        List<SymbolNode> symbols = new ArrayList<>();
        action.con.lookup(sym -> {
            symbols.add(sym);
            return false;
        });
        for (SymbolNode sym : symbols) {
            bound.putIfAbsent(
                    sym.getName().toString(),
                    TlaParser.value(action.con.lookup(sym).toString()).json());
        }
        ObjectNode o = JSON.createObjectNode();
        bound.forEach(o::set);
        return o;
    }

    /** The parameters of an edge: the action's, or for RunHandler and RunOrphan the one read off the states. */
    private ObjectNode parameters(String action, ObjectNode params, int from, int to) {
        ObjectNode pre = stateJson.get(from);
        ObjectNode post = stateJson.get(to);
        return switch (action) {
            case "RunHandler" -> {
                List<String> ran = new ArrayList<>();
                Map<String, JsonNode> after = TlaValue.entries(post.get("mh"));
                TlaValue.entries(pre.get("mh")).forEach((s, mh) -> {
                    JsonNode now = after.get(s);
                    if (mh.get("st").asText().equals("running")
                            && now != null
                            && now.get("st").asText().equals("done")) {
                        ran.add(s);
                    }
                });
                yield JSON.createObjectNode().put("s", Long.parseLong(only(ran, action)));
            }
            case "RunOrphan" -> {
                List<JsonNode> gone = new ArrayList<>();
                pre.get("orphans").forEach(x -> {
                    boolean left = true;
                    for (JsonNode y : post.get("orphans")) {
                        left &= !y.equals(x);
                    }
                    if (left) {
                        gone.add(x);
                    }
                });
                yield (ObjectNode) JSON.createObjectNode().set("x", only(gone, action));
            }
            default -> params;
        };
    }

    private static <T> T only(List<T> found, String action) {
        if (found.size() != 1) {
            throw new IllegalStateException(action + " step with " + found.size() + " candidate parameters: " + found);
        }
        return found.get(0);
    }

    /** Writes one trace per path; returns the number of steps, {@code Init} not counted. */
    private long write(Path out, List<int[]> paths) throws IOException {
        long steps = 0;
        try (var w = Files.newBufferedWriter(out)) {
            for (int p = 0; p < paths.size(); p++) {
                List<Step> trace = new ArrayList<>();
                trace.add(new Step(Step.INIT, JSON.createObjectNode(), stateJson.get(0)));
                for (int e : paths.get(p)) {
                    Label label = labels.get(edges.get(e)[1]);
                    trace.add(new Step(label.action(), label.params(), stateJson.get(edges.get(e)[2])));
                }
                steps += paths.get(p).length;
                w.write(new Trace("cover#" + p, trace).toJson());
                w.newLine();
            }
        }
        return steps;
    }
}
