// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli.testhandlers;

import org.ocfs2.o2net.cli.HandlerProvider;
import org.ocfs2.o2net.node.O2netNode;

/** The test handler {@code slow} ({@code --handlers slow}); see {@link TestHandlers} for its type, key and status. */
public final class SlowHandlers implements HandlerProvider {
    @Override
    public String name() {
        return "slow";
    }

    @Override
    public String description() {
        return "test handler slow: msg_type 3, key 0x74657374: sleeps the payload's decimal milliseconds (default 1000), returns 0";
    }

    @Override
    public void register(O2netNode node) {
        TestHandlers.registerSlow(node);
    }
}
