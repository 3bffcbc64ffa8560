package dev.mixrule.core.rules;

import ai.djl.ndarray.NDArray;
import dev.mixrule.core.genome.Rule;

/**
 * Direct feedback alignment (Noekland 2016): the layer's output h_l receives e B_l, with e = dL/dlogits
 * and B_l fixed random (classes x width of h_l), instead of the error from the layer above.
 * The network (ChainNetwork) cuts h_l from the layers above and adds p - stopGradient(p), p = h_l B_l^T,
 * to the logits. What the layer passes further down it passes through W^T, so rules below a DFA
 * layer still learn; in an all-DFA network every layer's output is cut and this is plain DFA.
 */
public final class DirectFeedbackAlignment implements FeedbackRule {
    @Override
    public Rule rule() {
        return Rule.DFA;
    }

    @Override
    public boolean receivesDirectFeedback() {
        return true;
    }

    @Override
    public NDArray feedback(NDArray weight, NDArray fixed, long fanIn, long fanOut) {
        return weight.stopGradient();
    }
}
