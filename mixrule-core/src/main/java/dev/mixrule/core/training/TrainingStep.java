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
 * rule's own after-step update. Nothing in a step reads a value back to the host ({@link ReadBacks}).
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
    /** CLIP_NORM as a device scalar, made once rather than every step. */
    private final NDArray clip;

    TrainingStep(TrainedModel model, TrainingOptions opt) {
        this.model = model;
        this.params = trainable(model);
        this.optimizer = WeightOptimizer.of(opt, params, model.manager());
        this.weightDecay = opt.weightDecay();
        this.clip = model.manager().create((float) CLIP_NORM);
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

    /**
     * Clips, applies the optimizer at this learning rate, zeroes the gradients and runs each rule's after-step.
     * Returns the gradients' global norm before clipping, on the device (null without trainable weights): the
     * caller sums it over the epoch, and a non-finite sum stops training at the epoch's end.
     */
    NDArray update(double lr, long step) {
        NDArray norm = globalNorm();
        NDArray scale = norm == null ? null : clipScale(norm);
        for (int i = 0; i < params.size(); i++) {
            NDArray w = params.get(i).getArray();
            NDArray g = w.getGradient();
            optimizer.update(i, w, g.mul(scale).addi(w.mul(weightDecay)), lr, step + 1);
            g.muli(0);
        }
        for (FeedbackLayer layer : model.block().layers()) {
            layer.afterStep(lr);
        }
        return norm;
    }

    /** The global L2 norm of every trainable weight's gradient, as one device scalar (no read-back). */
    private NDArray globalNorm() {
        NDArray sqSum = null;
        for (Parameter p : params) {
            NDArray sq = p.getArray().getGradient().square().sum();
            sqSum = sqSum == null ? sq : sqSum.addi(sq);
        }
        return sqSum == null ? null : sqSum.sqrt();
    }

    /**
     * CLIP_NORM / max(norm, CLIP_NORM): 1 up to the clip, scaling the gradients down together above it, computed on
     * the device so the step never waits for the norm. Random deep ReLU chains otherwise often die in one large early
     * step. A NaN norm gives a NaN scale, an infinite one 0; either shows in the epoch's norm sum.
     */
    private NDArray clipScale(NDArray norm) {
        return clip.div(norm.maximum(CLIP_NORM));
    }
}
