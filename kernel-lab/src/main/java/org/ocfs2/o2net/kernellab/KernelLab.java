// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.kernellab;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The kernel lab's prerequisites: qemu, busybox-static, kmod and cpio installed, Debian's current stock kernel
 * extracted and an initramfs built, all by {@code kernel-lab/bin/kernel-lab-setup}. {@link #setup(Path)} runs that
 * script; it is idempotent and takes about a second once everything is cached. When a prerequisite cannot be
 * installed it throws, with the script's own words about what is missing: the tests then fail, they are never
 * skipped.
 *
 * @param dir           the cache folder of this kernel ({@code ~/.cache/o2net-kernel-lab/<abi>})
 * @param vmlinuz       the kernel image
 * @param initramfs     the initramfs (busybox, the guest's init, the modules)
 * @param kernelVersion the kernel release, e.g. {@code 6.1.0-50-amd64}
 * @param packageVersion the Debian package version, e.g. {@code 6.1.176-1}
 * @param setupMillis   how long the setup script ran
 */
public record KernelLab(
        Path dir, Path vmlinuz, Path initramfs, String kernelVersion, String packageVersion, long setupMillis) {
    /** The setup script, relative to the kernel-lab module's folder. */
    public static final String SETUP_SCRIPT = "bin/kernel-lab-setup";

    /**
     * Runs the setup script of the kernel-lab module at {@code moduleDir} and returns what it made.
     *
     * @throws IllegalStateException if the script fails, with its output (it names what is missing)
     */
    public static KernelLab setup(Path moduleDir) {
        Path script = moduleDir.resolve(SETUP_SCRIPT);
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException("kernel lab setup script not found or not executable: " + script);
        }
        long start = System.nanoTime();
        String out;
        int rc;
        try {
            Process p = new ProcessBuilder(script.toString())
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().close();
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), UTF_8);
            }
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("kernel lab setup did not finish in 15 minutes:\n" + out);
            }
            rc = p.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + script, e);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        String dirLine = out.lines()
                .filter(l -> l.startsWith("KERNEL_LAB_DIR="))
                .reduce((a, b) -> b)
                .orElse(null);
        if (rc != 0 || dirLine == null) {
            throw new IllegalStateException(
                    "kernel lab prerequisites missing: " + script + " exited " + rc + ". Its output:\n" + out.strip());
        }
        Path dir = Path.of(dirLine.substring("KERNEL_LAB_DIR=".length()).strip());
        try {
            return new KernelLab(
                    dir,
                    dir.resolve("vmlinuz"),
                    dir.resolve("initramfs.cpio.gz"),
                    Files.readString(dir.resolve("kernel-version")).strip(),
                    Files.readString(dir.resolve("package-version")).strip(),
                    millis);
        } catch (IOException e) {
            throw new IllegalStateException("kernel lab cache " + dir + " is incomplete: " + e.getMessage(), e);
        }
    }
}
