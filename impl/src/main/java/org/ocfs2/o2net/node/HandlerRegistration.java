// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import java.util.concurrent.ConcurrentMap;

/**
 * A registered handler ({@code struct o2net_msg_handler}), returned by {@link O2netNode#registerHandler}. Counts the
 * runs in progress, like the kernel's handler refcount, so that {@link #unregister()} can let a running handler
 * finish.
 */
public final class HandlerRegistration {
    private static final ThreadLocal<HandlerRegistration> RUNNING = new ThreadLocal<>();

    private final int msgType;
    private final int key;
    private final int maxLen;
    final Handler handler;
    final PostHandler post;
    private final ConcurrentMap<Long, HandlerRegistration> registry;
    private int active;
    private boolean unregistered;

    HandlerRegistration(
            int msgType,
            int key,
            int maxLen,
            Handler handler,
            PostHandler post,
            ConcurrentMap<Long, HandlerRegistration> registry) {
        this.msgType = msgType;
        this.key = key;
        this.maxLen = maxLen;
        this.handler = handler;
        this.post = post;
        this.registry = registry;
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
        registry.remove(id(msgType, key), this);
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
        RUNNING.remove();
        if (--active == 0) {
            notifyAll();
        }
    }

    @Override
    public String toString() {
        return "HandlerRegistration{msgType=" + msgType + ", key=0x" + Integer.toHexString(key) + ", maxLen=" + maxLen
                + (isRegistered() ? "" : ", unregistered") + '}';
    }
}
