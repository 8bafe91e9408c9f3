// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

/**
 * Deliberate protocol bugs a {@link PeerCore} can be built with
 * ({@link PeerCore#PeerCore(int, int, boolean, long, Effects, java.util.Set)}). They exist only to measure the
 * conformance suite's detection power (mutation testing: each bug must make some TLC trace fail); production code
 * never enables any, and the ordinary constructor enables none. Each is a minimal, realistic change to one spec
 * action of {@code spec/tla/ReliableO2net.tla}, guarded in the core by {@code bugs.contains(...)}.
 */
public enum ProtocolBug {
    /** {@code RecvMsg} ignores an existing MH: a duplicate is taken as a new message and its handler runs again. */
    NO_DUP_CHECK,
    /** {@code RunHandler}: R frees the MH as soon as the handler returns, sending the status but storing none. */
    MH_FREED_BEFORE_STATUS,
    /** {@code Connect}: S does not write its held messages again on the new connection. */
    NO_RESEND,
    /** {@code RecvStatus}: the call returns at once, before R confirms the MH is gone ({@code MH_REMOVED}). */
    RETURN_BEFORE_REMOVED,
    /** {@code Connect}: a new incarnation of the peer neither frees R's MHs nor fails S's held calls. */
    IGNORE_INCARNATION,
    /** {@code RecvDup} while the MH is RUNNING queues the handler again. */
    RERUN_DUP_DURING_RUN,
    /** {@code RunOrphan}: the orphan's status is stored into whatever MH now has its {@code msg_seq}. */
    ORPHAN_STORES_BY_SEQ
}
