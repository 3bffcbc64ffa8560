package dev.mixrule.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import dev.mixrule.core.rules.FeedbackRule;

/**
 * A weight layer (conv or dense) trained by a {@link FeedbackRule}.
 *
 * <p>Training forward, for every rule but backprop, with x' = stopGradient(x):
 * {@code z = op(x, B); y = op(x', W) + b + (z - stopGradient(z))}. The value is op(x, W) + b, dL/dW
 * is the exact local gradient, and the error reaching x went through B. The first layer skips z:
 * its input needs no error. Outside training the layer is the plain op(x, W) + b, so attacks see
 * the true input gradient.
 */
public abstract class FeedbackLayer extends AbstractBlock {
    private static final byte VERSION = 1;

    protected final FeedbackRule rule;
    private final boolean sendsError;
    protected final Parameter weight;
    protected final Parameter bias;
    private final Parameter fixed;

    protected FeedbackLayer(FeedbackRule rule, boolean sendsError) {
        super(VERSION);
        this.rule = rule;
        this.sendsError = sendsError;
        // PyTorch's default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and bias alike.
        Initializer fanInUniform = (manager, shape, type) -> {
            float bound = (float) (1.0 / Math.sqrt(fanIn()));
            return manager.randomUniform(-bound, bound, shape, type);
        };
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optInitializer(fanInUniform).build());
        this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optInitializer(fanInUniform).build());
        this.fixed = rule.needsFixedMatrix()
                ? addParameter(Parameter.builder().setName("feedback").setType(Parameter.Type.WEIGHT)
                        .optRequiresGrad(false)
                        .optInitializer((manager, shape, type) -> {
                            float bound = FeedbackRule.xavierBound(fanIn(), fanOut());
                            return manager.randomUniform(-bound, bound, shape, type);
                        }).build())
                : null;
    }

    /** Fan-in of W: input channels (features) times kernel area. */
    protected abstract long fanIn();

    /** Fan-out of W: output channels (units) times kernel area. */
    protected abstract long fanOut();

    protected abstract Shape weightShape(Shape input);

    protected abstract long outputs();

    protected abstract NDArray op(NDArray x, NDArray w, NDArray b);

    public FeedbackRule rule() {
        return rule;
    }

    public Parameter weightParameter() {
        return weight;
    }

    /** The fixed random matrix M of FA and frSF; null for other rules. */
    public Parameter fixedParameter() {
        return fixed;
    }

    /** B as the rule defines it for the current W (a fresh draw for brSF). */
    public NDArray feedbackMatrix() {
        return rule.feedback(weight.getArray(), fixed == null ? null : fixed.getArray(), fanIn(), fanOut());
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape w = weightShape(inputShapes[0]);
        weight.setShape(w);
        bias.setShape(new Shape(outputs()));
        if (fixed != null) {
            fixed.setShape(w);
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = ps.getValue(bias, x.getDevice(), training);
        if (!training || rule.isBackprop()) {
            return new NDList(op(x, w, b));
        }
        NDArray y = op(x.stopGradient(), w, b);
        if (!sendsError) {
            return new NDList(y);
        }
        NDArray m = fixed == null ? null : ps.getValue(fixed, x.getDevice(), training);
        NDArray feedback = rule.feedback(w, m, fanIn(), fanOut());
        NDArray z = op(x, feedback, null);
        return new NDList(y.add(z.sub(z.stopGradient())));
    }

    @Override
    public void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children
    }
}
