package dev.mixrule.core.rules;

import ai.djl.ndarray.NDArray;
import dev.mixrule.core.genome.Rule;

/** Backpropagation: B = W. */
public final class Backprop implements FeedbackRule {
    @Override
    public Rule rule() {
        return Rule.BP;
    }

    @Override
    public boolean isBackprop() {
        return true;
    }

    @Override
    public NDArray feedback(NDArray weight, NDArray fixed, long fanIn, long fanOut) {
        return weight.stopGradient();
    }
}
