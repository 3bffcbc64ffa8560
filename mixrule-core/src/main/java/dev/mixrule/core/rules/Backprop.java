package dev.mixrule.core.rules;

import ai.djl.ndarray.NDArray;
import dev.mixrule.kernel.genome.Rule;

/** Backpropagation: the plain op; the input receives W^T delta, the true gradient. */
public final class Backprop extends FeedbackRule {
    public Backprop() {
        super(Rule.BP);
    }

    @Override
    public NDArray trainingForward(FeedbackLayer layer, NDArray x, NDArray w, NDArray b, NDArray fixed) {
        return layer.op(x, w, b);
    }
}
