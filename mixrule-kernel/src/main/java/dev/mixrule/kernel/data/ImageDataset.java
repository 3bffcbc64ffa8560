package dev.mixrule.kernel.data;

import dev.mixrule.kernel.genome.InputShape;

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

    /** The first n images (all of them when n <= 0 or n >= size). */
    public ImageDataset limit(int n) {
        return n <= 0 || n >= size() ? this : slice(name + "[:" + n + "]", 0, n);
    }
}
