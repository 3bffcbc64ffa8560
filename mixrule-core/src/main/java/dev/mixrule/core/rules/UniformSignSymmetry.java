package dev.mixrule.core.rules;

import ai.djl.ndarray.NDArray;
import dev.mixrule.kernel.genome.Rule;

/** Uniform sign-concordant feedback (Liao et al. 2016): B = s * sign(W), s = sqrt(2 / (fan_in + fan_out)). */
public final class UniformSignSymmetry extends FeedbackMatrixRule {
    @Override
    public Rule rule() {
        return Rule.USF;
    }

    @Override
    public NDArray feedback(NDArray weight, NDArray fixed, long fanIn, long fanOut) {
        return weight.stopGradient().sign().mul((float) Math.sqrt(2.0 / (fanIn + fanOut)));
    }
}
