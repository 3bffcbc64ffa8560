package dev.mixrule.kernel.data;

import dev.mixrule.kernel.genome.InputShape;
import java.util.Random;

/**
 * A small learnable dataset for tests: 1x12x12 grey images of 4 classes (a bright horizontal bar,
 * vertical bar, diagonal, or filled square) at random positions, with noise. Deterministic per seed.
 */
public final class SyntheticShapes {
    public static final String NAME = "synthetic";
    public static final InputShape SHAPE = new InputShape(1, 12, 12, 4);
    public static final Normalization NORMALIZATION = new Normalization(0.2f, 0.3f);

    private SyntheticShapes() {}

    public static DataSplits load(int trainSize, int validSize, int testSize, long seed) {
        Random r = new Random(seed);
        return new DataSplits(NAME, make("train", trainSize, r), make("valid", validSize, r), make("test", testSize, r));
    }

    private static ImageDataset make(String split, int n, Random r) {
        int side = SHAPE.height();
        float[] img = new float[n * side * side];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int label = r.nextInt(SHAPE.classes());
            labels[i] = label;
            int off = i * side * side;
            for (int p = 0; p < side * side; p++) {
                img[off + p] = (float) Math.min(1, Math.max(0, 0.1 + 0.08 * r.nextGaussian()));
            }
            int y0 = 2 + r.nextInt(side - 7);
            int x0 = 2 + r.nextInt(side - 7);
            for (int k = 0; k < 5; k++) {
                switch (label) {
                    case 0 -> img[off + (y0 + 2) * side + x0 + k] = 1f;
                    case 1 -> img[off + (y0 + k) * side + x0 + 2] = 1f;
                    case 2 -> img[off + (y0 + k) * side + x0 + k] = 1f;
                    default -> {
                        for (int j = 0; j < 3; j++) {
                            img[off + (y0 + 1 + j) * side + x0 + 1 + (k % 3)] = 0.9f;
                        }
                    }
                }
            }
        }
        return new ImageDataset(NAME + "/" + split, SHAPE, NORMALIZATION, img, labels);
    }
}
