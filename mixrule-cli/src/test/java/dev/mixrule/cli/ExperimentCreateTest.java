package dev.mixrule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mixrule.proto.ExperimentSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ExperimentCreateTest {
    static final Path EXAMPLES = Path.of(System.getProperty("mixrule.root", "..")).resolve("examples/experiments");

    static ExperimentSpec spec(String... args) throws Exception {
        ExperimentCreate c = new ExperimentCreate();
        new CommandLine(c).parseArgs(args);
        return c.spec().build();
    }

    @Test
    void everyShippedExampleReadsAndSetsItsFields() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(files.size() >= 3, files.toString());
        for (Path f : files) {
            ExperimentSpec s = spec("--file", f.toString());
            assertTrue(s.getBudget() > 0 && !s.getStrategy().isEmpty() && s.getTraining().getEpochs() >= 1, f + ": " + s);
        }
        ExperimentSpec evo = spec("--file", EXAMPLES.resolve("evolution-median-stop.yaml").toString());
        assertEquals("median", evo.getEarlyStopping().getRule());
        assertEquals("nesterov", evo.getTraining().getOptimizer());
        assertEquals(0.05, evo.getMaxExactGradientFraction());
    }

    @Test
    void flagsGivenOnTheCommandLineOverrideTheFileAndDefaultsDoNot() throws Exception {
        ExperimentSpec s = spec("--file", EXAMPLES.resolve("quick-random.yaml").toString(), "--budget", "3", "--batch-size", "32");
        assertEquals(3, s.getBudget());
        assertEquals(32, s.getTraining().getBatchSize());
        assertEquals("random", s.getStrategy(), "the --strategy default (regularized-evolution) must not override the file");
        assertEquals("quick-random", s.getExperimentId());
    }

    @Test
    void withoutAFileEveryFlagSetsItsField() throws Exception {
        ExperimentSpec s = spec("--optimizer", "adam", "--weight-decay", "0.001", "--test-limit", "500", "--early-stopping",
                "halving", "--eta", "4", "--min-samples", "5", "--momentum", "0.8");
        assertEquals("adam", s.getTraining().getOptimizer());
        assertEquals(0.001, s.getTraining().getWeightDecay());
        assertEquals(500, s.getTraining().getTestLimit());
        assertEquals(4, s.getEarlyStopping().getEta());
        assertEquals(5, s.getEarlyStopping().getMinSamples());
        assertEquals("regularized-evolution", s.getStrategy());
    }

    @Test
    void anUnknownFieldOrABadValueIsAnErrorNamingIt(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("bad.yaml"), "budget: 5\nbugdet_typo: 3\n");
        Exception e = assertThrows(ExperimentSpecFile.SpecFileException.class, () -> spec("--file", f.toString()));
        assertTrue(e.getMessage().contains("bugdet_typo") && e.getMessage().contains("bad.yaml"), e.getMessage());
        Path g = Files.writeString(dir.resolve("type.yaml"), "budget: lots\n");
        Exception e2 = assertThrows(ExperimentSpecFile.SpecFileException.class, () -> spec("--file", g.toString()));
        assertTrue(e2.getMessage().contains("budget") || e2.getMessage().contains("lots"), e2.getMessage());
        Path h = Files.writeString(dir.resolve("split.yaml"), "objectives:\n  - metric: test_accuracy\n");
        Exception e3 = assertThrows(ExperimentSpecFile.SpecFileException.class, () -> spec("--file", h.toString()));
        assertTrue(e3.getMessage().contains("objectives[0].metric") && e3.getMessage().contains("valid_accuracy"), e3.getMessage());
    }
}
