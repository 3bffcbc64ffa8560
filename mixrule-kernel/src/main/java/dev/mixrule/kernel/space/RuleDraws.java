package dev.mixrule.kernel.space;

import dev.mixrule.kernel.genome.Rule;
import java.util.List;
import java.util.Random;

/** How the search spaces draw rules: any allowed rule for a layer; never Hebbian for a classifier, which must see labels. */
record RuleDraws(List<Rule> rules) {
    RuleDraws {
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("a search space needs at least one allowed rule");
        }
        rules = List.copyOf(rules);
    }

    Rule any(Random random) {
        return rules.get(random.nextInt(rules.size()));
    }

    /** The classifier learns from the labels: never Hebbian, unless Hebbian is the only rule allowed. */
    Rule classifier(Random random) {
        List<Rule> supervised = rules.stream().filter(r -> r != Rule.HEBBIAN).toList();
        return supervised.isEmpty() ? Rule.HEBBIAN : supervised.get(random.nextInt(supervised.size()));
    }
}
