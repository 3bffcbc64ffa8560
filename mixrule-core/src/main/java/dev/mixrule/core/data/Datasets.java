package dev.mixrule.core.data;

import dev.mixrule.core.genome.InputShape;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Datasets by name. Fashion-MNIST is read from {@code $MIXRULE_DATA_DIR/fashion-mnist} when that
 * variable (or the system property mixrule.data.dir) is set, else from Debian's install path.
 * Loaded splits are cached per JVM: services train many genomes on the same data.
 */
public final class Datasets {
    public static final List<String> NAMES = List.of(FashionMnist.NAME, SyntheticShapes.NAME);
    private static final ConcurrentHashMap<String, DataSplits> CACHE = new ConcurrentHashMap<>();

    private Datasets() {}

    public static InputShape shape(String name) {
        return switch (name) {
            case FashionMnist.NAME -> FashionMnist.SHAPE;
            case SyntheticShapes.NAME -> SyntheticShapes.SHAPE;
            default -> throw unknown(name);
        };
    }

    public static DataSplits load(String name) {
        return CACHE.computeIfAbsent(name, n -> switch (n) {
            case FashionMnist.NAME -> FashionMnist.load(fashionMnistDir());
            case SyntheticShapes.NAME -> SyntheticShapes.load(2000, 500, 500, 7);
            default -> throw unknown(n);
        });
    }

    public static Path fashionMnistDir() {
        String dir = System.getProperty("mixrule.data.dir", System.getenv("MIXRULE_DATA_DIR"));
        return dir == null || dir.isBlank() ? FashionMnist.DEFAULT_DIR : Path.of(dir, FashionMnist.NAME);
    }

    private static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("unknown dataset '" + name + "'; known: " + String.join(", ", NAMES));
    }
}
