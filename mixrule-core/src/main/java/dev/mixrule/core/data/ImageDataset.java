package dev.mixrule.core.data;

import dev.mixrule.core.genome.InputShape;
import dev.mixrule.core.model.Normalization;

/**
 * Images as floats in [0,1], row-major (channels, height, width) per image, with integer labels.
 * Normalisation is not applied here: it is a layer of the model.
 */
public record ImageDataset(String name, InputShape shape, Normalization normalization, float[] images, int[] labels) {
    public ImageDataset {
        if (images.length != (long) labels.length * shape.pixels()) {
            throw new IllegalArgumentException(name + ": " + images.length + " pixel values for " + labels.length
                    + " labels of " + shape.pixels() + " pixels each");
        }
    }

    public int size() {
        return labels.length;
    }

    /** Images [from, to) as a new dataset (copies). */
    public ImageDataset slice(String sliceName, int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") out of 0.." + size());
        }
        int p = shape.pixels();
        float[] img = new float[(to - from) * p];
        System.arraycopy(images, from * p, img, 0, img.length);
        int[] lab = new int[to - from];
        System.arraycopy(labels, from, lab, 0, lab.length);
        return new ImageDataset(sliceName, shape, normalization, img, lab);
    }

    /** Images [from, to) as one array of shape (n, channels, height, width) on the manager's device. */
    public ai.djl.ndarray.NDArray images(ai.djl.ndarray.NDManager manager, int from, int to) {
        int p = shape.pixels();
        float[] buf = java.util.Arrays.copyOfRange(images, from * p, to * p);
        return manager.create(buf, new ai.djl.ndarray.types.Shape(to - from, shape.channels(), shape.height(), shape.width()));
    }

    /** Labels [from, to) as an int64 array, the type the losses and attacks take. */
    public ai.djl.ndarray.NDArray labels(ai.djl.ndarray.NDManager manager, int from, int to) {
        long[] out = new long[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = labels[i];
        }
        return manager.create(out);
    }

    /** The first n images (all of them when n <= 0 or n >= size). */
    public ImageDataset limit(int n) {
        return n <= 0 || n >= size() ? this : slice(name + "[:" + n + "]", 0, n);
    }
}
