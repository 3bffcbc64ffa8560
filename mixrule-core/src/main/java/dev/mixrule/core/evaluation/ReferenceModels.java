package dev.mixrule.core.evaluation;

import dev.mixrule.core.attacks.Classifier;
import dev.mixrule.core.training.GenomeTrainer;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.genome.BackpropTwin;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.recipe.TrainingListener;
import dev.mixrule.kernel.recipe.TrainingOptions;
import dev.mixrule.proto.Genome;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Backprop-trained sources of transfer attacks. The default is the target's backprop twin: the same
 * genome with every rule set to bp ({@link BackpropTwin}), trained by {@link GenomeTrainer#train} with the
 * target's own recipe (options and seed). Twins are cached per (twin genome id, dataset, recipe) for the
 * life of the process, so a twin costs one training of the target's architecture the first time and
 * nothing after (all-bp genomes are their own twin but are still trained once here: the target's weights
 * are not reused). The reference CNN (conv3x3-32, pool, conv3x3-64, pool, dense; 2 epochs) stays
 * available as a generic source. Call on the compute thread.
 */
public final class ReferenceModels {
    static final String GENOME = "chain:pad0|conv3x3-32-p1-relu@bp|maxpool2|conv3x3-64-p1-relu@bp|maxpool2|dense-%d@bp";
    private static final Map<String, TrainedModel> MODELS = new ConcurrentHashMap<>();
    private static final Map<String, TrainedModel> TWINS = new ConcurrentHashMap<>();

    private ReferenceModels() {}

    public static TrainedModel forDataset(String dataset) {
        return MODELS.computeIfAbsent(dataset, d -> {
            var shape = Datasets.shape(d);
            GenomePlan plan = GenomePlan.of(GenomeCodec.fromCanonical(String.format(GENOME, shape.classes())), shape);
            return GenomeTrainer.train(plan, Datasets.load(d), new TrainingOptions(2, 128, 0.05, 0.9, 5e-4, 0, 0, 7),
                    TrainingListener.NONE).model();
        });
    }

    /** The target's backprop twin trained on data with recipe; trained once per (twin, dataset, recipe) in this process. */
    public static TrainedModel backpropTwin(TrainedModel target, DataSplits data, TrainingOptions recipe) {
        Genome twin = BackpropTwin.of(target.plan().genome());
        String key = GenomeCodec.id(twin) + "|" + data.dataset() + "|" + recipe;
        return TWINS.computeIfAbsent(key, k -> GenomeTrainer.train(GenomePlan.of(twin, target.plan().input()), data, recipe,
                TrainingListener.NONE).model());
    }

    /** The default transfer source: the target's backprop twin. */
    public static RobustnessEvaluator.Source twinSource(TrainedModel target, DataSplits data, TrainingOptions recipe) {
        TrainedModel m = backpropTwin(target, data, recipe);
        return new RobustnessEvaluator.Source(Classifier.of(m), "bp-twin(" + GenomeCodec.toCanonical(m.plan().genome()) + ",epochs="
                + recipe.epochs() + ",batch=" + recipe.batchSize() + ",lr=" + recipe.learningRate() + ",optimizer="
                + recipe.optimizer().name().toLowerCase(Locale.ROOT) + ",train_limit=" + recipe.trainLimit() + ",seed="
                + recipe.seed() + ")");
    }

    /** The generic source: the reference CNN of the target's dataset. */
    public static RobustnessEvaluator.Source referenceSource(TrainedModel target, DataSplits data, TrainingOptions recipe) {
        return new RobustnessEvaluator.Source(Classifier.of(forDataset(target.dataset())), "reference-cnn(" + target.dataset() + ")");
    }
}
