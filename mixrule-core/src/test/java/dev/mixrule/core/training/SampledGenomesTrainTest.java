package dev.mixrule.core.training;

import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.SyntheticShapes;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.genome.Rule;
import dev.mixrule.kernel.recipe.TrainingListener;
import dev.mixrule.kernel.recipe.TrainingOptions;
import dev.mixrule.kernel.space.ChainSpace;
import dev.mixrule.kernel.space.Nb201Space;
import dev.mixrule.proto.Genome;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Any genome the samplers draw, with any mix of rules, trains without error. */
class SampledGenomesTrainTest {
    static final DataSplits DATA = SyntheticShapes.load(256, 64, 64, 2);
    static final TrainingOptions OPT = new TrainingOptions(1, 32, 0.05, 0.9, 5e-4, 0, 0, 3);

    @Test
    void sampledGenomesOfBothSpacesTrainWithoutError() {
        List<Genome> genomes = new ArrayList<>();
        Random r = new Random(17);
        ChainSpace chain = new ChainSpace(SyntheticShapes.SHAPE, List.of(Rule.values()));
        for (int i = 0; i < 25; i++) {
            genomes.add(chain.sample(r));
        }
        Nb201Space cells = new Nb201Space(SyntheticShapes.SHAPE, List.of(Rule.values()), 1, 4);
        for (int i = 0; i < 5; i++) {
            genomes.add(cells.sample(r));
        }
        for (Genome g : genomes) {
            double acc = ComputeThread.call(() -> {
                try (TrainedModel m = GenomeTrainer.train(GenomePlan.of(g, SyntheticShapes.SHAPE), DATA, OPT,
                        TrainingListener.NONE).model()) {
                    return m.accuracy(DATA.test(), 0);
                }
            });
            assertTrue(acc >= 0 && acc <= 1, GenomeCodec.toCanonical(g));
        }
    }
}
