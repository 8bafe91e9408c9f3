// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.core;

import java.util.concurrent.CompletableFuture;
import org.ocfs2.o2net.wire.Errno;

/**
 * A call as the core tests make it: the opaque object handed to {@link PeerCore#send}, recording what the core
 * hands back ({@link Effects#sent}, {@link Effects#complete}, {@link Effects#refuse}). The future lives here, in the
 * caller, never in the core.
 */
final class TestCall {
    final String payload;
    private final CompletableFuture<CallResult> future = new CompletableFuture<>();
    private int msgNum = -1;
    private long msgSeq = -1;
    private Errno refused;

    TestCall(String payload) {
        this.payload = payload;
    }

    void sent(int msgNum, long msgSeq) {
        if (this.msgNum >= 0) {
            throw new AssertionError("call " + payload + " sent twice");
        }
        this.msgNum = msgNum;
        this.msgSeq = msgSeq;
    }

    void complete(CallResult r) {
        if (refused != null || !future.complete(r)) {
            throw new AssertionError("call " + payload + " ended twice, again with " + r);
        }
    }

    void refuse(Errno errno) {
        if (refused != null || future.isDone()) {
            throw new AssertionError("call " + payload + " ended twice, again with " + errno);
        }
        refused = errno;
    }

    /** Completes when the core completes the call; stays incomplete if it refuses it. */
    CompletableFuture<CallResult> future() {
        return future;
    }

    /** The waiter id the core gave the message; -1 before its {@code Send} step. */
    int msgNum() {
        return msgNum;
    }

    /** The message's {@code msg_seq}; -1 before its {@code Send} step, 0 in v11. */
    long msgSeq() {
        return msgSeq;
    }

    /** The errno the core refused the call with, or null. */
    Errno refused() {
        return refused;
    }

    @Override
    public String toString() {
        return "TestCall{" + payload + ", msgNum=" + msgNum + ", msgSeq=" + msgSeq + '}';
    }
}
