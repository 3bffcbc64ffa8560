package dev.mixrule.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mixrule.core.data.DataSplits;
import dev.mixrule.core.data.SyntheticShapes;
import dev.mixrule.core.genome.ChainSpace;
import dev.mixrule.core.genome.GenomePlan;
import dev.mixrule.core.genome.Rule;
import dev.mixrule.core.training.ComputeThread;
import dev.mixrule.core.training.GenomeTrainer;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.core.training.TrainingOptions;
import dev.mixrule.core.training.TrainingProgress;
import dev.mixrule.core.training.TrainingRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The training the trainers run, whose valid accuracy drives early stopping and the default objective, reads no test data. */
class SelectionNeverSeesTestSplitTest {
    @Test
    void trainingAndItsProgressReadOnlyTrainAndValidationSplits() {
        DataSplits full = SyntheticShapes.load(256, 64, 64, 7);
        DataSplits noTest = new DataSplits(full.dataset(), full.train(), full.valid(), null); // any read of test throws
        TrainingOptions opt = new TrainingOptions(2, 32, 0.05, 0.9, 5e-4, 0, 0, 3);
        var genome = new ChainSpace(SyntheticShapes.SHAPE, List.of(Rule.BP, Rule.FA)).sample(new Random(5));
        List<Double> curve = new ArrayList<>();
        TrainingProgress progress = new TrainingProgress() {
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
