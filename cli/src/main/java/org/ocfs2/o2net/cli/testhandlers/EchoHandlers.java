// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli.testhandlers;

import org.ocfs2.o2net.cli.HandlerProvider;
import org.ocfs2.o2net.node.O2netNode;

/** The test handler {@code echo} ({@code --handlers echo}); see {@link TestHandlers} for its type, key and status. */
public final class EchoHandlers implements HandlerProvider {
    @Override
    public String name() {
        return "echo";
    }

    @Override
    public String description() {
        return "test handler echo: msg_type 1, key 0x74657374: returns the payload read as a decimal integer";
    }

    @Override
    public void register(O2netNode node) {
        TestHandlers.registerEcho(node);
    }
}
