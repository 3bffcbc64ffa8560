package dev.mixrule.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mixrule.kernel.data.Augmentation;
import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.data.ImageDataset;
import dev.mixrule.kernel.genome.InputShape;
import java.util.Arrays;
import java.util.Random;

/**
 * The training images in mini-batches: a fresh seeded shuffle each epoch, then each batch copied out in that
 * order and, on natural images, randomly cropped and flipped. One reused buffer, so batching allocates nothing.
 */
final class Batches implements TrainingBatches {
    private final ImageDataset train;
    private final InputShape shape;
    private final int batchSize;
    private final long seed;
    private final boolean augment;
    private final int cropPadding;
    private final Random augmentRandom;
    private final int[] order;
    private final float[] images;
    private final int[] labels;

    Batches(ImageDataset train, String dataset, int batchSize, long seed) {
        this.train = train;
        this.shape = train.shape();
        this.batchSize = batchSize;
        this.seed = seed;
        this.augment = Datasets.augments(dataset);
        this.cropPadding = cropPadding(shape);
        this.augmentRandom = augmentRandom(seed);
        this.order = new int[train.size()];
        this.images = new float[batchSize * shape.pixels()];
        this.labels = new int[batchSize];
    }

    /** Zero padding of the random crop: 4 pixels on 32x32 images and larger, 2 on smaller ones. */
    static int cropPadding(InputShape shape) {
        return shape.height() >= 32 ? 4 : 2;
    }

    /** The stream of augmentation draws of a run (per image: row offset, column offset, flip). */
    static Random augmentRandom(long seed) {
        return new Random(seed ^ 0x5DEECE66DL);
    }

    @Override
    public int size() {
        return order.length;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    /** This epoch's order (valid after {@link #shuffle}). */
    int[] order() {
        return order;
    }

    /** A new order of the training images for this epoch (the same for the same seed and epoch). */
    @Override
    public void shuffle(int epoch) {
        Random r = new Random(seed * 1_000_003L + epoch);
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** Copies (and augments) the batch starting at {@code from} of this epoch's order; returns its size. */
    @Override
    public int fill(int from) {
        int b = Math.min(batchSize, size() - from);
        int p = shape.pixels();
        for (int i = 0; i < b; i++) {
            int idx = order[from + i];
            System.arraycopy(train.images(), idx * p, images, i * p, p);
            labels[i] = train.labels()[idx];
        }
        if (augment) {
            Augmentation.cropAndFlip(images, b, shape, cropPadding, augmentRandom);
        }
        return b;
    }

    /** The last filled batch's images, (b, channels, height, width): one upload. */
    @Override
    public NDArray images(NDManager manager, int b) {
        return Uploads.floats(manager, b == batchSize ? images : Arrays.copyOf(images, b * shape.pixels()),
                new Shape(b, shape.channels(), shape.height(), shape.width()));
    }

    /** The last filled batch's labels: one upload. */
    @Override
    public NDArray labels(NDManager manager, int b) {
        return Uploads.ints(manager, Arrays.copyOf(labels, b));
    }
}
