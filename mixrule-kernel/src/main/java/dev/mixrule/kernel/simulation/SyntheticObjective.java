package dev.mixrule.kernel.simulation;

import dev.mixrule.kernel.genome.ChainPlan;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.genome.InputShape;
import dev.mixrule.kernel.genome.Rule;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.LayerKind;
import java.util.Map;

/**
 * A cheap, deterministic stand-in for training (no DJL): scores a real genome from its structure, so
 * strategies can be compared over thousands of candidates. "accuracy" multiplies in every layer's rule
 * quality (errors compound through depth; the classifier counts twice), rewards a capacity near a sweet
 * spot and depth; "robust_accuracy" rewards FA/DFA-trained
 * parameters and smaller capacity, so the two objectives trade off. Small hash noise breaks ties.
 */
public final class SyntheticObjective {
    static final Map<Rule, Double> QUALITY = Map.of(Rule.BP, 1.0, Rule.USF, 0.97, Rule.FRSF, 0.965, Rule.BRSF, 0.96,
            Rule.DFA, 0.86, Rule.FA, 0.85, Rule.HEBBIAN, 0.7);

    private final InputShape input;

    public SyntheticObjective(InputShape input) {
        this.input = input;
    }

    public Map<String, Double> score(Genome g) {
        GenomePlan plan = GenomePlan.of(g, input);
        // every trainable layer's rule multiplies in (errors compound through depth), the classifier's twice
        double quality = 1;
        double head = 1;
        int convs = 0;
        if (plan instanceof ChainPlan chain) {
            var steps = chain.steps();
            for (var st : steps) {
                if (st.trainable()) {
                    quality *= QUALITY.get(st.rule());
                }
            }
            head = QUALITY.get(steps.get(steps.size() - 1).rule());
            convs = (int) steps.stream().filter(s -> s.layer().getKind() == LayerKind.LAYER_KIND_CONV).count();
        } else {
            for (Map.Entry<Rule, Double> e : plan.ruleFractions().entrySet()) {
                quality *= Math.pow(QUALITY.get(e.getKey()), 3 * e.getValue());
            }
        }
        double logParams = Math.log10(plan.parameters());
        double capacity = Math.exp(-Math.pow(logParams - 5.0, 2) / 0.5); // sweet spot near 100k parameters
        long h = Long.parseUnsignedLong(GenomeCodec.id(g).substring(0, 8), 16);
        double noise = (h % 1000) / 1000.0 * 0.004 - 0.002;
        double accuracy = Math.min(1, 0.3 + 0.45 * quality * head * capacity + 0.05 * convs + noise);
        double bioShare = plan.ruleFractions().getOrDefault(Rule.FA, 0.0) + plan.ruleFractions().getOrDefault(Rule.DFA, 0.0);
        double robust = Math.max(0, 0.05 + 0.3 * bioShare * quality + 0.1 * (1 - capacity) - 0.02 * convs + noise);
        return Map.of("accuracy", accuracy, "robust_accuracy", robust);
    }
}
