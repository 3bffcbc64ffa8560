package dev.mixrule.core.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.mixrule.kernel.genome.Rule;

/** Fixed random-magnitude sign-concordant feedback: B = |M| * sign(W), M drawn once, sign(W) re-read every step. */
public final class FixedRandomSignSymmetry extends FeedbackMatrixRule {
    @Override
    public Rule rule() {
        return Rule.FRSF;
    }

    @Override
    public boolean keepsFixedMatrix() {
        return true;
    }

    @Override
    public Shape fixedShape(FeedbackLayer layer, Shape input) {
        return layer.weightShape(input);
    }

    @Override
    public NDArray feedback(NDArray weight, NDArray fixed, long fanIn, long fanOut) {
        return fixed.abs().mul(weight.stopGradient().sign());
    }
}
