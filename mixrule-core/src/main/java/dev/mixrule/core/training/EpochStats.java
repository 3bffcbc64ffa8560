package dev.mixrule.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * One epoch's training loss and accuracy, accumulated on the device: no read-back per step, and the training
 * accuracy sampled on every 4th batch.
 */
final class EpochStats implements AutoCloseable {
    private final NDArray lossSum;
    private final NDArray correct;
    private int sampled;

    EpochStats(NDManager manager) {
        lossSum = manager.zeros(new Shape(1));
        correct = manager.zeros(new Shape(1), DataType.INT64);
    }

    /** Adds a batch of {@code b} images; {@code step} counts steps over the whole run. */
    void add(TrainingStep.Output out, NDArray y, int b, long step) {
        lossSum.addi(out.loss().mul(b));
        if (step % 4 == 0) {
            correct.addi(out.logits().argMax(1).eq(y.toType(DataType.INT64, false)).sum());
            sampled += b;
        }
    }

    /** The mean loss over the first {@code images} images of the epoch. */
    double meanLoss(int images) {
        return lossSum.getFloat() / images;
    }

    /** The training accuracy on the sampled batches (0 when none was sampled). */
    double accuracy() {
        return sampled == 0 ? 0 : correct.getLong() / (double) sampled;
    }

    @Override
    public void close() {
        lossSum.close();
        correct.close();
    }
}
