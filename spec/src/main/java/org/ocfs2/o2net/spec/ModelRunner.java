// SPDX-License-Identifier: MIT
package org.ocfs2.o2net.spec;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Checks models of the manifest, {@link RunSettings#parallel()} at a time, each by a {@link TlcRun}
 * compared with its entry ({@link Check}).
 */
public final class ModelRunner implements AutoCloseable {

    private final Path tlaDir;
    private final TlcRun tlc;
    private final ExecutorService pool;

    /**
     * A runner for the specs of a directory.
     *
     * @param tlaDir   the directory of the root modules and cfg files
     * @param settings how to run TLC
     */
    public ModelRunner(Path tlaDir, RunSettings settings) {
        this.tlaDir = tlaDir;
        this.tlc = new TlcRun(settings);
        this.pool = Executors.newFixedThreadPool(settings.parallel(), task -> {
            Thread t = new Thread(task, "tlc-run");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts checking the models; the futures are in the order of {@code models}. */
    public List<CompletableFuture<Check>> start(List<ModelSpec> models) {
        return models.stream()
                .map(m -> CompletableFuture.supplyAsync(() -> check(m), pool))
                .toList();
    }

    /** Checks the models and waits for all of them; the checks are in the order of {@code models}. */
    public List<Check> checkAll(List<ModelSpec> models) {
        return start(models).stream().map(CompletableFuture::join).toList();
    }

    /** Checks one model in the calling thread. */
    public Check check(ModelSpec model) {
        CfgFile cfg;
        try {
            cfg = CfgFile.read(tlaDir.resolve(model.config()));
        } catch (IOException | IllegalArgumentException e) {
            String reason = "cannot read the cfg file: " + (e instanceof IOException ? e.toString() : e.getMessage());
            return Check.of(model, null, TlcResult.failed(reason, -1, "", Duration.ZERO, null));
        }
        try {
            return Check.of(model, cfg, tlc.run(model, tlaDir, cfg));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    /** Stops the worker threads; runs still going are interrupted, and their TLC killed. */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
