package dev.mixrule.core.rules;

import ai.djl.ndarray.NDArray;
import dev.mixrule.core.genome.Rule;

/** Fixed random-magnitude sign-concordant feedback: B = |M| * sign(W), M drawn once, sign(W) re-read every step. */
public final class FixedRandomSignSymmetry implements FeedbackRule {
    @Override
    public Rule rule() {
        return Rule.FRSF;
    }

    @Override
    public boolean needsFixedMatrix() {
        return true;
    }

    @Override
    public NDArray feedback(NDArray weight, NDArray fixed, long fanIn, long fanOut) {
        return fixed.abs().mul(weight.stopGradient().sign());
    }
}
