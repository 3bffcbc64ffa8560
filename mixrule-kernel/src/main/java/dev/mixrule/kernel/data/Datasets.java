package dev.mixrule.kernel.data;

import dev.mixrule.kernel.genome.InputShape;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Datasets by name. Files are read from {@code $MIXRULE_DATA_DIR/<name>} when that variable (or the
 * system property mixrule.data.dir) is set; Fashion-MNIST otherwise from Debian's install path,
 * the others from {@code ~/.mixrule/data/<name>}. Loaded splits are cached per JVM: services train
 * many genomes on the same data.
 */
public final class Datasets {
    public static final List<String> NAMES = List.of(FashionMnist.NAME, Cifar.NAME_10, Cifar.NAME_100, ImageNet16.NAME,
            SyntheticShapes.NAME);
    private static final ConcurrentHashMap<String, DataSplits> CACHE = new ConcurrentHashMap<>();

    private Datasets() {}

    public static InputShape shape(String name) {
        return switch (name) {
            case FashionMnist.NAME -> FashionMnist.SHAPE;
            case Cifar.NAME_10 -> Cifar.SHAPE_10;
            case Cifar.NAME_100 -> Cifar.SHAPE_100;
            case ImageNet16.NAME -> ImageNet16.SHAPE;
            case SyntheticShapes.NAME -> SyntheticShapes.SHAPE;
            default -> throw unknown(name);
        };
    }

    /** True for natural colour images that train with random crop and flip. */
    public static boolean augments(String name) {
        return name.equals(Cifar.NAME_10) || name.equals(Cifar.NAME_100) || name.equals(ImageNet16.NAME);
    }

    public static DataSplits load(String name) {
        return CACHE.computeIfAbsent(name, n -> switch (n) {
            case FashionMnist.NAME -> FashionMnist.load(fashionMnistDir());
            case Cifar.NAME_10 -> Cifar.loadCifar10(dir(n));
            case Cifar.NAME_100 -> Cifar.loadCifar100(dir(n));
            case ImageNet16.NAME -> ImageNet16.load(dir(n));
            case SyntheticShapes.NAME -> SyntheticShapes.load(2000, 500, 500, 7);
            default -> throw unknown(n);
        });
    }

    public static Path fashionMnistDir() {
        String dir = dataDir();
        return dir == null ? FashionMnist.DEFAULT_DIR : Path.of(dir, FashionMnist.NAME);
    }

    static Path dir(String name) {
        String dir = dataDir();
        return dir == null ? Path.of(System.getProperty("user.home"), ".mixrule", "data", name) : Path.of(dir, name);
    }

    private static String dataDir() {
        String dir = System.getProperty("mixrule.data.dir", System.getenv("MIXRULE_DATA_DIR"));
        return dir == null || dir.isBlank() ? null : dir;
    }

    private static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("unknown dataset '" + name + "'; known: " + String.join(", ", NAMES));
    }
}
