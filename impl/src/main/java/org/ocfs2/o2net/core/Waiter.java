// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import java.util.concurrent.CompletableFuture;

/**
 * A caller blocked in {@code o2net_send_message()}: the kernel's {@code o2net_status_wait} plus what debugfs
 * {@code send_tracking} shows about it. The {@link #future()} completes, exactly once, when the call is over.
 */
public final class Waiter {
    private final int peer;
    private final int msgType;
    private final int key;
    private final int msgNum;
    private final long msgSeq;
    private final String caller;
    private final long startNanos;
    private final CompletableFuture<CallResult> future = new CompletableFuture<>();

    Waiter(int peer, int msgType, int key, int msgNum, long msgSeq, String caller, long startNanos) {
        this.peer = peer;
        this.msgType = msgType;
        this.key = key;
        this.msgNum = msgNum;
        this.msgSeq = msgSeq;
        this.caller = caller;
        this.startNanos = startNanos;
    }

    /** The node the message goes to. */
    public int peer() {
        return peer;
    }

    public int msgType() {
        return msgType;
    }

    public int key() {
        return key;
    }

    /** The waiter id on the wire ({@code msg_num}): the lowest free id, reused after the call. */
    public int msgNum() {
        return msgNum;
    }

    /** The message's sequence number ({@code msg_seq}, from 1); 0 in protocol v11. */
    public long msgSeq() {
        return msgSeq;
    }

    /** Who called: the name of the calling thread, as {@code send_tracking} shows the task. */
    public String caller() {
        return caller;
    }

    /** When the call started, on the core's clock (nanoseconds). */
    public long startNanos() {
        return startNanos;
    }

    /** Completes when the call is over; never completes exceptionally. */
    public CompletableFuture<CallResult> future() {
        return future;
    }

    @Override
    public String toString() {
        return "Waiter{peer=" + peer + ", msgType=" + msgType + ", key=0x" + Integer.toHexString(key) + ", msgNum="
                + msgNum + ", msgSeq=" + msgSeq + ", caller=" + caller + '}';
    }
}
