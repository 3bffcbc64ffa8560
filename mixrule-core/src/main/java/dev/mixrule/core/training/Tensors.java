package dev.mixrule.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mixrule.kernel.data.ImageDataset;
import java.util.Arrays;

/** A dataset's images and labels as DJL arrays (the kernel's ImageDataset stays free of DJL). */
public final class Tensors {
    private Tensors() {}

    /** Images [from, to) as one array of shape (n, channels, height, width) on the manager's device. */
    public static NDArray images(ImageDataset d, NDManager manager, int from, int to) {
        int p = d.shape().pixels();
        float[] buf = Arrays.copyOfRange(d.images(), from * p, to * p);
        return manager.create(buf, new Shape(to - from, d.shape().channels(), d.shape().height(), d.shape().width()));
    }

    /** Labels [from, to) as an int64 array, the type the losses and attacks take. */
    public static NDArray labels(ImageDataset d, NDManager manager, int from, int to) {
        long[] out = new long[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = d.labels()[i];
        }
        return manager.create(out);
    }
}
