package dev.mixrule.core.rules;

import ai.djl.ndarray.NDArray;
import dev.mixrule.kernel.genome.Rule;

/** Batchwise random-magnitude sign-concordant feedback: B = |M_t| * sign(W), M_t redrawn Xavier-uniform every batch. */
public final class BatchwiseRandomSignSymmetry extends FeedbackMatrixRule {
    public BatchwiseRandomSignSymmetry() {
        super(Rule.BRSF, NO_FIXED_MATRIX, BatchwiseRandomSignSymmetry::redrawn);
    }

    private static NDArray redrawn(NDArray weight, NDArray fixed, long fanIn, long fanOut) {
        float bound = FeedbackRule.xavierBound(fanIn, fanOut);
        NDArray w = weight.stopGradient();
        NDArray m = w.getManager().randomUniform(-bound, bound, w.getShape(), w.getDataType(), w.getDevice());
        return m.abs().mul(w.sign());
    }
}
