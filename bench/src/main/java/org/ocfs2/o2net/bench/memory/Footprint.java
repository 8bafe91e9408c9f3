// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ocfs2.o2net.bench.Table;
import org.openjdk.jol.info.GraphLayout;

/**
 * A class histogram of the objects reachable from some roots, measured with JOL ({@link GraphLayout#parseInstance}):
 * objects and bytes per class. Only the histogram is kept, not JOL's layout of every object, so that taking one does
 * not hold on to memory. {@link #minus} gives what was added between two, class by class (not object by object, so a
 * GC that moves objects between the two walks does not matter); {@link #perMessage} divides that by a message count.
 * <p>
 * No JVM flag is needed on JDK 17: JOL reads fields through {@code Unsafe} field offsets, which JDK 17 refuses for
 * record classes (the core's {@code CallResult}); the {@code jol.magicFieldOffset} property, set here before JOL's VM
 * support class is loaded, makes JOL find those offsets another way. Without {@code -Djdk.attach.allowAttachSelf} JOL
 * warns that it has no {@code Instrumentation} and computes object sizes from the field layouts instead; the sizes
 * are the same (checked on JDK 17).
 */
final class Footprint {
    static {
        if (System.getProperty("jol.magicFieldOffset") == null) {
            System.setProperty("jol.magicFieldOffset", "true");
        }
    }

    /** Objects and bytes per class, {@code {count, bytes}}. */
    final Map<Class<?>, long[]> byClass;
    /** Bytes in all. */
    final long total;

    private Footprint(Map<Class<?>, long[]> byClass, long total) {
        this.byClass = byClass;
        this.total = total;
    }

    /** Walks the object graph reachable from {@code roots} and keeps its class histogram. */
    static Footprint of(Object... roots) {
        GraphLayout g = GraphLayout.parseInstance(roots);
        Map<Class<?>, long[]> m = new HashMap<>();
        for (Class<?> c : g.getClasses()) {
            m.put(c, new long[] {g.getClassCounts().count(c), g.getClassSizes().count(c)});
        }
        return new Footprint(m, g.totalSize());
    }

    /** What this has that {@code before} has not, class by class. */
    Footprint minus(Footprint before) {
        Map<Class<?>, long[]> m = new HashMap<>();
        for (Map.Entry<Class<?>, long[]> e : byClass.entrySet()) {
            long[] b = before.byClass.getOrDefault(e.getKey(), new long[2]);
            long count = e.getValue()[0] - b[0];
            long bytes = e.getValue()[1] - b[1];
            if (count != 0 || bytes != 0) {
                m.put(e.getKey(), new long[] {count, bytes});
            }
        }
        for (Map.Entry<Class<?>, long[]> e : before.byClass.entrySet()) {
            if (!byClass.containsKey(e.getKey())) {
                m.put(e.getKey(), new long[] {-e.getValue()[0], -e.getValue()[1]});
            }
        }
        return new Footprint(m, total - before.total);
    }

    /** Bytes added per message. */
    double perMessage(int n) {
        return (double) total / n;
    }

    /** Objects added per message. */
    double objectsPerMessage(int n) {
        long objects = 0;
        for (long[] v : byClass.values()) {
            objects += v[0];
        }
        return (double) objects / n;
    }

    /**
     * The classes that make up one message, the largest first: those with at least one object per two messages, the
     * rest (shared objects, the growth of arrays and tables, JDK caches that changed between the walks) summed in one
     * row, and the total.
     */
    Table table(String title, int n, String note) {
        List<Class<?>> classes = new ArrayList<>(byClass.keySet());
        classes.sort(
                Comparator.comparingLong((Class<?> c) -> -byClass.get(c)[1]).thenComparing(Class::getName));
        Table t = new Table(title, "class", "objects/msg", "bytes/msg");
        long otherCount = 0;
        long otherBytes = 0;
        for (Class<?> c : classes) {
            long[] v = byClass.get(c);
            if (Math.abs(v[0]) * 2 < n) {
                otherCount += v[0];
                otherBytes += v[1];
                continue;
            }
            t.row(name(c), Table.fixed((double) v[0] / n, 2), Table.fixed((double) v[1] / n, 1));
        }
        if (otherCount != 0 || otherBytes != 0) {
            t.row(
                    "(others: shared objects, growth of arrays and tables, JDK caches)",
                    Table.fixed((double) otherCount / n, 2),
                    Table.fixed((double) otherBytes / n, 1));
        }
        t.row("total", Table.fixed(objectsPerMessage(n), 2), Table.fixed(perMessage(n), 1));
        t.note(note);
        return t;
    }

    /** A class's name without its package: {@code byte[]}, {@code TreeMap.Entry}, {@code O2netNode (a lambda)}. */
    static String name(Class<?> c) {
        if (c.isArray()) {
            return name(c.getComponentType()) + "[]";
        }
        String n = c.getName();
        n = n.substring(n.lastIndexOf('.') + 1);
        int lambda = n.indexOf("$$Lambda");
        if (lambda >= 0) {
            return n.substring(0, lambda).replace('$', '.') + " (a lambda)";
        }
        return n.replace('$', '.');
    }
}
