package dev.mixrule.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mixrule.kernel.data.Augmentation;
import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.data.ImageDataset;
import dev.mixrule.kernel.genome.InputShape;
import java.util.Random;

/**
 * The training set resident on the device: the images and labels are uploaded once, each epoch's plan (order and,
 * on natural images, every image's crop offsets and flip) once per epoch, and a step takes its batch with device
 * ops only (a slice of the plan, an index select, and for augmentation one pad and one gather), so a step uploads
 * nothing and the host never waits for a copy. The plan is drawn exactly as {@link Batches} draws it (same
 * shuffle, same augmentation stream), so both give the same batches for the same seed (ResidentBatchesTest).
 */
final class ResidentBatches implements TrainingBatches {
    /** Datasets whose images take more than this stay on the host (batched from there). */
    static final long MAX_BYTES = 4L << 30;

    private final Batches order; // the shuffle, shared with the host path
    private final NDManager manager;
    private final InputShape shape;
    private final boolean augment;
    private final int padding;
    private final Random augmentRandom;
    private final NDArray images;
    private final NDArray labels;
    private final NDArray rowBase; // p, p+1, ..., p+h-1
    private final NDArray colBase; // p, ..., p+w-1
    private final NDArray flipShift; // w-1-2x: moves column p+x to p+w-1-x
    private NDArray plan; // (n, 4) int64: image index, row offset, column offset, flip
    private int from;

    /** Whether a dataset's images fit {@link #MAX_BYTES}. */
    static boolean fits(ImageDataset train) {
        return (long) train.images().length * Float.BYTES <= MAX_BYTES;
    }

    ResidentBatches(ImageDataset train, String dataset, int batchSize, long seed, NDManager manager) {
        this.order = new Batches(train, dataset, batchSize, seed);
        this.manager = manager;
        this.shape = train.shape();
        this.augment = Datasets.augments(dataset);
        this.padding = Batches.cropPadding(shape);
        this.augmentRandom = Batches.augmentRandom(seed);
        this.images = Uploads.floats(manager, train.images(), new Shape(train.size(), shape.channels(), shape.height(), shape.width()));
        this.labels = Uploads.ints(manager, train.labels());
        int h = shape.height();
        int w = shape.width();
        this.rowBase = manager.arange(padding, padding + h, 1, DataType.INT64);
        this.colBase = manager.arange(padding, padding + w, 1, DataType.INT64);
        this.flipShift = manager.arange(w - 1, -w, -2, DataType.INT64);
    }

    @Override
    public int size() {
        return order.size();
    }

    @Override
    public int batchSize() {
        return order.batchSize();
    }

    /** The epoch's order and augmentation draws, one upload. */
    @Override
    public void shuffle(int epoch) {
        order.shuffle(epoch);
        int[] o = order.order();
        long[] p = new long[o.length * 4];
        for (int i = 0; i < o.length; i++) {
            p[4 * i] = o[i];
            if (augment) { // the host path's draws, image by image in the epoch's order
                Augmentation.Draw d = Augmentation.draw(augmentRandom, padding);
                p[4 * i + 1] = d.dy();
                p[4 * i + 2] = d.dx();
                p[4 * i + 3] = d.flip() ? 1 : 0;
            }
        }
        if (plan != null) {
            plan.close();
        }
        plan = Uploads.longs(manager, p, new Shape(o.length, 4));
    }

    @Override
    public int fill(int from) {
        this.from = from;
        return Math.min(batchSize(), size() - from);
    }

    @Override
    public NDArray images(NDManager m, int b) {
        NDArray rows = plan.get(new NDIndex("{}:{}", from, from + b));
        NDArray x = images.get(rows.get(new NDIndex(":, 0")));
        return augment ? cropAndFlip(x, rows, b) : x;
    }

    @Override
    public NDArray labels(NDManager m, int b) {
        return labels.get(plan.get(new NDIndex("{}:{}, 0", from, from + b)));
    }

    /**
     * Pad by p, then output (y, x) = padded (y + dy + p, (flip ? w-1-x : x) + dx + p): Augmentation.cropAndFlip's
     * mapping, with the zeros outside the image coming from the padding. One gather over the flattened planes.
     */
    private NDArray cropAndFlip(NDArray x, NDArray rows, int b) {
        int c = shape.channels();
        int h = shape.height();
        int w = shape.width();
        long wp = w + 2L * padding;
        NDArray padded = x.pad(new Shape(padding, padding, padding, padding), 0).reshape(b, c, (h + 2L * padding) * wp);
        NDArray dy = rows.get(new NDIndex(":, 1:2")); // (b, 1)
        NDArray dx = rows.get(new NDIndex(":, 2:3"));
        NDArray flip = rows.get(new NDIndex(":, 3:4")); // 0 or 1
        NDArray sourceRows = rowBase.add(dy); // (b, h)
        NDArray sourceCols = colBase.add(flip.mul(flipShift)).add(dx); // (b, w); DJL's where does not broadcast
        NDArray linear = sourceRows.expandDims(2).mul(wp).add(sourceCols.expandDims(1)).reshape(b, 1, (long) h * w)
                .broadcast(new Shape(b, c, (long) h * w));
        return padded.gather(linear, 2).reshape(b, c, h, w);
    }

    @Override
    public void close() {
        for (NDArray a : new NDArray[] {images, labels, rowBase, colBase, flipShift, plan}) {
            if (a != null) {
                a.close();
            }
        }
    }
}
