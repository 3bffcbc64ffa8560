package dev.mixrule.core.evaluation;

import dev.mixrule.core.data.DataSplits;
import dev.mixrule.core.training.TrainedModel;
import java.util.List;
import java.util.Map;

/**
 * Measures a trained model. Implementations are found through {@link Evaluators}; each has a name
 * and a version, and a newer version's results replace an older one's on the leaderboard.
 * Runs on the compute thread. See examples/evaluator-plugin for one written outside this project.
 */
public interface Evaluator {
    String name();

    String version();

    Result evaluate(TrainedModel model, DataSplits data, Settings settings);

    /** @param testLimit evaluate on the first N test images (0 = the evaluator's default) */
    record Settings(int testLimit) {}

    /**
     * Metrics by name (accuracies as fractions), how many examples, the protocol in words, and the
     * reasons the numbers should not be trusted (empty when reliable).
     */
    record Result(Map<String, Double> metrics, int examples, String protocol, List<String> unreliableReasons) {
        public Result(Map<String, Double> metrics, int examples, String protocol) {
            this(metrics, examples, protocol, List.of());
        }

        public boolean unreliable() {
            return !unreliableReasons.isEmpty();
        }
    }
}
