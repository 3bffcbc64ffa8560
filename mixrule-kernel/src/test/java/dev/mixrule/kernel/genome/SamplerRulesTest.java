package dev.mixrule.kernel.genome;

import dev.mixrule.kernel.space.ChainSpace;
import dev.mixrule.kernel.space.Nb201Space;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.LearningRule;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Samplers never draw a Hebbian classifier: it would never see a label. */
class SamplerRulesTest {
    @Test
    void sampledAndMutatedClassifiersAreNeverHebbian() {
        InputShape in = new InputShape(1, 28, 28, 10);
        ChainSpace chain = new ChainSpace(in, List.of(Rule.values()));
        Nb201Space cells = new Nb201Space(in, List.of(Rule.values()), 1, 8);
        Random r = new Random(1);
        for (int i = 0; i < 500; i++) {
            Genome g = chain.mutate(chain.sample(r), r);
            var layers = g.getChain().getLayersList();
            assertNotEquals(LearningRule.LEARNING_RULE_HEBBIAN, layers.get(layers.size() - 1).getRule(), GenomeCodec.toCanonical(g));
            Genome c = cells.mutate(cells.sample(r), r);
            assertNotEquals(LearningRule.LEARNING_RULE_HEBBIAN, c.getNb201().getClassifierRule(), GenomeCodec.toCanonical(c));
        }
    }
}
