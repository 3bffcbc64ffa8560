package dev.mixrule.core.training;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The one thread of a JVM that touches DJL. PyTorch's grad mode is per thread, only one gradient
 * collector may be open per JVM, and the random generator is shared: so every training run,
 * evaluation and attack runs here, one at a time.
 */
public final class ComputeThread {
    private static final ExecutorService EXECUTOR = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mixrule-compute");
        t.setDaemon(true);
        return t;
    });

    private ComputeThread() {}

    public static <T> T call(Callable<T> task) {
        try {
            return EXECUTOR.submit(() -> {
                Engine.getInstance(); // loads the native library before any JNI call
                JniUtils.setGradMode(false);
                return task.call();
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the compute thread", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c.getMessage(), c);
        }
    }
}
