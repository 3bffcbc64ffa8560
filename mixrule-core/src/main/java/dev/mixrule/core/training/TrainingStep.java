package dev.mixrule.core.training;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dev.mixrule.core.rules.FeedbackLayer;
import dev.mixrule.kernel.recipe.TrainingOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * One optimization step on a batch: the forward pass, the loss and its backward pass (gradients from each
 * layer's learning rule), then the global-norm clip, the optimizer's update with weight decay, and each
 * rule's own after-step update.
 */
final class TrainingStep {
    static final Loss LOSS = Loss.softmaxCrossEntropyLoss();
    /** Global gradient-norm clip. */
    static final double CLIP_NORM = 5.0;

    /** The forward pass's logits and mean loss of one batch. */
    record Output(NDArray logits, NDArray loss) {}

    private final TrainedModel model;
    private final List<Parameter> params;
    private final WeightOptimizer optimizer;
    private final double weightDecay;
    private final double baseLearningRate;

    TrainingStep(TrainedModel model, TrainingOptions opt) {
        this.model = model;
        this.params = trainable(model);
        this.optimizer = WeightOptimizer.of(opt, params, model.manager());
        this.weightDecay = opt.weightDecay();
        this.baseLearningRate = opt.learningRate();
    }

    private static List<Parameter> trainable(TrainedModel model) {
        List<Parameter> params = new ArrayList<>();
        for (Pair<String, Parameter> p : model.block().getParameters()) {
            if (p.getValue().requiresGradient()) {
                params.add(p.getValue());
            }
        }
        return params;
    }

    List<Parameter> params() {
        return params;
    }

    /** Forward and backward: leaves each parameter's (pseudo-)gradient in place for {@link #update}. */
    Output forwardBackward(NDArray x, NDArray y) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logits = model.logits(x, true);
            NDArray loss = LOSS.evaluate(new NDList(y), new NDList(logits));
            backward(gc, loss);
            return new Output(logits, loss);
        }
    }

    /** Backward of the loss; a loss that no trainable weight reaches (a Hebbian read-out) has nothing to do. */
    private static void backward(GradientCollector gc, NDArray loss) {
        try {
            gc.backward(loss);
        } catch (EngineException e) {
            if (e.getMessage() == null || !e.getMessage().contains("does not require grad")) {
                throw e;
            }
        }
    }

    /** Clips, applies the optimizer at this learning rate, zeroes the gradients and runs each rule's after-step. */
    void update(double lr, int epoch, long step) {
        NDArray[] grads = clippedGradients(epoch, step);
        for (int i = 0; i < params.size(); i++) {
            NDArray w = params.get(i).getArray();
            optimizer.update(i, w, grads[i].add(w.mul(weightDecay)), lr, step + 1);
            grads[i].muli(0);
        }
        for (FeedbackLayer layer : model.block().layers()) {
            layer.afterStep(lr);
        }
    }

    /**
     * The gradients, scaled down together where their global norm exceeds {@link #CLIP_NORM}: random deep ReLU
     * chains otherwise often die in one large early step. A non-finite norm (or loss) stops training.
     */
    private NDArray[] clippedGradients(int epoch, long step) {
        NDArray[] grads = new NDArray[params.size()];
        NDArray sqSum = null;
        for (int i = 0; i < params.size(); i++) {
            grads[i] = params.get(i).getArray().getGradient();
            NDArray sq = grads[i].square().sum();
            sqSum = sqSum == null ? sq : sqSum.addi(sq);
        }
        double norm = Math.sqrt(sqSum == null ? 0 : sqSum.getFloat()); // one sync for the whole norm
        if (!Double.isFinite(norm)) {
            throw new TrainingDivergedException("gradient norm became " + norm + " at epoch " + epoch
                    + ", step " + step + "; lower the learning rate (now " + baseLearningRate + ")");
        }
        if (norm > CLIP_NORM) {
            for (NDArray g : grads) {
                g.muli(CLIP_NORM / norm);
            }
        }
        return grads;
    }
}
