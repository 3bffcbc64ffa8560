package dev.mixrule.core.rules;

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
import dev.mixrule.kernel.recipe.Initialization;

/**
 * A weight layer (conv or dense) whose training forward belongs to its {@link FeedbackRule}. The layer
 * knows its op, its parameters and its shapes; it does not know what any rule does. Outside training
 * (and in a plain training forward, {@link RuleContext#plain()}) it is the plain op(x, W) + b.
 */
public abstract class FeedbackLayer extends AbstractBlock {
    private static final byte VERSION = 2;

    protected final FeedbackRule rule;
    private final RuleContext context;
    protected final Parameter weight;
    protected final Parameter bias;
    private final Parameter fixed;
    private final double inverseTemperature;
    private NDList remembered;
    private String name = "";
    private boolean exactGradient;
    private boolean inputNeedsError = true;

    protected FeedbackLayer(FeedbackRule rule, RuleContext context, boolean withBias) {
        super(VERSION);
        this.rule = rule;
        this.context = context;
        boolean learns = rule.learnsFromError();
        this.inverseTemperature = learns ? 1.0 : context.nextInverseTemperature();
        Initialization init = context.init();
        Initializer weightInit = (manager, shape, type) -> {
            float bound = init == Initialization.XAVIER ? FeedbackRule.xavierBound(fanIn(), fanOut())
                    : (float) (1.0 / Math.sqrt(fanIn()));
            return manager.randomUniform(-bound, bound, shape, type);
        };
        Initializer biasInit = (manager, shape, type) -> {
            if (init == Initialization.XAVIER || !learns) {
                return manager.zeros(shape, type);
            }
            float bound = (float) (1.0 / Math.sqrt(fanIn()));
            return manager.randomUniform(-bound, bound, shape, type);
        };
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optRequiresGrad(learns).optInitializer(weightInit).build());
        this.bias = withBias
                ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).optRequiresGrad(learns)
                        .optInitializer(biasInit).build())
                : null;
        // the rule's fixed matrix: of W's shape (FA, frSF) like W; DFA's B_l Xavier over its own fans
        this.fixed = !rule.keepsFixedMatrix() ? null : addParameter(Parameter.builder().setName("feedback").setType(Parameter.Type.WEIGHT)
                .optRequiresGrad(false)
                .optInitializer((manager, shape, type) -> {
                    boolean likeW = shape.dimension() == weight.getArray().getShape().dimension()
                            && shape.equals(weight.getArray().getShape());
                    if (likeW) {
                        return weightInit.initialize(manager, shape, type);
                    }
                    float bound = FeedbackRule.xavierBound(shape.get(0), shape.get(1));
                    return manager.randomUniform(-bound, bound, shape, type);
                }).build());
    }

    /** Fan-in of W: input channels (features) times kernel area. */
    public abstract long fanIn();

    /** Fan-out of W: output channels (units) times kernel area. */
    public abstract long fanOut();

    public abstract Shape weightShape(Shape input);

    protected abstract long outputs();

    /** op(x, w) + b; b may be null. */
    public abstract NDArray op(NDArray x, NDArray w, NDArray b);

    /** y + b, b broadcast over the output's units (a conv overrides: its units are channels). */
    public NDArray addBias(NDArray y, NDArray b) {
        return y.add(b);
    }

    public FeedbackRule rule() {
        return rule;
    }

    public RuleContext context() {
        return context;
    }

    public Parameter weightParameter() {
        return weight;
    }

    public Parameter biasParameter() {
        return bias;
    }

    /** The rule's fixed random matrix (FA, frSF: M of W's shape; DFA: B_l), or null. */
    public Parameter fixedParameter() {
        return fixed;
    }

    /** SoftHebb's inverse temperature of this layer (1 unless set; meaningful for Hebbian layers). */
    public double inverseTemperature() {
        return inverseTemperature;
    }

    /** B as a feedback-matrix rule defines it for the current W (a fresh draw for brSF); null for other rules. */
    public NDArray feedbackMatrix() {
        if (!(rule instanceof FeedbackMatrixRule m)) {
            return null;
        }
        Parameter f = fixedParameter();
        return m.feedback(weight.getArray(), f == null ? null : f.getArray(), fanIn(), fanOut());
    }

    /** Where this layer sits in its genome ("layers[2]", "stage1.cell0.edge3") and whether its update is the true gradient. */
    public void describe(String name, boolean exactGradient, boolean inputNeedsError) {
        this.name = name;
        this.exactGradient = exactGradient;
        this.inputNeedsError = inputNeedsError;
    }

    /**
     * False for the first weight layer, whose input is the image: an error sent there goes nowhere, so
     * rules skip the work. (Below a cut, e.g. a hebbian layer's input, what is sent is simply dropped.)
     */
    public boolean inputNeedsError() {
        return inputNeedsError;
    }

    public String layerName() {
        return name;
    }

    /** Derived from the genome: this layer's weight update equals the true gradient of the loss. */
    public boolean exactGradient() {
        return exactGradient;
    }

    /** Keeps what a rule needs after the step (SoftHebb: its input and pre-activation). */
    public void remember(NDList state) {
        this.remembered = state;
    }

    /** What {@link #remember} kept, once; null when nothing was kept since. */
    public NDList recall() {
        NDList r = remembered;
        remembered = null;
        return r;
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape w = weightShape(inputShapes[0]);
        weight.setShape(w);
        if (bias != null) {
            bias.setShape(new Shape(outputs()));
        }
        if (fixed != null) {
            fixed.setShape(rule.fixedShape(this, inputShapes[0]));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = bias == null ? null : ps.getValue(bias, x.getDevice(), training);
        if (!training || context.plain()) {
            return new NDList(op(x, w, b));
        }
        NDArray m = fixed == null ? null : ps.getValue(fixed, x.getDevice(), training);
        return new NDList(rule.trainingForward(this, x, w, b, m));
    }

    /** The rule's update after the optimizer step (SoftHebb); nothing for the others. */
    public void afterStep(double learningRate) {
        rule.afterStep(this, learningRate);
    }

    /** Sum over samples (and positions) of y_k x: the gradient of sum(y * op(x, W)) with respect to W. */
    public NDArray hebbianCorrelation(NDArray x, NDArray y) {
        NDArray w = weight.getArray().duplicate();
        w.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(op(x, w, null).mul(y).sum());
        }
        return w.getGradient();
    }

    @Override
    public void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children
    }
}
