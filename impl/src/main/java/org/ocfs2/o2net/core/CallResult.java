// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import org.ocfs2.o2net.wire.SysStatus;

/**
 * How a call ended, as {@code o2net_send_message()} reports it: a {@link SysStatus} and, when that is
 * {@link SysStatus#NONE}, the handler's status.
 *
 * @param sysStatus {@code O2NET_ERR_*}: NONE (the handler ran), NO_HNDLR, OVERFLOW (answered by the receiver), or DIED
 *                  (local: the peer is gone, the call failed with EHOSTDOWN)
 * @param status    the handler's return value; meaningful only with {@link SysStatus#NONE}
 */
public record CallResult(SysStatus sysStatus, int status) {
    /** The result of a call that failed because the peer died, restarted or the connection died (v11). */
    public static final CallResult DIED = new CallResult(SysStatus.DIED, 0);

    /** Returns a result carrying the receiver's answer. */
    public static CallResult of(int sysStatus, int status) {
        return new CallResult(SysStatus.of(sysStatus), status);
    }
}
