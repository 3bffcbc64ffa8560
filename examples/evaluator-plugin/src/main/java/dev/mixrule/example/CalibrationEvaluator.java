package dev.mixrule.example;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.mixrule.core.evaluation.Evaluator;
import dev.mixrule.core.training.Tensors;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.ImageDataset;
import java.util.Map;

/**
 * An example evaluator: how well a model's confidence matches its accuracy. Metrics (names are
 * global on the leaderboard, so prefix them with something your own): example_confidence (mean
 * top-1 softmax probability) and example_ece (expected calibration error over 10 equal-width bins).
 */
public final class CalibrationEvaluator implements Evaluator {
    @Override
    public String name() {
        return "example-calibration";
    }

    @Override
    public String version() {
        return "1";
    }

    @Override
    public Result evaluate(TrainedModel model, DataSplits data, Settings settings) {
        ImageDataset test = settings.testImages(data);
        int n = test.size();
        NDArray x = Tensors.images(test, model.manager(), 0, n);
        NDArray probs = model.logits(x, false).softmax(1);
        float[] conf = probs.max(new int[] {1}).toFloatArray();
        int[] pred = probs.argMax(1).toType(DataType.INT32, false).toIntArray();
        double[] binConf = new double[10];
        double[] binAcc = new double[10];
        int[] binCount = new int[10];
        double meanConf = 0;
        for (int i = 0; i < n; i++) {
            int b = Math.min(9, (int) (conf[i] * 10));
            binConf[b] += conf[i];
            binAcc[b] += pred[i] == test.labels()[i] ? 1 : 0;
            binCount[b]++;
            meanConf += conf[i] / n;
        }
        double ece = 0;
        for (int b = 0; b < 10; b++) {
            if (binCount[b] > 0) {
                ece += Math.abs(binAcc[b] - binConf[b]) / n;
            }
        }
        return new Result(Map.of("example_confidence", meanConf, "example_ece", ece), n, "test[0:" + n + "]:10-bins");
    }
}
