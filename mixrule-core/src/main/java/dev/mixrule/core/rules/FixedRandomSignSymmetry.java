package dev.mixrule.core.rules;

import dev.mixrule.kernel.genome.Rule;

/** Fixed random-magnitude sign-concordant feedback: B = |M| * sign(W), M drawn once, sign(W) re-read every step. */
public final class FixedRandomSignSymmetry extends FeedbackMatrixRule {
    public FixedRandomSignSymmetry() {
        super(Rule.FRSF, KEEPS_FIXED_MATRIX, (weight, fixed, fanIn, fanOut) -> fixed.abs().mul(weight.stopGradient().sign()));
    }
}
