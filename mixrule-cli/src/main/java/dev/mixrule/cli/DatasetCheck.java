package dev.mixrule.cli;

import dev.mixrule.kernel.data.Datasets;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Makes sure Fashion-MNIST is on disk: installs Debian's package when it can, else says exactly what to do. */
public final class DatasetCheck {
    static final List<String> FILES = List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");

    private DatasetCheck() {}

    static boolean present(Path dir) {
        return FILES.stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
    }

    public static void ensureFashionMnist(PrintStream err) throws IOException, InterruptedException {
        Path dir = Datasets.fashionMnistDir();
        if (present(dir)) {
            return;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean apt = Files.isExecutable(Path.of("/usr/bin/apt-get"));
        if (System.getenv("MIXRULE_DATA_DIR") == null && root && apt) {
            err.println("Fashion-MNIST is missing: installing Debian's dataset-fashion-mnist ...");
            if (apt(err, "install", "-y", "-q", "dataset-fashion-mnist") != 0) {
                apt(err, "update", "-q");
                apt(err, "install", "-y", "-q", "dataset-fashion-mnist");
            }
            if (present(dir)) {
                return;
            }
        }
        throw new IllegalStateException("Fashion-MNIST not found in " + dir + ". Install it with:\n"
                + "    sudo apt-get install dataset-fashion-mnist\n"
                + "or put the four IDX files (" + String.join(", ", FILES) + ") in $MIXRULE_DATA_DIR/fashion-mnist/.");
    }

    private static int apt(PrintStream err, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/apt-get"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        // apt's output goes to stdout; keep stdout clean for --json by sending it to stderr instead
        pb.redirectOutput(ProcessBuilder.Redirect.to(new File("/dev/stderr")));
        return pb.start().waitFor();
    }
}
