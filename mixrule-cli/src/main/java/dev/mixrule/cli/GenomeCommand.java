package dev.mixrule.cli;

import dev.mixrule.core.rules.LearningRules;
import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.genome.InvalidGenomeException;
import dev.mixrule.kernel.genome.Rule;
import dev.mixrule.kernel.genome.RuleSemantics;
import dev.mixrule.kernel.space.Spaces;
import dev.mixrule.proto.Genome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Sample and validate genomes. */
@Command(name = "genome", description = "Sample or validate genomes.",
        subcommands = {GenomeCommand.Sample.class, GenomeCommand.Validate.class})
final class GenomeCommand extends CommandGroup {


    @Command(name = "sample", description = "Print a random valid genome as JSON.")
    static final class Sample implements Callable<Integer> {
        @Option(names = "--space", defaultValue = "chain", description = "search space: chain or nb201") String space;
        @Option(names = "--rule", description = "use this rule on every layer") String rule;
        @Option(names = "--seed", defaultValue = "0") long seed;
        @Option(names = "--dataset", defaultValue = "fashion-mnist") String dataset;

        @Override
        public Integer call() {
            List<Rule> rules = rule == null ? LearningRules.implemented() : List.of(Rule.fromName(rule));
            rules.forEach(LearningRules::get);
            Genome g = Spaces.of(space, Datasets.shape(dataset), rules).sample(new Random(seed));
            System.out.println(GenomeCodec.toJson(g));
            return 0;
        }
    }

    @Command(name = "validate", description = "Check a genome file (JSON or canonical text); exit 1 with the reason if invalid.")
    static final class Validate implements Callable<Integer> {
        @Parameters(index = "0", description = "genome file") Path file;
        @Option(names = "--dataset", defaultValue = "fashion-mnist") String dataset;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(file)) {
                System.err.println("error: no such file: " + file);
                return 2;
            }
            try {
                Genome g = GenomeCodec.parse(Files.readString(file));
                GenomePlan plan = GenomePlan.of(g, Datasets.shape(dataset));
                plan.ruleFractions().keySet().forEach(LearningRules::get);
                System.out.printf(Locale.ROOT, "valid: %s %s (%d parameters, bp_fraction %.3f, exact_gradient_fraction %.3f)%n",
                        GenomeCodec.id(g), GenomeCodec.toCanonical(g), plan.parameters(), plan.bpFraction(),
                        plan.exactGradientFraction());
                for (RuleSemantics.Replacement r : RuleSemantics.replacements(g)) {
                    System.out.println("note: " + r + "; genomes that differ only there train identically and share id "
                            + GenomeCodec.id(g));
                }
                return 0;
            } catch (InvalidGenomeException e) {
                System.err.println(file + ": " + e.getMessage());
                return 1;
            } catch (IllegalArgumentException e) {
                System.err.println(file + ": invalid genome: " + e.getMessage());
                return 1;
            }
        }
    }
}
