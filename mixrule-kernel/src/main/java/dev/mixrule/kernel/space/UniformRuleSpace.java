package dev.mixrule.kernel.space;

import dev.mixrule.kernel.genome.Rule;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.LearningRule;
import java.util.List;
import java.util.Random;

/**
 * A single-rule view of a search space: every trainable layer of a genome uses one rule, drawn once per
 * genome; a mutation either changes that rule for the whole network or changes the architecture and keeps
 * it. The baseline the per-layer (mixed) search is compared against.
 */
public final class UniformRuleSpace implements SearchSpace {
    private final SearchSpace space;
    private final RuleDraws draws;

    /** @param rules the rules a whole network may use; Hebbian only if it is the sole rule (a classifier needs labels) */
    public UniformRuleSpace(SearchSpace space, List<Rule> rules) {
        this.space = space;
        this.draws = new RuleDraws(rules);
    }

    @Override
    public Genome sample(Random random) {
        return withRule(space.sample(random), draws.classifier(random));
    }

    @Override
    public Genome mutate(Genome parent, Random random) {
        Rule current = ruleOf(parent);
        if (random.nextInt(3) == 0) { // the network's rule, as the per-layer space mutates one layer's rule 1 in 3
            for (int attempt = 0; attempt < 10; attempt++) {
                Rule r = draws.classifier(random);
                if (r != current) {
                    return withRule(parent, r);
                }
            }
        }
        return withRule(space.mutate(parent, random), current);
    }

    /** The one rule of a uniform genome (its classifier's). */
    public static Rule ruleOf(Genome g) {
        LearningRule r = g.hasChain() ? g.getChain().getLayers(g.getChain().getLayersCount() - 1).getRule()
                : g.getNb201().getClassifierRule();
        return Rule.fromProto(r);
    }

    /** The genome with every trainable layer set to one rule. */
    public static Genome withRule(Genome g, Rule rule) {
        LearningRule r = rule.proto();
        if (g.hasChain()) {
            var chain = g.getChain().toBuilder();
            for (int i = 0; i < chain.getLayersCount(); i++) {
                if (chain.getLayers(i).getRule() != LearningRule.LEARNING_RULE_UNSPECIFIED) {
                    chain.setLayers(i, chain.getLayers(i).toBuilder().setRule(r));
                }
            }
            return g.toBuilder().setChain(chain).build();
        }
        var cell = g.getNb201().toBuilder().setStemRule(r).setReductionRule(r).setClassifierRule(r);
        for (int i = 0; i < cell.getEdgesCount(); i++) {
            if (cell.getEdges(i).getRule() != LearningRule.LEARNING_RULE_UNSPECIFIED) {
                cell.setEdges(i, cell.getEdges(i).toBuilder().setRule(r));
            }
        }
        return g.toBuilder().setNb201(cell).build();
    }
}
