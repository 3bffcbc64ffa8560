package dev.mixrule.core.rules;

import dev.mixrule.kernel.genome.Rule;

/** Feedback alignment (Lillicrap et al. 2016): B = M, fixed random (initialised like W), never changes. */
public final class FeedbackAlignment extends FeedbackMatrixRule {
    public FeedbackAlignment() {
        super(Rule.FA, KEEPS_FIXED_MATRIX, (weight, fixed, fanIn, fanOut) -> fixed);
    }
}
