// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

import io.netty.handler.codec.CorruptedFrameException;

/**
 * A STATUS frame whose {@code sys_status} is not below {@code O2NET_ERR_MAX} (4). The kernel has no translation for
 * such a value ({@code o2net_sys_err_to_errno} would hit a {@code BUG_ON}); this implementation refuses the frame.
 */
public final class BadSysStatusException extends CorruptedFrameException {
    private static final long serialVersionUID = 1L;

    private final int sysStatus;

    public BadSysStatusException(int sysStatus) {
        super("STATUS frame has sys_status " + Integer.toUnsignedString(sysStatus) + ", not below O2NET_ERR_MAX ("
                + SysStatus.MAX + ")");
        this.sysStatus = sysStatus;
    }

    /** Returns the {@code sys_status} found on the wire (u32 bits). */
    public int sysStatus() {
        return sysStatus;
    }
}
