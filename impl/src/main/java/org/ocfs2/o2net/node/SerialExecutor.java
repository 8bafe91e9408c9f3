// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on threads of a shared pool: one per peer, so that the requests of
 * one peer are handled in arrival order and one at a time, while other peers' go on.
 */
final class SerialExecutor implements Executor {
    private static final Logger logger = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final Runnable drain = this::drain;
    private boolean running;

    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        try {
            pool.execute(drain);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                running = false;
                tasks.clear();
            }
            throw e;
        }
    }

    /** Returns how many tasks wait. */
    synchronized int queued() {
        return tasks.size();
    }

    private void drain() {
        for (; ; ) {
            Runnable task;
            synchronized (this) {
                task = tasks.poll();
                if (task == null) {
                    running = false;
                    return;
                }
            }
            try {
                task.run();
            } catch (Throwable t) {
                logger.error("o2net: handler task failed", t);
            }
        }
    }
}
