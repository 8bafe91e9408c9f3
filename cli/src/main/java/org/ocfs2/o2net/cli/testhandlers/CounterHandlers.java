// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli.testhandlers;

import org.ocfs2.o2net.cli.HandlerProvider;
import org.ocfs2.o2net.node.O2netNode;

/** The test handler {@code counter} ({@code --handlers counter}); see {@link TestHandlers} for its type, key and status. */
public final class CounterHandlers implements HandlerProvider {
    @Override
    public String name() {
        return "counter";
    }

    @Override
    public String description() {
        return "test handler counter: msg_type 2, key 0x74657374: returns how many COUNTER requests this node has handled";
    }

    @Override
    public void register(O2netNode node) {
        TestHandlers.registerCounter(node);
    }
}
