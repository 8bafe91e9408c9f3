// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import java.util.function.Consumer;

/**
 * A registered handler ({@code struct o2net_msg_handler}), returned by {@link O2netNode#registerHandler}. Counts the
 * runs in progress, like the kernel's handler refcount, so that {@link #unregister()} can let a running handler
 * finish.
 */
public final class HandlerRegistration {
    /**
     * Where a handler runs, declared when it is registered. o2net keeps its ordering promise either way: one peer's
     * requests are handled one at a time, in arrival order.
     */
    public enum Dispatch {
        /**
         * On the receive path, as the kernel runs o2net handlers (in {@code o2net_rx_until_empty()}'s work): on the
         * peer's event loop, right after the frames read with the request, with no thread hand-off. For handlers that
         * do not block: while one runs, the event loop reads and writes for nobody else, this peer or the others it
         * serves. The default.
         */
        RECEIVE_PATH,
        /**
         * On the node's handler executor, off the event loop: for handlers that block (take a lock another request
         * releases, wait for I/O or for another node), as the DLM's recovery handlers do. A peer's requests still run
         * one at a time and in order, receive-path ones included: behind a request queued for the executor, the next
         * ones of that peer wait for it.
         */
        EXECUTOR
    }

    private static final ThreadLocal<HandlerRegistration> RUNNING = new ThreadLocal<>();

    private final int msgType;
    private final int key;
    private final int maxLen;
    final Handler handler;
    final PostHandler post;
    final Dispatch dispatch;
    /** The node's removal: the registration leaves the node's lookups if it is still there. */
    private final Consumer<HandlerRegistration> remove;

    private int active;
    private boolean unregistered;

    HandlerRegistration(
            int msgType,
            int key,
            int maxLen,
            Handler handler,
            PostHandler post,
            Dispatch dispatch,
            Consumer<HandlerRegistration> remove) {
        this.msgType = msgType;
        this.key = key;
        this.maxLen = maxLen;
        this.handler = handler;
        this.post = post;
        this.dispatch = dispatch;
        this.remove = remove;
    }

    static long id(int msgType, int key) {
        return ((long) msgType << 32) | (key & 0xffffffffL);
    }

    public int msgType() {
        return msgType;
    }

    public int key() {
        return key;
    }

    /** The longest payload the handler accepts; longer ones are answered OVERFLOW. */
    public int maxLen() {
        return maxLen;
    }

    /** Where the handler runs. */
    public Dispatch dispatch() {
        return dispatch;
    }

    /** Whether the handler is still registered. */
    public synchronized boolean isRegistered() {
        return !unregistered;
    }

    /**
     * Removes the handler ({@code o2net_unregister_handler_list()}). Requests that arrive from now on are answered
     * NO_HNDLR. Runs in progress finish first: this method waits for them (uninterruptibly), except for the run that
     * calls it from inside the handler or its post-handler. Idempotent.
     */
    public void unregister() {
        remove.accept(this);
        boolean interrupted = false;
        synchronized (this) {
            unregistered = true;
            int self = RUNNING.get() == this ? 1 : 0;
            while (active > self) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts a run; false if the handler was unregistered meanwhile. */
    synchronized boolean enter() {
        if (unregistered) {
            return false;
        }
        active++;
        RUNNING.set(this);
        return true;
    }

    /** Ends a run started by a successful {@link #enter()}. */
    synchronized void exit() {
        RUNNING.set(null); // not remove(): the thread's entry stays, and the next run on it allocates none
        if (--active == 0) {
            notifyAll();
        }
    }

    @Override
    public String toString() {
        return "HandlerRegistration{msgType=" + msgType + ", key=0x" + Integer.toHexString(key) + ", maxLen=" + maxLen
                + (dispatch == Dispatch.EXECUTOR ? ", on the executor" : "") + (isRegistered() ? "" : ", unregistered")
                + '}';
    }
}
