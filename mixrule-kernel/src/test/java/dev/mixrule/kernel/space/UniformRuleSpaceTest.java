package dev.mixrule.kernel.space;

import dev.mixrule.kernel.genome.ChainPlan;
import dev.mixrule.kernel.genome.InputShape;
import dev.mixrule.kernel.genome.Rule;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.LearningRule;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UniformRuleSpaceTest {
    private static final InputShape MNIST = new InputShape(1, 28, 28, 10);

    private static Set<LearningRule> rulesOf(Genome g) {
        Set<LearningRule> rules = new HashSet<>();
        if (g.hasChain()) {
            g.getChain().getLayersList().forEach(l -> rules.add(l.getRule()));
        } else {
            g.getNb201().getEdgesList().forEach(e -> rules.add(e.getRule()));
            rules.add(g.getNb201().getStemRule());
            rules.add(g.getNb201().getClassifierRule());
        }
        rules.remove(LearningRule.LEARNING_RULE_UNSPECIFIED);
        return rules;
    }

    @Test
    void everySampleAndMutationUsesOneRuleForTheWholeNetwork() {
        List<Rule> rules = List.of(Rule.FA, Rule.USF, Rule.DFA, Rule.HEBBIAN);
        var space = new UniformRuleSpace(new ChainSpace(MNIST, rules), rules);
        Random random = new Random(7);
        Set<Rule> seen = new HashSet<>();
        boolean ruleChanged = false;
        for (int i = 0; i < 300; i++) {
            Genome g = space.sample(random);
            assertEquals(1, rulesOf(g).size(), g.toString());
            Genome child = space.mutate(g, random);
            assertEquals(1, rulesOf(child).size(), child.toString());
            ChainPlan.of(child, MNIST);
            seen.add(UniformRuleSpace.ruleOf(g));
            ruleChanged |= UniformRuleSpace.ruleOf(child) != UniformRuleSpace.ruleOf(g);
        }
        assertEquals(Set.of(Rule.FA, Rule.USF, Rule.DFA), seen, "every supervised rule drawn, never an all-Hebbian net");
        assertTrue(ruleChanged, "mutations also change the network's rule");
    }

    @Test
    void nb201CellsAreMadeUniformToo() {
        List<Rule> rules = List.of(Rule.FA, Rule.FRSF);
        var space = new UniformRuleSpace(new Nb201Space(new InputShape(3, 32, 32, 10), rules), rules);
        Random random = new Random(3);
        for (int i = 0; i < 50; i++) {
            Genome g = space.mutate(space.sample(random), random);
            assertEquals(1, rulesOf(g).size(), g.toString());
        }
    }
}
