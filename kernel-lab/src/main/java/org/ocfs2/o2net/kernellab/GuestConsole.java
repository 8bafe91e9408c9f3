// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.kernellab;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guest's console (its first serial port), which qemu writes to a file: the kernel's log, o2net's notices among
 * them ("Accepted connection from node ...", "No longer connected to node ..."). Lines are numbered from 0;
 * {@link #mark()} returns the next line's number, so that a check waits only for lines that came after its action.
 * Thread-safe.
 */
public final class GuestConsole {
    /** What the kernel prints when o2quo fences the node; the guest is lost after it. */
    static final String FENCING = "ocfs2 is very sorry to be fencing this system";

    private final Path file;
    private final BooleanSupplier guestAlive;
    private final List<String> lines = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private long offset;

    GuestConsole(Path file, BooleanSupplier guestAlive) {
        this.file = file;
        this.guestAlive = guestAlive;
    }

    /** The console file. */
    public Path file() {
        return file;
    }

    /** The number the next line will have. */
    public synchronized int mark() {
        poll();
        return lines.size();
    }

    /** Every line from line {@code from} on. */
    public synchronized List<String> linesFrom(int from) {
        poll();
        return new ArrayList<>(lines.subList(Math.min(from, lines.size()), lines.size()));
    }

    /** The last {@code n} lines, for failure messages. */
    public synchronized String tail(int n) {
        poll();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    /** A line found by {@link #await}: its number, text and the match. */
    public record Line(int number, String text, Matcher match, long nanoTime) {}

    /** The first line from line {@code from} on that matches {@code pattern}, or null if there is none yet. */
    public synchronized Line find(int from, Pattern pattern) {
        poll();
        for (int i = from; i < lines.size(); i++) {
            Matcher m = pattern.matcher(lines.get(i));
            if (m.find()) {
                return new Line(i, lines.get(i), m, System.nanoTime());
            }
        }
        return null;
    }

    /**
     * Waits for a line from line {@code from} on that matches {@code pattern}.
     *
     * @throws AssertionError after {@code timeout}, or at once if the guest stopped or fenced itself, quoting the
     *     console's last lines and naming {@code what} was awaited
     */
    public Line await(int from, Pattern pattern, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (; ; ) {
            Line l = find(from, pattern);
            if (l != null) {
                return l;
            }
            if (find(from, Pattern.compile(Pattern.quote(FENCING))) != null) {
                throw new AssertionError(
                        "the kernel fenced itself while waiting for " + what + "; console:\n" + tail(30));
            }
            if (!guestAlive.getAsBoolean()) {
                throw new AssertionError("the guest stopped while waiting for " + what + "; console:\n" + tail(30));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no console line matching /" + pattern + "/ (" + what + ") within "
                        + timeout.toSeconds() + " s; console's last lines:\n" + tail(30));
            }
            sleep(50);
        }
    }

    private void poll() {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long len = f.length();
            if (len <= offset) {
                return;
            }
            byte[] buf = new byte[(int) Math.min(len - offset, 1 << 20)];
            f.seek(offset);
            f.readFully(buf);
            offset += buf.length;
            partial.append(new String(buf, UTF_8));
            int nl;
            while ((nl = partial.indexOf("\n")) >= 0) {
                String line = partial.substring(0, nl);
                if (line.endsWith("\r")) {
                    line = line.substring(0, line.length() - 1);
                }
                lines.add(line);
                partial.delete(0, nl + 1);
            }
        } catch (java.io.FileNotFoundException e) {
            // qemu has not created it yet
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the guest console " + file, e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
