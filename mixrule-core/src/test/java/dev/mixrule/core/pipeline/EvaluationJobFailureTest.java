package dev.mixrule.core.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mixrule.core.attacks.Classifier;
import dev.mixrule.core.evaluation.Evaluator;
import dev.mixrule.core.evaluation.RobustnessEvaluator;
import dev.mixrule.core.training.ComputeThread;
import dev.mixrule.core.training.GenomeTrainer;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.kernel.checkpoint.Checkpoint;
import dev.mixrule.kernel.checkpoint.FileCheckpointStore;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.recipe.TrainingListener;
import dev.mixrule.kernel.recipe.TrainingOptions;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.proto.TrainingStatus;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluationJobFailureTest {
    /** Robustness of the loaded model seen through a stop-gradient: no attack can differentiate it. */
    static final class CutRobustness implements Evaluator {
        public String name() {
            return RobustnessEvaluator.NAME;
        }

        public String version() {
            return "test";
        }

        public Result evaluate(TrainedModel model, DataSplits data, Settings settings) {
            Classifier honest = Classifier.of(model);
            Classifier cut = new Classifier() {
                public NDArray logits(NDArray images) {
                    return model.logits(images.stopGradient(), false);
                }

                public NDManager manager() {
                    return model.manager();
                }

                public long[] imageShape() {
                    return honest.imageShape();
                }
            };
            RobustnessEvaluator.Config c = RobustnessEvaluator.screening("synthetic", null);
            return new RobustnessEvaluator(c).evaluate(cut, null, data.valid(), 20);
        }
    }

    @Test
    void anAttackThatCannotDifferentiateMakesAFailedResultNamingTheAttackWithNoMetrics(@TempDir Path dir) throws Exception {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        String canonical = "chain:pad0|conv3x3-4-p1-relu@bp|maxpool2|dense-4@bp";
        String id = GenomeCodec.idOfCanonical(canonical);
        Checkpoint ck = ComputeThread.call(() -> {
            GenomePlan plan = GenomePlan.of(GenomeCodec.fromCanonical(canonical), Datasets.shape("synthetic"));
            try (TrainedModel m = GenomeTrainer.train(plan, Datasets.load("synthetic"), new TrainingOptions(1, 64, 0.05, 0.9, 5e-4, 200, 0, 1),
                    TrainingListener.NONE).model()) {
                return store.write(id, "synthetic", m::save);
            }
        });
        TrainingResult t = TrainingResult.newBuilder().setGenomeId(id).setDataset("synthetic").setCheckpointUri(ck.uri().toString()).setCheckpointSha256(ck.sha256())
                .setStatus(TrainingStatus.TRAINING_STATUS_SUCCEEDED).build();
        EvaluationResult r = new EvaluationJob(store).run(t, List.of(new CutRobustness())).get(0);
        assertEquals(EvaluationStatus.EVALUATION_STATUS_FAILED, r.getStatus());
        assertTrue(r.getFailureReason().contains("attack 'fgsm' failed"), r.getFailureReason());
        assertTrue(r.getMetricsMap().isEmpty(), r.getMetricsMap().toString());
        assertTrue(r.getProtocol().startsWith("screening:valid:20"), r.getProtocol());
    }
}
