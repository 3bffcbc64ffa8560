package dev.mixrule.core.rules;

import dev.mixrule.kernel.genome.Rule;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registry of implemented learning rules. Adding a rule: one class, one line here. */
public final class LearningRules {
    private static final Map<Rule, FeedbackRule> RULES = new EnumMap<>(Rule.class);

    static {
        register(new Backprop());
        register(new FeedbackAlignment());
        register(new UniformSignSymmetry());
        register(new BatchwiseRandomSignSymmetry());
        register(new FixedRandomSignSymmetry());
        register(new DirectFeedbackAlignment());
        register(new SoftHebbian());
    }

    private LearningRules() {}

    private static void register(FeedbackRule rule) {
        RULES.put(rule.rule(), rule);
    }

    public static Optional<FeedbackRule> find(Rule rule) {
        return Optional.ofNullable(RULES.get(rule));
    }

    public static FeedbackRule get(Rule rule) {
        return find(rule).orElseThrow(() -> new IllegalArgumentException("learning rule '" + rule
                + "' is not implemented by this trainer yet; implemented: " + implementedNames()));
    }

    public static List<Rule> implemented() {
        return Collections.unmodifiableList(List.copyOf(RULES.keySet()));
    }

    public static String implementedNames() {
        return String.join(", ", RULES.keySet().stream().map(Rule::shortName).toList());
    }
}
