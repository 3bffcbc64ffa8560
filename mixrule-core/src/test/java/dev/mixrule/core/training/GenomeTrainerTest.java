package dev.mixrule.core.training;

import dev.mixrule.kernel.checkpoint.Checkpoint;
import dev.mixrule.kernel.checkpoint.FileCheckpointStore;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.SyntheticShapes;
import dev.mixrule.kernel.genome.ChainPlan;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.recipe.TrainingListener;
import dev.mixrule.kernel.recipe.TrainingOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenomeTrainerTest {
    static final DataSplits DATA = SyntheticShapes.load(1200, 300, 300, 3);
    static final TrainingOptions OPT = new TrainingOptions(3, 32, 0.05, 0.9, 5e-4, 0, 0, 11);

    static ChainPlan plan(String rule) {
        // a Hebbian classifier never sees a label: Hebbian networks get a backprop read-out
        String head = rule.equals("hebbian") ? "bp" : rule;
        return ChainPlan.of(GenomeCodec.fromCanonical("chain:pad0|conv3x3-8-p1-relu@" + rule
                + "|maxpool2|conv3x3-16-p1-relu@" + rule + "|maxpool2|dense-32-relu@" + rule + "|dense-4@" + head),
                SyntheticShapes.SHAPE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bp", "fa", "usf", "brsf", "frsf", "dfa", "hebbian"})
    void everyRuleLearnsTheSyntheticShapesWellAboveChance(String rule) {
        TrainingRun run = ComputeThread.call(() -> GenomeTrainer.train(plan(rule), DATA, OPT, TrainingListener.NONE));
        try (TrainedModel m = run.model()) {
            double test = ComputeThread.call(() -> m.accuracy(DATA.test(), 0));
            // Hebbian features with a backprop read-out learn slower than error-driven layers in 3 epochs
            double floor = rule.equals("hebbian") ? 0.35 : 0.6;
            assertTrue(test > floor, rule + " reached only " + test + " (chance is 0.25)");
            assertTrue(run.validAccuracy() > floor, "valid accuracy " + run.validAccuracy());
            assertEquals(1200, run.trainExamples());
            assertTrue(run.imagesPerSecond() > 0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nesterov", "adam"})
    void nesterovAndAdamTrainAsWellAsPlainMomentum(String optimizer) {
        TrainingOptions o = new TrainingOptions(4, 32, optimizer.equals("adam") ? 0.003 : 0.05, 0.9, 5e-4, 0, 0, 11,
                TrainingOptions.Optimizer.fromName(optimizer));
        double acc = ComputeThread.call(() -> {
            try (TrainedModel m = GenomeTrainer.train(plan("fa"), DATA, o, TrainingListener.NONE).model()) {
                return m.accuracy(DATA.test(), 0);
            }
        });
        assertTrue(acc > 0.6, optimizer + " reached only " + acc);
    }

    @Test
    void anUnknownOptimizerIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingOptions.Optimizer.fromName("rmsprop"));
        assertTrue(e.getMessage().contains("rmsprop") && e.getMessage().contains("adam"));
    }

    @Test
    void feedbackAlignmentMatricesNeverChangeDuringTraining() {
        ComputeThread.call(() -> {
            ChainPlan plan = plan("fa");
            try (TrainedModel fresh = TrainedModel.create(plan, "synthetic", SyntheticShapes.NORMALIZATION, OPT.seed());
                 TrainedModel trained = GenomeTrainer.train(plan, DATA, OPT, TrainingListener.NONE).model()) {
                for (int i = 0; i < fresh.block().layers().size(); i++) {
                    var before = fresh.block().layers().get(i);
                    var after = trained.block().layers().get(i);
                    org.junit.jupiter.api.Assertions.assertArrayEquals(before.fixedParameter().getArray().toFloatArray(),
                            after.fixedParameter().getArray().toFloatArray(), 0f, "B of layer " + i + " changed");
                    org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(
                            before.weightParameter().getArray().toFloatArray(),
                            after.weightParameter().getArray().toFloatArray()), "W of layer " + i + " did not learn");
                }
            }
            return null;
        });
    }

    @Test
    void sameSeedGivesTheSameModelOnCpu() {
        double a = ComputeThread.call(() -> {
            try (TrainedModel m = GenomeTrainer.train(plan("fa"), DATA, OPT, TrainingListener.NONE).model()) {
                return m.accuracy(DATA.test(), 0);
            }
        });
        double b = ComputeThread.call(() -> {
            try (TrainedModel m = GenomeTrainer.train(plan("fa"), DATA, OPT, TrainingListener.NONE).model()) {
                return m.accuracy(DATA.test(), 0);
            }
        });
        assertEquals(a, b, 0.0);
    }

    @Test
    void checkpointRoundTripKeepsPredictions(@TempDir Path dir) throws IOException {
        FileCheckpointStore store = new FileCheckpointStore(dir);
        ChainPlan plan = plan("frsf");
        String id = GenomeCodec.id(plan.genome());
        Checkpoint[] ck = new Checkpoint[1];
        double before = ComputeThread.call(() -> {
            try (TrainedModel m = GenomeTrainer.train(plan, DATA, OPT, TrainingListener.NONE).model()) {
                ck[0] = store.write(id, "synthetic", m::save);
                return m.accuracy(DATA.test(), 0);
            }
        });
        double after = ComputeThread.call(() -> {
            try (TrainedModel m = TrainedModel.load(new ByteArrayInputStream(store.read(ck[0].uri(), ck[0].sha256())), ck[0].uri().toString())) {
                assertEquals(GenomeCodec.toCanonical(plan.genome()), GenomeCodec.toCanonical(m.plan().genome()));
                return m.accuracy(DATA.test(), 0);
            }
        });
        assertEquals(before, after, 0.0);
    }

    @Test
    void aFileThatIsNotACheckpointIsRejectedWithItsName() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> ComputeThread.call(() ->
                TrainedModel.load(new ByteArrayInputStream("hello world, no checkpoint".getBytes()), "junk.ckpt")));
        assertTrue(e.getMessage().contains("junk.ckpt"), e.getMessage());
    }
}
