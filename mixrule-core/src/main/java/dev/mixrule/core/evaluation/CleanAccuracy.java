package dev.mixrule.core.evaluation;

import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.metrics.Metric;
import java.util.Map;

/** Top-1 accuracy on the test split: metric {@code test_accuracy}. */
public final class CleanAccuracy implements Evaluator {
    public static final String NAME = "accuracy";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String version() {
        return "1";
    }

    @Override
    public Result evaluate(TrainedModel model, DataSplits data, Settings settings) {
        int n = settings.testLimit() <= 0 ? data.test().size() : Math.min(settings.testLimit(), data.test().size());
        double acc = model.accuracy(data.test(), n);
        return new Result(Map.of(Metric.TEST_ACCURACY.key(), acc), n, "test:" + n);
    }
}
