package dev.mixrule.core.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.mixrule.kernel.genome.Rule;

/**
 * The rules that carry the error down through a matrix B of W's shape (FA, uSF, brSF, frSF):
 * dL/dx = B^T delta. Built with stop-gradient, x' = stopGradient(x):
 * {@code z = op(x, B); y = op(x', W) + b + (z - stopGradient(z))}: the value is op(x, W) + b, dL/dW is
 * the exact local gradient, and the error reaching x went through B. When x needs no error (the
 * first layer, or below a layer that sends none) z is skipped. A rule of this kind is its B
 * ({@link Feedback}) and whether it keeps a fixed random matrix M of W's shape to build B from.
 */
public abstract class FeedbackMatrixRule extends FeedbackRule {
    /** The rule keeps a fixed random matrix M of W's shape (saved in checkpoints). */
    protected static final boolean KEEPS_FIXED_MATRIX = true;
    /** The rule builds B from W alone. */
    protected static final boolean NO_FIXED_MATRIX = false;

    /** How a rule builds its feedback matrix B. */
    @FunctionalInterface
    protected interface Feedback {
        NDArray matrix(NDArray weight, NDArray fixed, long fanIn, long fanOut);
    }

    private final boolean keepsFixedMatrix;
    private final Feedback feedback;

    protected FeedbackMatrixRule(Rule rule, boolean keepsFixedMatrix, Feedback feedback) {
        super(rule);
        this.keepsFixedMatrix = keepsFixedMatrix;
        this.feedback = feedback;
    }

    @Override
    public final boolean keepsFixedMatrix() {
        return keepsFixedMatrix;
    }

    /** M has W's shape. */
    @Override
    public final Shape fixedShape(FeedbackLayer layer, Shape input) {
        return keepsFixedMatrix ? layer.weightShape(input) : super.fixedShape(layer, input);
    }

    /**
     * The feedback matrix B for this step.
     *
     * @param weight the layer's current W (B must not carry gradient to it)
     * @param fixed the layer's fixed random matrix M, or null when the rule keeps none
     */
    public final NDArray feedback(NDArray weight, NDArray fixed, long fanIn, long fanOut) {
        return feedback.matrix(weight, fixed, fanIn, fanOut);
    }

    @Override
    public final NDArray trainingForward(FeedbackLayer layer, NDArray x, NDArray w, NDArray b, NDArray fixed) {
        NDArray y = layer.op(x.stopGradient(), w, b);
        if (!layer.inputNeedsError()) {
            return y;
        }
        NDArray z = layer.op(x, feedback(w, fixed, layer.fanIn(), layer.fanOut()), null);
        return y.add(z.sub(z.stopGradient()));
    }
}
