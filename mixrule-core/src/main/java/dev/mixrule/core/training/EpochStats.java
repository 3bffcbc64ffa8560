package dev.mixrule.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * One epoch's training loss, accuracy and gradient-norm sum, accumulated on the device and read back together in
 * one read-back at the epoch's end; the training accuracy is sampled on every 4th batch.
 */
final class EpochStats implements AutoCloseable {
    private final NDArray lossSum;
    private final NDArray correct;
    private final NDArray normSum;
    private int sampled;

    /** What the epoch's one read-back returns. gradientNormSum is non-finite when any step's norm was. */
    record Totals(double meanLoss, double accuracy, double gradientNormSum) {}

    EpochStats(NDManager manager) {
        lossSum = manager.zeros(new Shape(1));
        correct = manager.zeros(new Shape(1));
        normSum = manager.zeros(new Shape(1));
    }

    /** Adds a batch of {@code b} images and its gradient norm (null: nothing trainable); {@code step} counts steps over the run. */
    void add(TrainingStep.Output out, NDArray y, NDArray gradientNorm, int b, long step) {
        lossSum.addi(out.loss().mul(b));
        if (gradientNorm != null) {
            normSum.addi(gradientNorm);
        }
        if (step % 4 == 0) {
            correct.addi(out.logits().argMax(1).eq(y.toType(DataType.INT64, false)).sum().toType(DataType.FLOAT32, false));
            sampled += b;
        }
    }

    /** The epoch's totals over its {@code images} images: the one read-back of the epoch's training metrics. */
    Totals read(int images) {
        try (NDArray all = NDArrays.concat(new NDList(lossSum, correct, normSum))) {
            float[] v = ReadBacks.floats(all);
            return new Totals(v[0] / images, sampled == 0 ? 0 : v[1] / (double) sampled, v[2]);
        }
    }

    @Override
    public void close() {
        lossSum.close();
        correct.close();
        normSum.close();
    }
}
