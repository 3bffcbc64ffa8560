package dev.mixrule.core.rules;

import ai.djl.ndarray.NDArray;
import dev.mixrule.core.genome.Rule;

/**
 * How one layer learns. For the feedback rules (BP, FA, uSF, brSF, frSF) the weight update is the
 * local one, dW = delta x^T, and the rule picks the matrix B that carries the error to the layer
 * below: dL/dx = B^T delta. DFA changes where a layer's error comes from (the output, through a
 * fixed matrix); Hebbian takes no error at all and updates its weights by a local rule.
 *
 * <p>A rule is one small class plus a line in {@link LearningRules}.
 */
public interface FeedbackRule {
    Rule rule();

    /** True when B is W itself (plain backprop): the layer then runs an ordinary forward. */
    default boolean isBackprop() {
        return false;
    }

    /** True when the layer keeps a fixed random matrix M of W's shape (drawn once, saved in checkpoints). */
    default boolean needsFixedMatrix() {
        return false;
    }

    /** True when the layer's error arrives straight from the output error e through a fixed matrix (DFA). */
    default boolean receivesDirectFeedback() {
        return false;
    }

    /** True when the layer learns without any error signal (Hebbian): its input and weights get no gradient. */
    default boolean isLocal() {
        return false;
    }

    /**
     * The feedback matrix B for this training step.
     *
     * @param weight the layer's current W (read only; B must not carry gradient to it)
     * @param fixed the layer's fixed random matrix M, or null when {@link #needsFixedMatrix()} is false
     * @param fanIn fan-in of W (inputs x kernel area)
     * @param fanOut fan-out of W (outputs x kernel area)
     */
    NDArray feedback(NDArray weight, NDArray fixed, long fanIn, long fanOut);

    /** Xavier-uniform bound sqrt(6 / (fan_in + fan_out)). */
    static float xavierBound(long fanIn, long fanOut) {
        return (float) Math.sqrt(6.0 / (fanIn + fanOut));
    }
}
