package dev.mixrule.core.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.util.Pair;
import ai.djl.nn.Parameter;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.SyntheticShapes;
import dev.mixrule.kernel.device.DeviceSpec;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.recipe.TrainingListener;
import dev.mixrule.kernel.recipe.TrainingOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GPU code paths, proved on the CPU: a training step never reads a value back to the host (counted through
 * {@link ReadBacks}, the only way the training path reads an NDArray: ArchitectureTest), each epoch reads back
 * exactly three times at its end, and the configured device holds the model and its data.
 */
class ReadBacksTest {
    /** 400 images in batches of 8: 50 steps an epoch, progress after steps 20, 40 and 50; 1,200 validation images: 3 batches. */
    static final DataSplits DATA = SyntheticShapes.load(400, 1200, 100, 5);
    static final TrainingOptions OPT = new TrainingOptions(2, 8, 0.05, 0.9, 5e-4, 0, 0, 3);
    /** At an epoch's end: the training totals (loss, accuracy, gradient norms), the alignment, the validation. */
    static final int READ_BACKS_PER_EPOCH = 3;

    static GenomePlan plan(String canonical) {
        return GenomePlan.of(GenomeCodec.fromCanonical(canonical), SyntheticShapes.SHAPE);
    }

    static String chain(String rule) {
        return "chain:pad0|conv3x3-8-p1-relu@" + rule + "|maxpool2|dense-16-relu@" + rule + "|dense-4@"
                + (rule.equals("hebbian") ? "bp" : rule);
    }

    /** The read-back count at every progress report and epoch end of one run. */
    static final class Counting implements TrainingListener {
        final long start = ReadBacks.count();
        final List<long[]> batches = new ArrayList<>(); // {epoch, imagesDone, count}
        final List<Long> epochEnds = new ArrayList<>();

        @Override
        public void batch(int epoch, int epochs, int imagesDone, int imagesTotal) {
            batches.add(new long[] {epoch, imagesDone, ReadBacks.count()});
        }

        @Override
        public void epochEnd(int epoch, int epochs, double loss, double trainAccuracy, double validAccuracy) {
            epochEnds.add(ReadBacks.count());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bp", "fa", "dfa", "hebbian",
            "nb201:C4:N1:stem@bp:reduce@usf:head@bp:|nor_conv_3x3~0@fa|+|nor_conv_1x1~0@dfa|skip_connect~1|+|skip_connect~0|avg_pool_3x3~1|nor_conv_3x3~2@bp|"})
    void noStepReadsBackAndEachEpochReadsBackThreeTimesAtItsEnd(String genome) {
        GenomePlan plan = plan(genome.startsWith("nb201") ? genome : chain(genome));
        Counting c = ComputeThread.call(() -> {
            Counting counting = new Counting();
            GenomeTrainer.train(plan, DATA, OPT, counting).model().close();
            return counting;
        });
        assertEquals(List.of(c.start + READ_BACKS_PER_EPOCH, c.start + 2L * READ_BACKS_PER_EPOCH), c.epochEnds,
                "read-backs at the epoch ends");
        assertEquals(6, c.batches.size(), "progress after steps 20, 40, 50 of each epoch");
        for (long[] b : c.batches) {
            long before = b[0] == 1 ? c.start : c.epochEnds.get(0);
            assertEquals(before, b[2], "read-backs by image " + b[1] + " of epoch " + b[0] + " (" + (b[1] / 8)
                    + " steps, the first with the alignment measurement)");
        }
    }

    @Test
    void evaluationCountsOnTheDeviceAndReadsBackOnce() {
        ComputeThread.call(() -> {
            try (TrainedModel m = TrainedModel.create(plan(chain("bp")), "synthetic", SyntheticShapes.NORMALIZATION, 1)) {
                long before = ReadBacks.count();
                double acc = m.accuracy(DATA.valid(), 0); // 1,200 images: 3 batches of 500
                assertEquals(before + 1, ReadBacks.count());
                assertTrue(acc >= 0 && acc <= 1, "accuracy " + acc);
                return null;
            }
        });
    }

    @Test
    void aDivergedRunStillStopsAtTheEndOfItsEpochWithTheReason() {
        DataSplits poisoned = SyntheticShapes.load(400, 100, 100, 5);
        poisoned.train().images()[0] = Float.NaN; // one NaN pixel: NaN loss and gradients from the step that sees it
        Counting c = new Counting();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> ComputeThread.call(
                () -> GenomeTrainer.train(plan(chain("bp")), poisoned, OPT, c)));
        assertTrue(e.getMessage().startsWith("gradient norm became NaN in epoch 1;"), e.getMessage());
        assertEquals(List.of(), c.epochEnds, "stopped before the epoch's validation");
        assertEquals(400, c.batches.get(c.batches.size() - 1)[1], "after the whole first epoch");
    }

    @Test
    void theConfiguredDeviceHoldsTheModelAndEveryBatch() {
        ComputeThread.call(() -> {
            Device cpu = TrainingDevices.resolve("mixrule.trainer.device", DeviceSpec.CPU);
            assertEquals(Device.cpu(), cpu);
            try (TrainedModel m = TrainedModel.create(plan(chain("fa")), "synthetic", SyntheticShapes.NORMALIZATION, OPT, cpu)) {
                assertEquals(cpu, m.device());
                for (Pair<String, Parameter> p : m.block().getParameters()) {
                    assertEquals(cpu, p.getValue().getArray().getDevice(), p.getKey());
                }
                Batches batches = new Batches(DATA.train(), "synthetic", 8, 1);
                batches.shuffle(1);
                int b = batches.fill(0);
                try (NDScope scope = new NDScope()) {
                    NDArray x = batches.images(m.manager(), b);
                    NDArray y = batches.labels(m.manager(), b);
                    assertEquals(cpu, x.getDevice());
                    assertEquals(cpu, y.getDevice());
                    assertEquals(cpu, m.logits(x, false).getDevice());
                }
            }
            return null;
        });
    }

    @Test
    void aGpuTheEngineDoesNotSeeIsRefusedNamingTheSetting() {
        int gpus = ComputeThread.call(() -> ai.djl.engine.Engine.getInstance().getGpuCount());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComputeThread.call(
                () -> TrainingDevices.resolve("mixrule.trainer.device", DeviceSpec.gpu(gpus))));
        assertTrue(e.getMessage().startsWith("mixrule.trainer.device: gpu(" + gpus + ")"), e.getMessage());
        assertEquals("cpu", TrainingDevices.name(Device.cpu()));
        assertEquals("gpu(1)", TrainingDevices.name(Device.gpu(1)));
    }
}
