// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

/** The {@code --protocol} values: the kernel's o2net (v11) or the reliable protocol (v12). */
public enum Protocol {
    /** Kernel o2net, protocol version 11: wire-compatible with the kernel, today's semantics. */
    v11,
    /** The reliable protocol, version 12: exactly-once calls across resets, incarnations in the handshake. */
    v12;

    /** How the demo and the tables name it. */
    String describe() {
        return this == v11 ? "today's o2net (v11)" : "the reliable protocol (" + name() + ")";
    }

    boolean reliable() {
        return this == v12;
    }
}
