package dev.mixrule.kernel.data;

import dev.mixrule.kernel.genome.InputShape;
import java.nio.file.Path;

/**
 * ImageNet16-120 as written by tools/imagenet16_to_bin.py: train.bin, valid.bin, test.bin of
 * records of 1 label byte (0..119) + R, G, B planes of 16x16. The converter makes NAS-Bench-201's
 * 151.7k / 3k / 3k splits, so the files are used as they are.
 */
public final class ImageNet16 {
    public static final String NAME = "imagenet16-120";
    public static final InputShape SHAPE = new InputShape(3, 16, 16, 120);
    public static final Normalization NORMALIZATION = new Normalization(0.4541f, 0.2576f);
    static final String HINT = "regenerate it from the NAS-Bench-201 ImageNet16 pickles with "
            + "'python3 tools/imagenet16_to_bin.py PICKLE_DIR OUT_DIR'";

    private ImageNet16() {}

    public static DataSplits load(Path dir) {
        Cifar.requireDir(dir, "ImageNet16-120", "train.bin, valid.bin and test.bin", HINT);
        return new DataSplits(NAME, split(dir, "train"), split(dir, "valid"), split(dir, "test"));
    }

    private static ImageDataset split(Path dir, String split) {
        return Cifar.readRecords(dir.resolve(split + ".bin"), 0, 1, SHAPE, HINT)
                .dataset(NAME + "/" + split, SHAPE, NORMALIZATION);
    }
}
