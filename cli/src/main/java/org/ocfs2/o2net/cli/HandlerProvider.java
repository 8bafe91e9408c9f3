// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.ocfs2.o2net.node.O2netNode;

/**
 * How an application puts its message handlers into a node that {@code o2net node} runs: o2net itself has no
 * handlers, the application that embeds it does (in the kernel, o2dlm registers its own at module load).
 * <p>
 * Implement this interface, list the class in {@code META-INF/services/org.ocfs2.o2net.cli.HandlerProvider} of a jar,
 * put the jar on the class path ({@code O2NET_CLASSPATH} for {@code bin/o2net}), and select it by name:
 * {@code o2net node ... --handlers myapp}. The node calls {@link #register} once, before it starts listening, so no
 * request arrives before the handlers are there. A provider that needs to clean up can keep the
 * {@link org.ocfs2.o2net.node.HandlerRegistration}s; the node's close ends every run.
 * <p>
 * The command ships one set for demos and tests, {@link org.ocfs2.o2net.cli.testhandlers}: {@code echo},
 * {@code counter} and {@code slow}.
 */
public interface HandlerProvider {
    /** The name {@code --handlers} selects this provider by: lower case, no commas. */
    String name();

    /** One line for the node's log and the error that lists the providers. */
    String description();

    /**
     * Registers this provider's handlers on {@code node} ({@link O2netNode#registerHandler}); called once, before
     * {@link O2netNode#start()}.
     */
    void register(O2netNode node);

    /** Every provider on the class path, by name, in class path order. */
    static Map<String, HandlerProvider> available() {
        Map<String, HandlerProvider> m = new LinkedHashMap<>();
        for (HandlerProvider p : ServiceLoader.load(HandlerProvider.class)) {
            m.putIfAbsent(p.name(), p);
        }
        return m;
    }

    /**
     * The providers named, in order.
     *
     * @throws CliException (usage) naming an unknown provider and listing the known ones
     */
    static List<HandlerProvider> select(List<String> names) {
        Map<String, HandlerProvider> all = available();
        List<HandlerProvider> chosen = new ArrayList<>();
        for (String n : names) {
            HandlerProvider p = all.get(n.strip());
            if (p == null) {
                throw new CliException(
                        ExitCodes.USAGE,
                        "--handlers: no handler provider named '" + n.strip() + "' on the class path (known: "
                                + String.join(", ", all.keySet()) + ")");
            }
            if (!chosen.contains(p)) {
                chosen.add(p);
            }
        }
        return chosen;
    }
}
