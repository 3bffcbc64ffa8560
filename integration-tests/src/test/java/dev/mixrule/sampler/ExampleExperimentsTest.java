package dev.mixrule.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mixrule.cli.ExperimentSpecFile;
import dev.mixrule.proto.ExperimentSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every shipped experiment file, read as `experiment create --file` reads it, passes the sampler's own validation. */
class ExampleExperimentsTest {
    @Test
    void everyExampleExperimentIsAcceptedByTheSampler() throws Exception {
        Path dir = Path.of(System.getProperty("mixrule.root", "..")).resolve("examples/experiments");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().matches(".*\\.(yaml|yml|json)$")).sorted().toList();
        }
        assertTrue(files.size() >= 3, files.toString());
        for (Path f : files) {
            ExperimentSpec given = ExperimentSpecFile.read(f).build();
            ExperimentSpec normal = ExperimentValidation.normalise(given, "generated-id"); // throws naming the field
            assertEquals(given.getExperimentId(), normal.getExperimentId(), f.toString());
            assertEquals(given.getBudget(), normal.getBudget(), f.toString());
        }
    }
}
