package dev.mixrule.core.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import dev.mixrule.core.rules.FeedbackRule;
import dev.mixrule.core.rules.SoftHebbian;

/**
 * A weight layer (conv or dense) trained by a {@link FeedbackRule}.
 *
 * <p>Training forward, for the feedback rules other than backprop, with x' = stopGradient(x):
 * {@code z = op(x, B); y = op(x', W) + b + (z - stopGradient(z))}. The value is op(x, W) + b, dL/dW
 * is the exact local gradient, and the error reaching x went through B. The first layer skips z:
 * its input needs no error. A DFA layer runs the plain op (its network cuts and feeds its output);
 * a Hebbian layer runs op(x', W) with W out of the graph and remembers x' and u for
 * {@link #hebbianUpdate}. Outside training every layer is the plain op(x, W) + b, so attacks see the
 * true input gradient.
 */
public abstract class FeedbackLayer extends AbstractBlock {
    private static final byte VERSION = 1;

    protected final FeedbackRule rule;
    private final boolean sendsError;
    protected final Parameter weight;
    protected final Parameter bias;
    private final Parameter fixed;
    private NDArray hebbInput;
    private NDArray hebbPre;

    protected FeedbackLayer(FeedbackRule rule, boolean sendsError, boolean withBias) {
        super(VERSION);
        this.rule = rule;
        this.sendsError = sendsError;
        boolean local = rule.isLocal();
        // PyTorch's default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and bias alike.
        Initializer fanInUniform = (manager, shape, type) -> {
            float bound = (float) (1.0 / Math.sqrt(fanIn()));
            return manager.randomUniform(-bound, bound, shape, type);
        };
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optRequiresGrad(!local).optInitializer(fanInUniform).build());
        this.bias = withBias
                ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).optRequiresGrad(!local)
                        .optInitializer(local ? (m, s, t) -> m.zeros(s, t) : fanInUniform).build())
                : null;
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

    /** op(x, w) + b; b may be null. */
    protected abstract NDArray op(NDArray x, NDArray w, NDArray b);

    /** y + b, b broadcast over the output's units (a conv overrides: its units are channels). */
    protected NDArray addBias(NDArray y, NDArray b) {
        return y.add(b);
    }

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
        if (bias != null) {
            bias.setShape(new Shape(outputs()));
        }
        if (fixed != null) {
            fixed.setShape(w);
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = bias == null ? null : ps.getValue(bias, x.getDevice(), training);
        if (!training || rule.isBackprop() || rule.receivesDirectFeedback()) {
            return new NDList(op(x, w, b));
        }
        if (rule.isLocal()) {
            hebbInput = x.stopGradient();
            hebbPre = op(hebbInput, w.stopGradient(), null);
            return new NDList(b == null ? hebbPre : addBias(hebbPre, b.stopGradient()));
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

    /**
     * The Hebbian step for the batch of the last training forward: W += eta_k * mean(y_k (x - u_k w_k)).
     * Call after the loss's backward, outside any gradient collector, in the batch's NDScope.
     */
    public void hebbianUpdate(float learningRate) {
        if (!rule.isLocal() || hebbInput == null) {
            return;
        }
        NDArray w = weight.getArray();
        NDArray y = hebbPre.div(SoftHebbian.TEMPERATURE).softmax(1).stopGradient();
        // per output unit k: sum over samples (and positions) of y_k * x, and of y_k * u_k
        NDArray yx = hebbianCorrelation(hebbInput, y);
        long units = w.getShape().get(0);
        NDArray yu = y.mul(hebbPre).swapAxes(0, 1).reshape(units, -1).sum(new int[] {1});
        long samples = y.size() / units;
        Shape perUnit = perUnitShape(w.getShape());
        NDArray dw = yx.sub(w.mul(yu.reshape(perUnit))).div(samples);
        NDArray norms = w.square().reshape(units, -1).sum(new int[] {1});
        NDArray rate = norms.sub(1).abs().sqrt().add(0.01f).mul(learningRate).reshape(perUnit);
        w.addi(dw.mul(rate));
        hebbInput = null;
        hebbPre = null;
    }

    /** Sum over samples (and positions) of y_k x: the gradient of sum(y * op(x, W)) with respect to W. */
    protected NDArray hebbianCorrelation(NDArray x, NDArray y) {
        NDArray w = weight.getArray().duplicate();
        w.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(op(x, w, null).mul(y).sum());
        }
        return w.getGradient();
    }

    private static Shape perUnitShape(Shape w) {
        long[] dims = new long[w.dimension()];
        java.util.Arrays.fill(dims, 1);
        dims[0] = w.get(0);
        return new Shape(dims);
    }

    @Override
    public void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children
    }
}
