package dev.mixrule.core.search;

import dev.mixrule.core.training.ComputeThread;
import dev.mixrule.core.training.GenomeTrainer;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.core.training.TrainingRun;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.SyntheticShapes;
import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.genome.Rule;
import dev.mixrule.kernel.recipe.TrainingListener;
import dev.mixrule.kernel.recipe.TrainingOptions;
import dev.mixrule.kernel.space.ChainSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training the trainers run, whose valid accuracy drives early stopping and the default objective, reads no test data. */
class SelectionNeverSeesTestSplitTest {
    @Test
    void trainingAndItsProgressReadOnlyTrainAndValidationSplits() {
        DataSplits full = SyntheticShapes.load(256, 64, 64, 7);
        DataSplits noTest = new DataSplits(full.dataset(), full.train(), full.valid(), null); // any read of test throws
        TrainingOptions opt = new TrainingOptions(2, 32, 0.05, 0.9, 5e-4, 0, 0, 3);
        var genome = new ChainSpace(SyntheticShapes.SHAPE, List.of(Rule.BP, Rule.FA)).sample(new Random(5));
        List<Double> curve = new ArrayList<>();
        TrainingListener progress = new TrainingListener() {
            @Override
            public void epochEnd(int epoch, int epochs, double loss, double trainAccuracy, double validAccuracy) {
                curve.add(validAccuracy);
            }
        };
        double[] validThenReported = ComputeThread.call(() -> {
            TrainingRun run = GenomeTrainer.train(GenomePlan.of(genome, SyntheticShapes.SHAPE), noTest, opt, progress);
            try (TrainedModel m = run.model()) {
                return new double[] {m.accuracy(full.valid(), 0), run.validAccuracy()};
            }
        });
        assertEquals(2, curve.size(), "one valid accuracy per epoch for early stopping");
        assertEquals(validThenReported[0], validThenReported[1], 1e-9, "the reported valid accuracy is measured on the validation split");
        assertEquals(validThenReported[1], curve.get(1), 1e-9, "the last progress point is the reported valid accuracy");
        assertTrue(validThenReported[1] >= 0 && validThenReported[1] <= 1);
    }
}
