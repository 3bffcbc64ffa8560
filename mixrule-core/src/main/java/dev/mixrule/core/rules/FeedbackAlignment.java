package dev.mixrule.core.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.mixrule.kernel.genome.Rule;

/** Feedback alignment (Lillicrap et al. 2016): B = M, fixed random (initialised like W), never changes. */
public final class FeedbackAlignment extends FeedbackMatrixRule {
    @Override
    public Rule rule() {
        return Rule.FA;
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
        return fixed;
    }
}
