package dev.mixrule.core.rules;

import dev.mixrule.kernel.genome.Rule;

/** Uniform sign-concordant feedback (Liao et al. 2016): B = s * sign(W), s = sqrt(2 / (fan_in + fan_out)). */
public final class UniformSignSymmetry extends FeedbackMatrixRule {
    public UniformSignSymmetry() {
        super(Rule.USF, NO_FIXED_MATRIX,
                (weight, fixed, fanIn, fanOut) -> weight.stopGradient().sign().mul((float) Math.sqrt(2.0 / (fanIn + fanOut))));
    }
}
