// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli;

/** The {@code --protocol} values: the kernel's o2net (v11), the RFC's reliable protocol (v12), one round trip (v13). */
public enum Protocol {
    /** Kernel o2net, protocol version 11: wire-compatible with the kernel, today's semantics. */
    v11,
    /** The reliable protocol of the RFC as written, version 12: two round trips (MH_REMOVE / MH_REMOVED). */
    v12,
    /** The reliable protocol with one round trip, version 13: acknowledgements and a window bound the MHs. */
    v13;

    /** The wire version. */
    org.ocfs2.o2net.wire.ProtocolVersion version() {
        return switch (this) {
            case v11 -> org.ocfs2.o2net.wire.ProtocolVersion.V11;
            case v12 -> org.ocfs2.o2net.wire.ProtocolVersion.V12;
            case v13 -> org.ocfs2.o2net.wire.ProtocolVersion.V13;
        };
    }

    /** How the demo and the tables name it. */
    String describe() {
        return this == v11 ? "today's o2net (v11)" : "the reliable protocol (" + name() + ")";
    }

    boolean reliable() {
        return this != v11;
    }
}
