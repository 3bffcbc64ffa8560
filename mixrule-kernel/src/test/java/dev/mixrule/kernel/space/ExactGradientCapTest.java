package dev.mixrule.kernel.space;

import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.genome.InputShape;
import dev.mixrule.kernel.genome.Rule;
import dev.mixrule.proto.Genome;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExactGradientCapTest {
    private static final InputShape FMNIST = new InputShape(1, 28, 28, 10);
    private static final List<Rule> BIO = List.of(Rule.FA, Rule.USF, Rule.BRSF, Rule.FRSF, Rule.DFA, Rule.HEBBIAN);

    private static double exact(Genome g) {
        return GenomePlan.of(g, FMNIST).exactGradientFraction();
    }

    @Test
    void withoutTheCapBothArmsDrawNetworksThatAreMostlyExactGradient() {
        // the reason for the cap: a small conv, a pool and the classifier on the flattened map put nearly every
        // parameter in the classifier, which always learns from the true gradient
        for (SearchSpace space : List.of(new ChainSpace(FMNIST, BIO), new UniformRuleSpace(new ChainSpace(FMNIST, BIO), BIO))) {
            Random random = new Random(1);
            double max = 0;
            for (int i = 0; i < 300; i++) {
                max = Math.max(max, exact(space.sample(random)));
            }
            assertTrue(max > 0.5, "uncapped draws reach exact_gradient_fraction " + max);
        }
    }

    @Test
    void everySampleAndMutationOfBothArmsStaysWithinTheCap() {
        double cap = 0.05;
        for (SearchSpace inner : List.of(new ChainSpace(FMNIST, BIO), new UniformRuleSpace(new ChainSpace(FMNIST, BIO), BIO))) {
            ExactGradientCap space = new ExactGradientCap(inner, FMNIST, cap);
            Random random = new Random(2);
            for (int i = 0; i < 200; i++) {
                Genome g = space.sample(random);
                assertTrue(exact(g) <= cap, exact(g) + " > cap for a sample");
                Genome child = space.mutate(g, random);
                assertTrue(exact(child) <= cap, exact(child) + " > cap for a mutation");
            }
        }
    }

    @Test
    void aCapNoGenomeCanMeetIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ExactGradientCap(new ChainSpace(FMNIST, BIO), FMNIST, 1e-9).sample(new Random(3)));
        assertTrue(e.getMessage().contains("max_exact_gradient_fraction") && e.getMessage().contains("raise the cap"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ExactGradientCap(new ChainSpace(FMNIST, BIO), FMNIST, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new ExactGradientCap(new ChainSpace(FMNIST, BIO), FMNIST, 0));
    }
}
