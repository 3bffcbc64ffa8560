package dev.mixrule.core.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.mixrule.kernel.genome.Rule;

/**
 * How one weight layer learns: one class per rule, which owns everything the rule does in training:
 * the layer's training forward (and with it the error the layer sends to its input), any fixed
 * matrix it keeps, and any update after the optimizer step. The weight update of every rule but
 * Hebbian is the local one from the error that reaches the layer's output; rules differ in what
 * they send to the input (docs/learning-rules.md has the table of every boundary).
 *
 * <p>Outside training every layer is the plain op(x, W) + b, so attacks see the true input gradient.
 * A rule is one small class plus a line in {@link LearningRules}; the mechanics rules share live here
 * and in {@link FeedbackMatrixRule}.
 */
public abstract class FeedbackRule {
    private final Rule rule;

    protected FeedbackRule(Rule rule) {
        this.rule = rule;
    }

    public final Rule rule() {
        return rule;
    }

    /**
     * The layer's training forward. Its value must be op(x, W) + b; what reaches W and x in the
     * backward is the rule's business.
     *
     * @param fixed the layer's fixed matrix ({@link #fixedShape}), null when it keeps none
     */
    public abstract NDArray trainingForward(FeedbackLayer layer, NDArray x, NDArray w, NDArray b, NDArray fixed);

    /** True when the rule keeps a fixed random matrix per layer (saved in checkpoints). */
    public boolean keepsFixedMatrix() {
        return false;
    }

    /** Shape of that matrix for the layer's input shape (called only when {@link #keepsFixedMatrix()}). */
    public Shape fixedShape(FeedbackLayer layer, Shape input) {
        throw new UnsupportedOperationException(rule() + " keeps no fixed matrix");
    }

    /** True when W learns from the error of the loss ({@link Rule#learnsFromError()}). */
    public boolean learnsFromError() {
        return rule().learnsFromError();
    }

    /** True when the error sent to the input is the true gradient W^T delta ({@link Rule#sendsTrueError()}). */
    public boolean sendsTrueError() {
        return rule().sendsTrueError();
    }

    /** Local update after the optimizer step, outside any gradient collector (Hebbian). */
    public void afterStep(FeedbackLayer layer, double learningRate) {}

    /** Xavier-uniform bound sqrt(6 / (fan_in + fan_out)). */
    public static float xavierBound(long fanIn, long fanOut) {
        return (float) Math.sqrt(6.0 / (fanIn + fanOut));
    }
}
