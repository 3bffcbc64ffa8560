package dev.mixrule.core.evaluation;

import dev.mixrule.core.attacks.Classifier;
import dev.mixrule.core.data.Datasets;
import dev.mixrule.core.genome.GenomeCodec;
import dev.mixrule.core.genome.GenomePlan;
import dev.mixrule.core.training.GenomeTrainer;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.core.training.TrainingOptions;
import dev.mixrule.core.training.TrainingProgress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Backprop-trained reference networks, one per dataset, the source of transfer attacks: the reference
 * CNN (conv3x3-32, pool, conv3x3-64, pool, dense), trained once per JVM for 2 epochs. Call on the
 * compute thread.
 */
public final class ReferenceModels {
    static final String GENOME = "chain:pad0|conv3x3-32-p1-relu@bp|maxpool2|conv3x3-64-p1-relu@bp|maxpool2|dense-%d@bp";
    private static final Map<String, TrainedModel> MODELS = new ConcurrentHashMap<>();

    private ReferenceModels() {}

    public static TrainedModel forDataset(String dataset) {
        return MODELS.computeIfAbsent(dataset, d -> {
            var shape = Datasets.shape(d);
            GenomePlan plan = GenomePlan.of(GenomeCodec.fromCanonical(String.format(GENOME, shape.classes())), shape);
            return GenomeTrainer.train(plan, Datasets.load(d), new TrainingOptions(2, 128, 0.05, 0.9, 5e-4, 0, 0, 7),
                    TrainingProgress.NONE).model();
        });
    }

    /** The transfer source for a target model: the reference network of its dataset. */
    public static Classifier sourceFor(TrainedModel target) {
        return Classifier.of(forDataset(target.dataset()));
    }
}
