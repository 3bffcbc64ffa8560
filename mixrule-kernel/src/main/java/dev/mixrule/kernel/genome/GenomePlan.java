package dev.mixrule.kernel.genome;

import dev.mixrule.proto.Genome;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A genome checked against an input shape, with its size and learning-rule make-up. Building one is
 * how a genome is validated: {@link #of} throws {@link InvalidGenomeException} naming every bad field.
 */
public interface GenomePlan {
    Genome genome();

    InputShape input();

    /** Trainable parameters (BatchNorm scale and shift included). */
    long parameters();

    /** Multiply-accumulates of one forward pass of one image. */
    long macs();

    /** Share of parameters trained by each rule used; sums to 1. */
    Map<Rule, Double> ruleFractions();

    /** Every weight layer in network order, with its name, rule and whether its update is the true gradient. */
    List<LayerSemantics> layerSemantics();

    /**
     * Share of parameters whose update equals the true gradient of the loss (derived from the genome:
     * not hebbian, and every layer between them and the loss, on every path, sends W^T delta).
     * BatchNorm and biases follow the layer whose error they receive.
     */
    double exactGradientFraction();

    /** The canonical text of the plan's genome, computed from the plan without validating or canonicalising again. */
    default String canonicalText() {
        return GenomeCodec.text(genome());
    }

    /** The genome id (first 16 hex digits of SHA-256 over the canonical text). */
    default String id() {
        return GenomeCodec.idOfCanonical(canonicalText());
    }

    default double bpFraction() {
        return ruleFractions().getOrDefault(Rule.BP, 0.0);
    }

    /** Distinct rules used, sorted by name. */
    default List<String> rulesUsed() {
        TreeSet<String> names = new TreeSet<>();
        ruleFractions().keySet().forEach(r -> names.add(r.shortName()));
        return List.copyOf(names);
    }

    /** Parameter counts by rule as shares of their total. */
    static Map<Rule, Double> shares(Map<Rule, Long> parametersByRule) {
        double total = parametersByRule.values().stream().mapToLong(Long::longValue).sum();
        Map<Rule, Double> out = new EnumMap<>(Rule.class);
        parametersByRule.forEach((r, p) -> out.put(r, p / total));
        return out;
    }

    /** Validates the genome for this input; the plan holds its canonical form ({@link RuleSemantics#canonical}). */
    static GenomePlan of(Genome genome, InputShape input) {
        return switch (genome.getArchitectureCase()) {
            case CHAIN -> ChainPlan.of(genome, input);
            case NB201 -> Nb201Plan.of(genome, input);
            default -> throw new InvalidGenomeException("architecture", "no architecture set (expected chain or nb201)");
        };
    }
}
