package dev.mixrule.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The training images of a run in mini-batches, in a seeded order per epoch: {@link Batches} copies each batch from
 * host memory, {@link ResidentBatches} keeps the dataset on the device and takes each batch there. Both give the
 * same batches for the same seed.
 */
interface TrainingBatches extends AutoCloseable {
    int size();

    int batchSize();

    default int stepsPerEpoch() {
        return (size() + batchSize() - 1) / batchSize();
    }

    /** This epoch's order (the same for the same seed and epoch). */
    void shuffle(int epoch);

    /** Prepares the batch starting at {@code from} of this epoch's order; returns its size. */
    int fill(int from);

    /** The prepared batch's images, (b, channels, height, width), augmented on natural images. */
    NDArray images(NDManager manager, int b);

    /** The prepared batch's labels. */
    NDArray labels(NDManager manager, int b);

    /** Releases what the batches hold on the device. */
    @Override
    default void close() {}
}
