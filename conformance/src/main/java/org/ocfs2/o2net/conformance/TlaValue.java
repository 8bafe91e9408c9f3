// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * A TLA+ value as TLC prints it (see {@link TlaParser}), with a total canonical order and a canonical JSON form.
 * <p>
 * The JSON form, used for every state in a {@link Trace}:
 * <ul>
 *   <li>integer: number; boolean: {@code true}/{@code false}; string and model value: JSON string (a trace does not
 *       tell {@code "S"} from a model value {@code S});</li>
 *   <li>tuple {@code <<a, b>>}: array (TLC prints every function with domain {@code 1..n} this way, the empty
 *       function included);</li>
 *   <li>record {@code [f |-> v]}: object, fields in name order;</li>
 *   <li>function {@code (k :> v @@ ...)}: object whose keys are the {@linkplain #text spec text} of the keys' JSON
 *       form ({@code "2"}, {@code "c1"}, {@code "<<c1, 1>>"}), in the canonical order of the keys;</li>
 *   <li>set: array in canonical order.</li>
 * </ul>
 * Equal values have equal JSON text, whatever order TLC printed them in (its order of strings and model values
 * follows interning, which differs between JVMs).
 */
public sealed interface TlaValue extends Comparable<TlaValue> {

    /** The canonical JSON form. */
    JsonNode json();

    /** Rank of the kind in the canonical order: values of a lower rank sort first. */
    int rank();

    /** The parts a composite value is ordered by (elements, or keys and values in turn); empty for a scalar. */
    default List<TlaValue> parts() {
        return List.of();
    }

    /** Canonical order: by kind, then by value; composites lexicographically by their {@link #parts()}. */
    @Override
    default int compareTo(TlaValue o) {
        int r = Integer.compare(rank(), o.rank());
        if (r != 0) {
            return r;
        }
        if (this instanceof Bool b) {
            return Boolean.compare(b.value, ((Bool) o).value);
        }
        if (this instanceof Int i) {
            return Long.compare(i.value, ((Int) o).value);
        }
        if (this instanceof Str t) {
            return t.value.compareTo(((Str) o).value);
        }
        if (this instanceof Model m) {
            return m.name.compareTo(((Model) o).name);
        }
        Iterator<TlaValue> a = parts().iterator();
        Iterator<TlaValue> b = o.parts().iterator();
        while (a.hasNext() && b.hasNext()) {
            int c = a.next().compareTo(b.next());
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(a.hasNext(), b.hasNext());
    }

    /**
     * The spec text of a JSON value of this form, as the spec writes values and TLC prints them except that strings
     * are bare: {@code <<c1, 1>>}, {@code [kind |-> msg, seq |-> 1]}, {@code NoCall}, {@code 3}, {@code TRUE}.
     */
    static String text(JsonNode v) {
        if (v.isArray()) {
            StringBuilder sb = new StringBuilder("<<");
            for (int i = 0; i < v.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(text(v.get(i)));
            }
            return sb.append(">>").toString();
        }
        if (v.isObject()) {
            StringBuilder sb = new StringBuilder("[");
            v.fields()
                    .forEachRemaining(e -> sb.append(sb.length() == 1 ? "" : ", ")
                            .append(e.getKey())
                            .append(" |-> ")
                            .append(text(e.getValue())));
            return sb.append(']').toString();
        }
        if (v.isBoolean()) {
            return v.booleanValue() ? "TRUE" : "FALSE";
        }
        return v.asText();
    }

    /**
     * The entries of a function in JSON form, key text to value: an object's fields, or an array's elements under
     * the keys {@code "1"}, {@code "2"}, ... (a function with domain {@code 1..n} prints as a tuple).
     *
     * @throws IllegalArgumentException if {@code fcn} is neither
     */
    static Map<String, JsonNode> entries(JsonNode fcn) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        if (fcn.isArray()) {
            for (int i = 0; i < fcn.size(); i++) {
                m.put(Integer.toString(i + 1), fcn.get(i));
            }
        } else if (fcn.isObject()) {
            fcn.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue()));
        } else {
            throw new IllegalArgumentException("not a function: " + fcn);
        }
        return m;
    }

    /** A state in JSON form: one field per variable, in name order. */
    static ObjectNode state(Map<String, TlaValue> vars) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        new TreeMap<>(vars).forEach((name, v) -> o.set(name, v.json()));
        return o;
    }

    /** An integer. */
    record Int(long value) implements TlaValue {
        @Override
        public JsonNode json() {
            return JsonNodeFactory.instance.numberNode(value);
        }

        @Override
        public int rank() {
            return 1;
        }
    }

    /** {@code TRUE} or {@code FALSE}. */
    record Bool(boolean value) implements TlaValue {
        @Override
        public JsonNode json() {
            return JsonNodeFactory.instance.booleanNode(value);
        }

        @Override
        public int rank() {
            return 0;
        }
    }

    /** A string, {@code "text"}. */
    record Str(String value) implements TlaValue {
        @Override
        public JsonNode json() {
            return JsonNodeFactory.instance.textNode(value);
        }

        @Override
        public int rank() {
            return 2;
        }
    }

    /** A model value of the cfg, such as {@code c1} or {@code NoCall}. */
    record Model(String name) implements TlaValue {
        @Override
        public JsonNode json() {
            return JsonNodeFactory.instance.textNode(name);
        }

        @Override
        public int rank() {
            return 3;
        }
    }

    /** A tuple {@code <<a, b>>}: a function with domain {@code 1..n}. */
    record Tuple(List<TlaValue> elements) implements TlaValue {
        public Tuple {
            elements = List.copyOf(elements);
        }

        @Override
        public JsonNode json() {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            elements.forEach(e -> a.add(e.json()));
            return a;
        }

        @Override
        public int rank() {
            return 4;
        }

        @Override
        public List<TlaValue> parts() {
            return elements;
        }
    }

    /** A record {@code [f |-> v, ...]}; fields sorted by name. */
    record Rec(SortedMap<String, TlaValue> fields) implements TlaValue {
        @Override
        public JsonNode json() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            fields.forEach((k, v) -> o.set(k, v.json()));
            return o;
        }

        @Override
        public int rank() {
            return 5;
        }

        @Override
        public List<TlaValue> parts() {
            List<TlaValue> p = new ArrayList<>();
            fields.forEach((k, v) -> {
                p.add(new Str(k));
                p.add(v);
            });
            return p;
        }
    }

    /** A function {@code (k1 :> v1 @@ k2 :> v2)} whose domain is not {@code 1..n}; keys in canonical order. */
    record Fcn(SortedMap<TlaValue, TlaValue> map) implements TlaValue {
        @Override
        public JsonNode json() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            map.forEach((k, v) -> o.set(text(k.json()), v.json()));
            return o;
        }

        @Override
        public int rank() {
            return 6;
        }

        @Override
        public List<TlaValue> parts() {
            List<TlaValue> p = new ArrayList<>();
            map.forEach((k, v) -> {
                p.add(k);
                p.add(v);
            });
            return p;
        }
    }

    /** A finite set {@code {a, b}}; elements in canonical order. */
    record SetOf(SortedSet<TlaValue> elements) implements TlaValue {
        @Override
        public JsonNode json() {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            elements.forEach(e -> a.add(e.json()));
            return a;
        }

        @Override
        public int rank() {
            return 7;
        }

        @Override
        public List<TlaValue> parts() {
            return List.copyOf(elements);
        }
    }
}
