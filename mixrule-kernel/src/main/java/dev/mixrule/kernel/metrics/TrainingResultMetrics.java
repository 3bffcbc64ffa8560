package dev.mixrule.kernel.metrics;

import dev.mixrule.proto.ModelCost;
import dev.mixrule.proto.TrainingMetrics;
import dev.mixrule.proto.TrainingResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one function that turns a training result into metrics: what the sampler tells its strategy and what
 * the leaderboard ranks on, so both see the same names and values. Evaluators never republish these names.
 */
public final class TrainingResultMetrics {
    private TrainingResultMetrics() {}

    /** The training run's and the genome's metrics (validation accuracy, time, size, rule make-up). */
    public static Map<String, Double> of(TrainingResult t) {
        Map<String, Double> m = new LinkedHashMap<>();
        if (t.hasMetrics()) {
            putTraining(m, t.getMetrics());
        }
        if (t.hasCost()) {
            putCost(m, t.getCost());
        }
        return m;
    }

    /** Adds the metrics of a training run. */
    public static void putTraining(Map<String, Double> m, TrainingMetrics t) {
        m.put(Metric.VALID_ACCURACY.key(), t.getValidAccuracy());
        m.put(Metric.TRAIN_SECONDS.key(), t.getTrainSeconds());
        m.put(Metric.TRAIN_LOSS.key(), t.getTrainLoss());
        m.put(Metric.TRAIN_ACCURACY.key(), t.getTrainAccuracy());
        m.put(Metric.TRAIN_IMAGES_PER_SECOND.key(), t.getTrainImagesPerSecond());
        m.put(Metric.EPOCHS_COMPLETED.key(), (double) t.getEpochsCompleted());
    }

    /** Adds the metrics of a genome's cost: size, bp and exact-gradient fractions, every rule's share. */
    public static void putCost(Map<String, Double> m, ModelCost c) {
        m.put(Metric.PARAMETERS.key(), (double) c.getParameters());
        m.put(Metric.MACS.key(), (double) c.getMacs());
        m.put(Metric.BP_FRACTION.key(), c.getBpFraction());
        m.put(Metric.EXACT_GRADIENT_FRACTION.key(), c.getExactGradientFraction());
        c.getRuleFractionsMap().forEach((rule, share) -> m.put(Metric.share(rule), share));
    }
}
