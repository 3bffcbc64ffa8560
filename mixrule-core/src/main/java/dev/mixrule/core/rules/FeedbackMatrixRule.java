package dev.mixrule.core.rules;

import ai.djl.ndarray.NDArray;

/**
 * The rules that carry the error down through a matrix B of W's shape (FA, uSF, brSF, frSF):
 * dL/dx = B^T delta. Built with stop-gradient, x' = stopGradient(x):
 * {@code z = op(x, B); y = op(x', W) + b + (z - stopGradient(z))}: the value is op(x, W) + b, dL/dW is
 * the exact local gradient, and the error reaching x went through B. When x needs no error (the
 * first layer, or below a layer that sends none) z is skipped.
 */
public abstract class FeedbackMatrixRule implements FeedbackRule {
    /**
     * The feedback matrix B for this step.
     *
     * @param weight the layer's current W (B must not carry gradient to it)
     * @param fixed the layer's fixed random matrix M, or null when the rule keeps none
     */
    public abstract NDArray feedback(NDArray weight, NDArray fixed, long fanIn, long fanOut);

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
