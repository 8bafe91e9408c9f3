// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.bench.load;

/**
 * One system under load: a server on loopback and the means to call it. A call sends a request payload and blocks
 * for a 32-bit status, which the server computes with {@link #statusOf} so the caller can check every answer.
 */
public interface Target extends AutoCloseable {
    /** A short name for the tables. */
    String name();

    /** Starts the server (and the client side's shared parts); returns once a call can be made. */
    void start() throws Exception;

    /** A caller for one thread; the load generator makes one per concurrent caller. */
    Caller caller() throws Exception;

    /**
     * After a run, with no call in progress: what the system still holds for the calls it finished (for o2net the
     * Message Holders and held messages on both nodes), or {@code null} when it keeps nothing.
     */
    default Integer leftOver() throws Exception {
        return null;
    }

    @Override
    void close() throws Exception;

    /** Calls from one thread. */
    interface Caller extends AutoCloseable {
        /** Sends {@code payload} and returns the server's status. */
        int call(byte[] payload) throws Exception;

        @Override
        default void close() throws Exception {}
    }

    /**
     * The status every server returns for {@code payload}: a function of its first four bytes (which the load
     * generator makes unique per call) and its length.
     */
    static int statusOf(byte[] payload) {
        return statusOf(payload, payload.length);
    }

    /** {@link #statusOf(byte[])} of the first {@code length} bytes of {@code buf}. */
    static int statusOf(byte[] buf, int length) {
        return statusOf(FloorTarget.getInt(buf, 0), length);
    }

    /** {@link #statusOf(byte[])} of a payload of {@code length} bytes whose first four are {@code head} (big-endian). */
    static int statusOf(int head, int length) {
        return head * 31 + length;
    }
}
