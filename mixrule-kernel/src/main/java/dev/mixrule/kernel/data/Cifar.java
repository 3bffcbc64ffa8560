package dev.mixrule.kernel.data;

import dev.mixrule.kernel.genome.InputShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CIFAR-10 and CIFAR-100 from the binary versions (records of label byte(s) + R, G, B planes).
 * Splits follow NAS-Bench-201's sizes, as a function of the file sizes so small fixtures work:
 * CIFAR-10 trains on the first half of data_batch_1..5 and validates on the last half (25k/25k),
 * tests on test_batch; CIFAR-100 trains on train.bin, validates on the first half of test.bin and
 * tests on the second half (5k/5k). NAS-Bench-201 itself picks these halves by index lists.
 */
public final class Cifar {
    public static final String NAME_10 = "cifar10";
    public static final String NAME_100 = "cifar100";
    public static final InputShape SHAPE_10 = new InputShape(3, 32, 32, 10);
    public static final InputShape SHAPE_100 = new InputShape(3, 32, 32, 100);
    public static final Normalization NORMALIZATION_10 = new Normalization(0.4734f, 0.2516f);
    public static final Normalization NORMALIZATION_100 = new Normalization(0.4782f, 0.2682f);
    static final String HINT_10 = "re-download or re-extract the CIFAR-10 binary version "
            + "(https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz, folder cifar-10-batches-bin)";
    static final String HINT_100 = "re-download or re-extract the CIFAR-100 binary version "
            + "(https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz, folder cifar-100-binary)";

    private Cifar() {}

    public static DataSplits loadCifar10(Path dir) {
        requireDir(dir, "CIFAR-10", "data_batch_1.bin .. data_batch_5.bin and test_batch.bin", HINT_10);
        Records[] batches = new Records[5];
        for (int b = 0; b < 5; b++) {
            batches[b] = readRecords(dir.resolve("data_batch_" + (b + 1) + ".bin"), 0, 1, SHAPE_10, HINT_10);
        }
        ImageDataset all = Records.concat(batches).dataset(NAME_10 + "/train+valid", SHAPE_10, NORMALIZATION_10);
        ImageDataset test = readRecords(dir.resolve("test_batch.bin"), 0, 1, SHAPE_10, HINT_10)
                .dataset(NAME_10 + "/test", SHAPE_10, NORMALIZATION_10);
        int cut = all.size() - all.size() / 2;
        return new DataSplits(NAME_10, all.slice(NAME_10 + "/train", 0, cut),
                all.slice(NAME_10 + "/valid", cut, all.size()), test);
    }

    public static DataSplits loadCifar100(Path dir) {
        requireDir(dir, "CIFAR-100", "train.bin and test.bin", HINT_100);
        // byte 0 is the coarse label (20 superclasses), byte 1 the fine label we classify
        ImageDataset train = readRecords(dir.resolve("train.bin"), 1, 2, SHAPE_100, HINT_100)
                .dataset(NAME_100 + "/train", SHAPE_100, NORMALIZATION_100);
        ImageDataset all = readRecords(dir.resolve("test.bin"), 1, 2, SHAPE_100, HINT_100)
                .dataset(NAME_100 + "/valid+test", SHAPE_100, NORMALIZATION_100);
        int cut = all.size() / 2;
        return new DataSplits(NAME_100, train, all.slice(NAME_100 + "/valid", 0, cut),
                all.slice(NAME_100 + "/test", cut, all.size()));
    }

    static void requireDir(Path dir, String what, String files, String hint) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(what + " not found at " + dir + " (a folder holding " + files + "); " + hint);
        }
    }

    /** Images and labels read from one file of fixed-size records. */
    record Records(float[] images, int[] labels) {
        ImageDataset dataset(String name, InputShape shape, Normalization normalization) {
            return new ImageDataset(name, shape, normalization, images, labels);
        }

        static Records concat(Records... parts) {
            int n = 0;
            int p = 0;
            for (Records r : parts) {
                n += r.labels.length;
                p += r.images.length;
            }
            float[] img = new float[p];
            int[] lab = new int[n];
            int ni = 0;
            int pi = 0;
            for (Records r : parts) {
                System.arraycopy(r.images, 0, img, pi, r.images.length);
                System.arraycopy(r.labels, 0, lab, ni, r.labels.length);
                pi += r.images.length;
                ni += r.labels.length;
            }
            return new Records(img, lab);
        }
    }

    /**
     * Reads records of {@code header} label bytes followed by the image's pixels (planes in shape order);
     * the label is header byte {@code labelAt} and must be below shape.classes().
     */
    static Records readRecords(Path file, int labelAt, int header, InputShape shape, String hint) {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(file + ": missing; " + hint);
        }
        int pixels = shape.pixels();
        int recordSize = header + pixels;
        byte[] raw;
        try {
            long size = Files.size(file);
            if (size == 0) {
                throw new DatasetException(file + ": empty (0 bytes); " + hint);
            }
            if (size % recordSize != 0) {
                throw new DatasetException(file + ": " + size + " bytes is not a whole number of " + recordSize
                        + "-byte records; " + hint);
            }
            if (size > Integer.MAX_VALUE - 8) {
                throw new DatasetException(file + ": " + size + " bytes is too large for one dataset file; " + hint);
            }
            raw = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read (" + e.getMessage() + "); " + hint, e);
        }
        if (raw.length % recordSize != 0) {
            throw new DatasetException(file + ": changed size while being read; " + hint);
        }
        int n = raw.length / recordSize;
        float[] images = new float[n * pixels];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int off = i * recordSize;
            int label = raw[off + labelAt] & 0xff;
            if (label >= shape.classes()) {
                throw new DatasetException(file + ": label " + label + " of record " + i + " is not below "
                        + shape.classes() + "; the file is corrupt or of another dataset; " + hint);
            }
            labels[i] = label;
            int src = off + header;
            int dst = i * pixels;
            for (int k = 0; k < pixels; k++) {
                images[dst + k] = (raw[src + k] & 0xff) / 255f;
            }
        }
        return new Records(images, labels);
    }
}
