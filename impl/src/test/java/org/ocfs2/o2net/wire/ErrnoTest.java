// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrnoTest {
    @Test
    void linuxValues() {
        Map<Errno, Integer> linux = Map.ofEntries(
                Map.entry(Errno.ESRCH, 3),
                Map.entry(Errno.ENOMEM, 12),
                Map.entry(Errno.EBUSY, 16),
                Map.entry(Errno.EEXIST, 17),
                Map.entry(Errno.EINVAL, 22),
                Map.entry(Errno.EPIPE, 32),
                Map.entry(Errno.ELOOP, 40),
                Map.entry(Errno.EPROTO, 71),
                Map.entry(Errno.EOVERFLOW, 75),
                Map.entry(Errno.ENOPROTOOPT, 92),
                Map.entry(Errno.ENOTCONN, 107),
                Map.entry(Errno.EHOSTDOWN, 112));
        assertEquals(linux.size(), Errno.values().length);
        linux.forEach((e, v) -> {
            assertEquals(v, e.code(), e.name());
            assertEquals(-v, e.kernelReturn(), e.name());
            assertSame(e, Errno.of(v));
            assertSame(e, Errno.of(-v));
        });
        assertThrows(IllegalArgumentException.class, () -> Errno.of(1));
    }

    @Test
    void sysStatusTranslation() {
        assertEquals(0, SysStatus.NONE.code());
        assertEquals(1, SysStatus.NO_HNDLR.code());
        assertEquals(2, SysStatus.OVERFLOW.code());
        assertEquals(3, SysStatus.DIED.code());
        assertNull(SysStatus.NONE.errno());
        assertEquals(0, SysStatus.NONE.kernelReturn());
        assertEquals(Errno.ENOPROTOOPT, SysStatus.NO_HNDLR.errno());
        assertEquals(Errno.EOVERFLOW, SysStatus.OVERFLOW.errno());
        assertEquals(Errno.EHOSTDOWN, SysStatus.DIED.errno());
        assertEquals(-112, SysStatus.DIED.kernelReturn());
        for (SysStatus s : SysStatus.values()) {
            assertSame(s, SysStatus.of(s.code()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SysStatus.of(4));
        assertTrue(e.getMessage().contains("4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SysStatus.of(-1));
    }

    @Test
    void exceptionCarriesErrno() {
        O2netException e = new O2netException(Errno.ELOOP, "target is this node");
        assertEquals(Errno.ELOOP, e.errno());
        assertEquals(-40, e.kernelReturn());
        assertEquals("ELOOP: target is this node", e.getMessage());
        Throwable cause = new IllegalStateException();
        assertSame(cause, new O2netException(Errno.EPIPE, "short write", cause).getCause());
    }
}
