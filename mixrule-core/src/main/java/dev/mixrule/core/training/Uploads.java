package dev.mixrule.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Host-to-device copies of training data, counted. On a GPU a copy from ordinary (pageable) host memory waits for
 * the copy engine and, through PyTorch's blocking copy, for the stream: a step that uploads its batch makes the
 * host wait once per step. Batches from the host upload twice a step; {@link ResidentBatches} uploads the dataset
 * once and each epoch's order once, and nothing per step (ReadBacksTest counts both).
 */
final class Uploads {
    private static final AtomicLong COUNT = new AtomicLong();

    private Uploads() {}

    static NDArray floats(NDManager manager, float[] values, Shape shape) {
        COUNT.incrementAndGet();
        return manager.create(values, shape);
    }

    static NDArray ints(NDManager manager, int[] values) {
        COUNT.incrementAndGet();
        return manager.create(values);
    }

    static NDArray longs(NDManager manager, long[] values, Shape shape) {
        COUNT.incrementAndGet();
        return manager.create(values, shape);
    }

    /** Uploads so far in this JVM. */
    static long count() {
        return COUNT.get();
    }
}
