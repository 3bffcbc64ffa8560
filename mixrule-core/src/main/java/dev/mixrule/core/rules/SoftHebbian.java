package dev.mixrule.core.rules;

import ai.djl.ndarray.NDArray;
import dev.mixrule.core.genome.Rule;

/**
 * SoftHebb-style Hebbian learning (Journe et al. 2023), no error at all: u = W x, y = softmax(u / tau)
 * over the layer's units (per position for convolutions), dw_k = eta_k * mean(y_k (x - u_k w_k)), with
 * the per-neuron rate eta_k = eta * (sqrt(|1 - |w_k|^2|) + 0.01), which slows as |w_k| reaches 1,
 * the rule's fixed point. The layer's input is stopGradient'd and its weights never see the loss.
 * The update itself lives in {@code FeedbackLayer#hebbianUpdate}.
 */
public final class SoftHebbian implements FeedbackRule {
    /** Softmax temperature tau. */
    public static final float TEMPERATURE = 1.0f;

    @Override
    public Rule rule() {
        return Rule.HEBBIAN;
    }

    @Override
    public boolean isLocal() {
        return true;
    }

    @Override
    public NDArray feedback(NDArray weight, NDArray fixed, long fanIn, long fanOut) {
        throw new UnsupportedOperationException("a Hebbian layer sends no error");
    }
}
