// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench.load;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The floor: request/response over plain blocking sockets, no Netty, no framework. Each caller has its own
 * connection (the best a blocking ping-pong can do: no multiplexing, no hand-off) served by its own server thread.
 *
 * <pre>
 *   request:  [ length: u32 ][ payload: length bytes ]     response: [ status: s32 ]
 * </pre>
 *
 * Both ends set TCP_NODELAY and write each message with one {@code write}.
 */
public final class FloorTarget implements Target {
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private ServerSocket server;
    private Thread acceptor;

    @Override
    public String name() {
        return "floor (blocking sockets)";
    }

    @Override
    public void start() throws IOException {
        server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "floor-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "floor-server-" + s.getPort());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    throw new IllegalStateException("floor: accept failed", e);
                }
            }
        }
    }

    private static void serve(Socket s) {
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[4096];
            byte[] reply = new byte[4];
            for (; ; ) {
                int len;
                try {
                    len = in.readInt();
                } catch (EOFException e) {
                    return; // the caller closed
                }
                if (len < 4 || len > buf.length) {
                    throw new IOException("floor: bad request length " + len);
                }
                in.readFully(buf, 0, len);
                putInt(reply, 0, Target.statusOf(buf, len));
                out.write(reply);
            }
        } catch (SocketException e) {
            // closed by close()
        } catch (IOException e) {
            throw new IllegalStateException("floor server: " + e.getMessage(), e);
        }
    }

    @Override
    public Caller caller() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
        sockets.add(s);
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        return new Caller() {
            private byte[] frame = new byte[0];
            private final byte[] reply = new byte[4];

            @Override
            public int call(byte[] payload) throws IOException {
                if (frame.length != 4 + payload.length) {
                    frame = new byte[4 + payload.length];
                }
                putInt(frame, 0, payload.length);
                System.arraycopy(payload, 0, frame, 4, payload.length);
                out.write(frame);
                int n = 0;
                while (n < 4) {
                    int r = in.read(reply, n, 4 - n);
                    if (r < 0) {
                        throw new EOFException("floor: server closed");
                    }
                    n += r;
                }
                return getInt(reply, 0);
            }

            @Override
            public void close() throws IOException {
                s.close();
            }
        };
    }

    /** Reads the big-endian int at {@code at}. */
    public static int getInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    /** Writes {@code v} big-endian at {@code at}. */
    public static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.close();
        }
        for (Socket s : sockets) {
            s.close();
        }
        if (acceptor != null) {
            acceptor.join(5000);
        }
    }
}
