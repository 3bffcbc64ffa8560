package dev.mixrule.core.evaluation;

import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.ImageDataset;
import dev.mixrule.kernel.recipe.TrainingOptions;
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

    /**
     * @param testLimit evaluate on the first N images of the measured split (0 = the evaluator's default)
     * @param recipe how the model was trained, when known (null otherwise); the robustness evaluator trains the
     *     model's backprop twin with it
     */
    record Settings(int testLimit, TrainingOptions recipe) {
        /** How many test images an evaluator measures when the settings give no limit and it has no default of its own. */
        public static final int DEFAULT_TEST_IMAGES = 2000;

        public Settings(int testLimit) {
            this(testLimit, null);
        }

        /** The images to measure: the test split's first {@code testLimit} ({@link #DEFAULT_TEST_IMAGES} when 0). */
        public ImageDataset testImages(DataSplits data) {
            return data.test().limit(testLimit > 0 ? testLimit : DEFAULT_TEST_IMAGES);
        }
    }

    /**
     * Metrics by name (accuracies as fractions), how many examples, the protocol in words, the reasons the
     * numbers should not be trusted (empty when reliable), and why the evaluation failed (null when it ran).
     * A failed result carries no metrics: a measurement that could not be made is never reported as numbers.
     */
    record Result(Map<String, Double> metrics, int examples, String protocol, List<String> unreliableReasons, String failureReason) {
        public Result(Map<String, Double> metrics, int examples, String protocol) {
            this(metrics, examples, protocol, List.of(), null);
        }

        public Result(Map<String, Double> metrics, int examples, String protocol, List<String> unreliableReasons) {
            this(metrics, examples, protocol, unreliableReasons, null);
        }

        public static Result failed(int examples, String protocol, String reason) {
            return new Result(Map.of(), examples, protocol, List.of(), reason);
        }

        public boolean failed() {
            return failureReason != null;
        }

        public boolean unreliable() {
            return !unreliableReasons.isEmpty();
        }
    }
}
