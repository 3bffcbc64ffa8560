package dev.mixrule.core.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import dev.mixrule.core.attacks.Classifier;
import dev.mixrule.core.attacks.Gradients;
import dev.mixrule.core.training.Tensors;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.ImageDataset;
import dev.mixrule.kernel.metrics.Metric;
import java.util.Map;

/** Accuracy under Gaussian noise: x + N(0, sigma^2) clipped to [0,1], sigma = 0.1. Metric noise_accuracy. */
public final class GaussianNoise implements Evaluator {
    static final float SIGMA = 0.1f;

    @Override
    public String name() {
        return "noise";
    }

    @Override
    public String version() {
        return "1";
    }

    @Override
    public Result evaluate(TrainedModel model, DataSplits data, Settings settings) {
        ImageDataset test = settings.testImages(data);
        int n = test.size();
        int correct = 0;
        Classifier f = Classifier.of(model);
        for (int from = 0; from < n; from += 500) {
            int to = Math.min(n, from + 500);
            try (NDScope scope = new NDScope()) {
                NDArray x = Tensors.images(test, model.manager(), from, to);
                NDArray noisy = x.add(model.manager().randomNormal(0, SIGMA, x.getShape(), x.getDataType())).clip(0, 1);
                for (boolean ok : Gradients.correct(f, noisy, Tensors.labels(test, model.manager(), from, to))) {
                    if (ok) {
                        correct++;
                    }
                }
            }
        }
        return new Result(Map.of(Metric.NOISE_ACCURACY.key(), correct / (double) n), n, "test[0:" + n + "]:gaussian:sigma=" + SIGMA);
    }
}
