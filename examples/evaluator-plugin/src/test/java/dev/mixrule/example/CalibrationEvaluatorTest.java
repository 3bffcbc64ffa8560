package dev.mixrule.example;

import dev.mixrule.core.evaluation.Evaluator;
import dev.mixrule.core.training.ComputeThread;
import dev.mixrule.core.training.GenomeTrainer;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.SyntheticShapes;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.recipe.TrainingListener;
import dev.mixrule.kernel.recipe.TrainingOptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class CalibrationEvaluatorTest {
    @Test
    void confidenceIsAProbabilityAndCalibrationErrorIsSmallForATrainedModel() {
        DataSplits data = SyntheticShapes.load(800, 200, 200, 1);
        Evaluator.Result r = ComputeThread.call(() -> {
            try (TrainedModel m = GenomeTrainer.train(GenomePlan.of(GenomeCodec.fromCanonical(
                    "chain:pad0|conv3x3-8-p1-relu@bp|maxpool2|dense-4@bp"), SyntheticShapes.SHAPE), data,
                    new TrainingOptions(3, 32, 0.05, 0.9, 5e-4, 0, 0, 1), TrainingListener.NONE).model()) {
                return new CalibrationEvaluator().evaluate(m, data, new Evaluator.Settings(0));
            }
        });
        double conf = r.metrics().get("example_confidence");
        double ece = r.metrics().get("example_ece");
        assertTrue(conf > 0.25 && conf <= 1, "mean confidence " + conf);
        assertTrue(ece >= 0 && ece < 0.5, "ece " + ece);
    }
}
