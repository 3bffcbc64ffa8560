package dev.mixrule.core.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;

/** Fully connected layer trained by a feedback rule; flattens an image input first. */
public final class FeedbackDense extends FeedbackLayer {
    private final int units;
    private long inFeatures = -1;

    public FeedbackDense(FeedbackRule rule, RuleContext context, int units) {
        super(rule, context, true);
        this.units = units;
    }

    @Override
    public long fanIn() {
        return inFeatures;
    }

    @Override
    public long fanOut() {
        return units;
    }

    @Override
    public Shape weightShape(Shape input) {
        inFeatures = input.size() / input.get(0);
        return new Shape(units, inFeatures);
    }

    @Override
    protected long outputs() {
        return units;
    }

    @Override
    public NDArray op(NDArray x, NDArray w, NDArray b) {
        NDArray flat = x.getShape().dimension() == 2 ? x : x.reshape(x.getShape().get(0), -1);
        return b == null ? Linear.linear(flat, w).singletonOrThrow() : Linear.linear(flat, w, b).singletonOrThrow();
    }

    @Override
    public NDArray hebbianCorrelation(NDArray x, NDArray y) {
        NDArray flat = x.getShape().dimension() == 2 ? x : x.reshape(x.getShape().get(0), -1);
        return y.transpose().matMul(flat);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), units)};
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        Shape in = inputShapes[0];
        inFeatures = in.size() / in.get(0);
    }
}
