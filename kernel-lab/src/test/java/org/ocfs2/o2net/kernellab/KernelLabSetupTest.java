// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.kernellab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KernelLab#setup}: a setup script that cannot install a prerequisite makes the setup throw with the script's
 * own words, so the kernel tests fail naming what is missing instead of being skipped; a missing script is named too;
 * a successful script's folder is read back.
 */
class KernelLabSetupTest {
    @TempDir
    Path module;

    private void script(String body) throws IOException {
        Path s = module.resolve(KernelLab.SETUP_SCRIPT);
        Files.createDirectories(s.getParent());
        Files.writeString(s, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void aFailedSetupFailsNamingWhatIsMissing() throws IOException {
        script("echo 'kernel-lab-setup: ERROR: missing packages: qemu-system-x86; install them as root' >&2\nexit 1\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KernelLab.setup(module));
        assertTrue(e.getMessage().contains("kernel lab prerequisites missing"), e.getMessage());
        assertTrue(e.getMessage().contains("missing packages: qemu-system-x86"), e.getMessage());
    }

    @Test
    void aMissingScriptIsNamed() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KernelLab.setup(module));
        assertTrue(e.getMessage().contains("setup script not found"), e.getMessage());
    }

    @Test
    void aSuccessfulSetupIsReadBack() throws IOException {
        Path cache = module.resolve("cache");
        Files.createDirectories(cache);
        Files.writeString(cache.resolve("kernel-version"), "6.1.0-99-amd64\n");
        Files.writeString(cache.resolve("package-version"), "6.1.999-1\n");
        script("echo building >&2\necho KERNEL_LAB_DIR=" + cache + "\n");
        KernelLab lab = KernelLab.setup(module);
        assertEquals(cache.resolve("vmlinuz"), lab.vmlinuz());
        assertEquals(cache.resolve("initramfs.cpio.gz"), lab.initramfs());
        assertEquals("6.1.0-99-amd64", lab.kernelVersion());
        assertEquals("6.1.999-1", lab.packageVersion());
    }
}
