// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.node;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on an executor shared by every peer: one per peer, so that the
 * requests of one peer are handled in arrival order and one at a time, while other peers' go on.
 * <p>
 * Each task goes to the executor as one task of its own, submitted only when the one before it is over (not one
 * long-running task draining a queue): an executor stepped by hand (a test, the Netty conformance tier) then sees
 * exactly one task per handler run, and running that task runs exactly the handler queued first.
 */
final class SerialExecutor implements Executor {
    private static final Logger logger = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor pool;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    /** A task of this executor is submitted to the pool or running there. */
    private boolean active;

    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    /**
     * Queues {@code task}; it runs after every task queued before it.
     *
     * @throws RejectedExecutionException if the pool refuses it (the node is closing); nothing stays queued then
     */
    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            tasks.add(task);
            if (active) {
                return;
            }
            active = true;
        }
        submitNext();
    }

    /** Returns how many tasks wait, the one submitted to the pool included. */
    synchronized int queued() {
        return tasks.size();
    }

    /** Submits the head of the queue to the pool, as a task that runs it and then submits the next. */
    private void submitNext() {
        Runnable task;
        synchronized (this) {
            task = tasks.peek();
            if (task == null) {
                active = false;
                return;
            }
        }
        try {
            pool.execute(() -> runOne(task));
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                active = false;
                tasks.clear();
            }
            throw e;
        }
    }

    private void runOne(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            logger.error("o2net: handler task failed", t);
        } finally {
            synchronized (this) {
                tasks.poll();
            }
            try {
                submitNext();
            } catch (RejectedExecutionException e) {
                logger.debug("o2net: executor closed, dropping the handler runs still queued");
            }
        }
    }
}
