package dev.mixrule.bench;

import dev.mixrule.core.training.ComputeThread;
import dev.mixrule.core.training.GenomeTrainer;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.core.training.TrainingDevices;
import dev.mixrule.core.training.TrainingRun;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.device.DeviceSpec;
import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.recipe.TrainingListener;
import dev.mixrule.kernel.recipe.TrainingOptions;

/** The benches' one way to train a genome and measure the trained model, on the compute thread, model closed after. */
final class Training {
    private Training() {}

    /** What to read from a finished run and its model (the model is closed once this returns). */
    interface Measure<T> {
        T apply(TrainingRun run, TrainedModel model) throws Exception;
    }

    static <T> T trainThen(GenomePlan plan, DataSplits data, TrainingOptions opt, TrainingListener listener, Measure<T> measure) {
        return trainThen(plan, data, opt, listener, DeviceSpec.AUTO, measure);
    }

    /** As above on the device {@code --device} names (a GPU the engine does not see is refused, naming the option). */
    static <T> T trainThen(GenomePlan plan, DataSplits data, TrainingOptions opt, TrainingListener listener, DeviceSpec device,
                           Measure<T> measure) {
        return ComputeThread.call(() -> {
            TrainingRun run = GenomeTrainer.train(plan, data, opt, listener, TrainingDevices.resolve("--device", device));
            try (TrainedModel m = run.model()) {
                return measure.apply(run, m);
            }
        });
    }
}
