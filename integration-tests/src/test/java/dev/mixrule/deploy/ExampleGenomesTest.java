package dev.mixrule.deploy;

import dev.mixrule.core.rules.LearningRules;
import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.genome.Rule;
import dev.mixrule.proto.Genome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every shipped example genome is valid, uses implemented rules, and the set covers every rule. */
class ExampleGenomesTest {
    static final Path DIR = DeploymentFilesTest.ROOT.resolve("examples/genomes");

    @Test
    void everyExampleGenomeIsValidOnItsDatasets() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(files.size() >= 9, "examples: " + files);
        java.util.Set<Rule> seen = java.util.EnumSet.noneOf(Rule.class);
        for (Path f : files) {
            Genome g = GenomeCodec.parse(Files.readString(f));
            List<String> datasets = g.hasNb201() ? List.of("cifar10", "fashion-mnist") : List.of("fashion-mnist");
            for (String d : datasets) {
                GenomePlan plan = GenomePlan.of(g, Datasets.shape(d));
                plan.ruleFractions().keySet().forEach(LearningRules::get);
                seen.addAll(plan.ruleFractions().keySet());
                assertEquals(1.0, plan.ruleFractions().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9, f.toString());
            }
            assertEquals(g, GenomeCodec.fromCanonical(GenomeCodec.toCanonical(g)), f + " round-trips");
        }
        assertEquals(java.util.EnumSet.allOf(Rule.class), seen, "examples cover every rule");
    }

    @Test
    void leNetHasItsTextbookSize() throws IOException {
        GenomePlan p = GenomePlan.of(GenomeCodec.parse(Files.readString(DIR.resolve("lenet-bp.json"))), Datasets.shape("fashion-mnist"));
        assertEquals(61_706, p.parameters());
        assertEquals(1.0, p.bpFraction(), 1e-12);
    }
}
