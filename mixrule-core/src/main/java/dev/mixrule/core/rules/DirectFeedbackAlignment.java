package dev.mixrule.core.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.mixrule.kernel.genome.Rule;

/**
 * Direct feedback alignment (Noekland 2016, BioTorch's convention): the layer's input x receives
 * e B_l^T, with e = dL/dlogits and B_l fixed random (input size x classes); nothing travels down
 * through W. The layer computes its forward from stopGradient(x) and taps x: the network adds
 * p - stopGradient(p), p = flatten(x) B_l, to the logits. Its own weights learn from whatever error
 * reaches its output (e itself for a dfa classifier). The first layer's input needs no error: no tap.
 */
public final class DirectFeedbackAlignment extends FeedbackRule {
    public DirectFeedbackAlignment() {
        super(Rule.DFA);
    }

    @Override
    public boolean keepsFixedMatrix() {
        return true;
    }

    @Override
    public Shape fixedShape(FeedbackLayer layer, Shape input) {
        return new Shape(input.size() / input.get(0), layer.context().classes());
    }

    @Override
    public NDArray trainingForward(FeedbackLayer layer, NDArray x, NDArray w, NDArray b, NDArray fixed) {
        if (layer.inputNeedsError()) {
            layer.context().directFeedback().tap(x, fixed);
        }
        return layer.op(x.stopGradient(), w, b);
    }
}
