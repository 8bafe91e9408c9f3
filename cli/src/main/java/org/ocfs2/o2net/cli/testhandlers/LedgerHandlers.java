// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.cli.testhandlers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;
import org.ocfs2.o2net.cli.HandlerProvider;
import org.ocfs2.o2net.node.HandlerRegistration;
import org.ocfs2.o2net.node.O2netNode;

/**
 * The test handler {@code ledger} ({@code --handlers ledger --ledger FILE}): msg_type {@value #LEDGER}, key
 * {@link TestHandlers#KEY}. Every run appends one line, {@code <payload as text> <from node>}, to the ledger file
 * (opened for append, so the file keeps the runs of every earlier process of the node) and returns the payload's
 * CRC-32 masked to a positive int ({@link #status}), a status that tells one message from another. A checker that
 * reads the ledgers after a run sees every handler run, including those of a process killed with SIGKILL: each line
 * is one {@code write(2)}, in the page cache before the handler returns (a machine crash could lose the tail; no
 * {@code fsync}).
 */
public final class LedgerHandlers implements HandlerProvider {
    /** {@code msg_type} of the ledger handler. */
    public static final int LEDGER = 4;

    private static volatile Path file;

    /** Sets the ledger file of this process ({@code o2net node --ledger FILE}), before the handler is registered. */
    public static void useFile(Path path) {
        file = path;
    }

    /** The status the ledger handler returns for {@code payload}: its CRC-32, masked to a positive int. */
    public static int status(byte[] payload) {
        CRC32 crc = new CRC32();
        crc.update(payload);
        return (int) (crc.getValue() & 0x7fffffff);
    }

    @Override
    public String name() {
        return "ledger";
    }

    @Override
    public String description() {
        return "test handler ledger: msg_type 4, key 0x74657374: appends '<payload> <from>' to the --ledger file, "
                + "returns the payload's CRC-32 & 0x7fffffff";
    }

    @Override
    public void register(O2netNode node) {
        Path path = file;
        if (path == null) {
            throw new IllegalStateException("the ledger handler needs --ledger FILE");
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("--ledger " + path + ": " + e.getMessage(), e);
        }
        // it writes a file: on the executor, not on the receive path
        node.registerHandler(
                LEDGER,
                TestHandlers.KEY,
                4072,
                r -> {
                    byte[] line = (new String(r.payload(), StandardCharsets.US_ASCII) + " " + r.fromNode() + "\n")
                            .getBytes(StandardCharsets.US_ASCII);
                    ByteBuffer b = ByteBuffer.wrap(line);
                    synchronized (ch) {
                        while (b.hasRemaining()) {
                            ch.write(b);
                        }
                    }
                    return status(r.payload());
                },
                HandlerRegistration.Dispatch.EXECUTOR);
    }
}
