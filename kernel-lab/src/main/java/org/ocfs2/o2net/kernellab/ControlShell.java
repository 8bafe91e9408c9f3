// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.kernellab;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The control channel into the guest: a shell on the guest's second serial port, which qemu offers on a unix socket.
 * {@link #run} sends one command, run in a subshell (so that {@code set -e} or {@code exit} in it cannot end the control
 * shell), and waits for an end marker that carries its exit status, so commands never interleave and no reply is
 * taken for another's. The guest's init made the port raw and without echo, and runs the
 * shell on a pipe, so there is no prompt to strip.
 */
public final class ControlShell implements AutoCloseable {
    private static final Pattern END = Pattern.compile("\n@@END (\\d+) (\\d+)\n");

    /** A command's output (stdout and stderr together) and exit status. */
    public record Result(String command, int status, String output) {
        /** Returns the output, or throws naming the command if it failed. */
        public String ok() {
            if (status != 0) {
                throw new AssertionError("guest command failed (exit " + status + "): " + command + "\n" + output);
            }
            return output;
        }
    }

    private final SocketChannel channel;
    private final BooleanSupplier guestAlive;
    private final StringBuilder received = new StringBuilder();
    private final Thread reader;
    private long nextId = 1;
    private volatile boolean closed;

    private ControlShell(SocketChannel channel, BooleanSupplier guestAlive) {
        this.channel = channel;
        this.guestAlive = guestAlive;
        this.reader = new Thread(this::readLoop, "kernel-lab-control");
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects to qemu's unix socket {@code socket}, waiting up to {@code timeout} for qemu to create it. */
    static ControlShell connect(Path socket, Duration timeout, BooleanSupplier guestAlive) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (; ; ) {
            try {
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    ch.connect(UnixDomainSocketAddress.of(socket));
                    return new ControlShell(ch, guestAlive);
                } catch (IOException e) {
                    ch.close();
                    throw e;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !guestAlive.getAsBoolean()) {
                    throw new IllegalStateException("cannot connect to the guest's control channel " + socket, e);
                }
                GuestConsole.sleep(50);
            }
        }
    }

    /**
     * Runs {@code command} in the guest's shell and returns its output and status.
     *
     * @throws AssertionError if no answer came within {@code timeout} or the guest stopped
     */
    public synchronized Result run(String command, Duration timeout) {
        long id = nextId++;
        String line = "( " + command + "\n) 2>&1; printf '\\n@@END %s %s\\n' " + id + " $?\n";
        write(line);
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (received) {
            for (; ; ) {
                Matcher m = END.matcher(received);
                while (m.find()) {
                    if (Long.parseLong(m.group(1)) == id) {
                        String out = received.substring(0, m.start());
                        int status = Integer.parseInt(m.group(2));
                        received.delete(0, m.end());
                        return new Result(command, status, out.strip());
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !guestAlive.getAsBoolean() || closed) {
                    throw new AssertionError("no answer from the guest within " + timeout.toSeconds() + " s to: "
                            + command + (guestAlive.getAsBoolean() ? "" : " (the guest stopped)")
                            + "; received so far: " + received);
                }
                // The serial line delivers the guest's bytes only when the host sends more: nudge it with empty
                // lines (no-ops for the shell) until the answer is complete.
                write("\n");
                try {
                    received.wait(Math.max(1, Math.min(left / 1_000_000, 50)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
    }

    private void write(String s) {
        try {
            ByteBuffer b = ByteBuffer.wrap(s.getBytes(UTF_8));
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the guest's control channel", e);
        }
    }

    /** Runs {@code command} with a 60 s upper bound and returns its output; throws if it failed. */
    public String ok(String command) {
        return run(command, Duration.ofSeconds(60)).ok();
    }

    private void readLoop() {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        try {
            while (!closed) {
                buf.clear();
                int n = channel.read(buf);
                if (n < 0) {
                    break;
                }
                synchronized (received) {
                    received.append(new String(buf.array(), 0, n, UTF_8).replace("\r", ""));
                    received.notifyAll();
                }
            }
        } catch (IOException e) {
            // closed
        } finally {
            closed = true;
            synchronized (received) {
                received.notifyAll();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
