package dev.mixrule.core.evaluation;

import dev.mixrule.core.data.DataSplits;
import dev.mixrule.core.training.TrainedModel;
import java.util.Map;

/**
 * Measures a trained model. Implementations are found through {@link Evaluators}; each has a name
 * and a version, and a newer version's results replace an older one's on the leaderboard.
 * Runs on the compute thread.
 */
public interface Evaluator {
    String name();

    String version();

    Result evaluate(TrainedModel model, DataSplits data, Settings settings);

    /** @param testLimit evaluate on the first N test images (0 = all) */
    record Settings(int testLimit) {}

    /** Metrics by name (accuracies as fractions), how many examples, and the protocol in words. */
    record Result(Map<String, Double> metrics, int examples, String protocol) {}
}
