package dev.mixrule.core.rules;

import dev.mixrule.kernel.genome.Rule;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every rule the kernel knows (and the sampler may therefore propose) has a registered rule class here,
 * registered under its own rule: the sampler relies on this instead of asking the trainer.
 */
class LearningRulesTest {
    @ParameterizedTest
    @EnumSource(Rule.class)
    void everyKernelRuleHasARegisteredClassThatIsThatRule(Rule rule) {
        var registered = LearningRules.find(rule);
        assertTrue(registered.isPresent(), "no rule class registered for '" + rule.shortName() + "'; implemented: "
                + LearningRules.implementedNames());
        assertEquals(rule, registered.get().rule(), registered.get().getClass().getSimpleName() + ".rule()");
        assertEquals(rule, LearningRules.get(rule).rule());
    }

    @Test
    void theImplementedRulesAreExactlyTheKernelsRules() {
        assertEquals(List.of(Rule.values()), LearningRules.implemented());
    }
}
