package dev.mixrule.core.rules;

import ai.djl.ndarray.NDArray;
import dev.mixrule.core.genome.Rule;

/** Feedback alignment (Lillicrap et al. 2016): B = M, fixed random Xavier-uniform, never changes. */
public final class FeedbackAlignment implements FeedbackRule {
    @Override
    public Rule rule() {
        return Rule.FA;
    }

    @Override
    public boolean needsFixedMatrix() {
        return true;
    }

    @Override
    public NDArray feedback(NDArray weight, NDArray fixed, long fanIn, long fanOut) {
        return fixed;
    }
}
