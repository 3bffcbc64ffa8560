package dev.mixrule.kernel.data;

import dev.mixrule.kernel.genome.InputShape;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fashion-MNIST from gzip IDX files (Debian's dataset-fashion-mnist). Splits: the first 55,000
 * training images train, the last 5,000 validate, the 10,000 test images test.
 */
public final class FashionMnist {
    public static final String NAME = "fashion-mnist";
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final InputShape SHAPE = new InputShape(1, 28, 28, 10);
    public static final Normalization NORMALIZATION = new Normalization(0.2860f, 0.3530f);
    public static final int VALID_SIZE = 5000;

    private FashionMnist() {}

    public static DataSplits load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException("Fashion-MNIST not found at " + dir + ". Install it with "
                    + "'sudo apt-get install dataset-fashion-mnist' (Debian), or set MIXRULE_DATA_DIR to a folder "
                    + "holding fashion-mnist/train-images-idx3-ubyte.gz and the three other IDX files.");
        }
        float[] trainImages = IdxReader.readImages(dir.resolve("train-images-idx3-ubyte.gz"), 28, 28);
        int[] trainLabels = IdxReader.readLabels(dir.resolve("train-labels-idx1-ubyte.gz"), 10);
        float[] testImages = IdxReader.readImages(dir.resolve("t10k-images-idx3-ubyte.gz"), 28, 28);
        int[] testLabels = IdxReader.readLabels(dir.resolve("t10k-labels-idx1-ubyte.gz"), 10);
        ImageDataset all = new ImageDataset(NAME + "/train+valid", SHAPE, NORMALIZATION, trainImages, trainLabels);
        ImageDataset test = new ImageDataset(NAME + "/test", SHAPE, NORMALIZATION, testImages, testLabels);
        int cut = all.size() - VALID_SIZE;
        return new DataSplits(NAME, all.slice(NAME + "/train", 0, cut), all.slice(NAME + "/valid", cut, all.size()), test);
    }
}
