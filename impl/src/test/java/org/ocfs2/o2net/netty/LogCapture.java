// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.netty;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/**
 * Captures what slf4j-simple writes (it writes to {@code System.err}, looked up at every line) while open; the lines
 * are kept out of the build output and given to the test.
 */
public final class LogCapture implements AutoCloseable {
    private final PrintStream saved = System.err;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    public LogCapture() {
        System.setErr(new PrintStream(buf, true, UTF_8));
    }

    /** Everything logged so far. */
    public String text() {
        return buf.toString(UTF_8);
    }

    /** Whether a logged line contains {@code s}. */
    public boolean contains(String s) {
        return text().contains(s);
    }

    @Override
    public void close() {
        System.setErr(saved);
    }
}
