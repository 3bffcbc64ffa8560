package dev.mixrule.core.attacks;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;

/** Losses and input gradients of a classifier, per example. */
public final class Gradients {

    private Gradients() {}

    /** Cross-entropy per example, shape (n). */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray logp = logits.logSoftmax(1);
        return logp.mul(labels.oneHot((int) logits.getShape().get(1))).sum(new int[] {1}).neg();
    }

    /** d(sum of per-example cross-entropy)/dx; also returns the per-example loss at x. */
    public static NDArray[] inputGradient(Classifier f, NDArray x, NDArray labels) {
        NDArray xg = x.duplicate();
        xg.setRequiresGradient(true);
        NDArray loss;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            loss = crossEntropy(f.logits(xg), labels);
            try {
                gc.backward(loss.sum());
            } catch (ai.djl.engine.EngineException e) {
                // the forward never touched x (a cut input): its gradient is zero
            }
        }
        NDArray grad = xg.getGradient().duplicate();
        f.clearParameterGradients();
        return new NDArray[] {grad, loss.stopGradient()};
    }

    /** Per-example correctness of predictions, as booleans. */
    public static boolean[] correct(Classifier f, NDArray x, NDArray labels) {
        int[] pred;
        int[] y;
        try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) { // only Java arrays leave
            pred = f.logits(x).argMax(1).toType(DataType.INT32, false).toIntArray();
            y = labels.toType(DataType.INT32, false).toIntArray();
        }
        boolean[] out = new boolean[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = pred[i] == y[i];
        }
        return out;
    }

    /**
     * Runs one attack step in its own scope: its temporaries are freed at once, and the returned arrays
     * move to the enclosing scope (the evaluator's per-chunk scope), so memory stays flat over many steps.
     */
    public static NDArray scoped(java.util.function.Supplier<NDArray> step) {
        return scopedList(() -> new ai.djl.ndarray.NDList(step.get())).head();
    }

    public static ai.djl.ndarray.NDList scopedList(java.util.function.Supplier<ai.djl.ndarray.NDList> step) {
        ai.djl.ndarray.NDList out;
        try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
            out = step.get();
            ai.djl.ndarray.NDScope.unregister(out);
        }
        for (NDArray a : out) {
            ai.djl.ndarray.NDScope.register(a);
        }
        return out;
    }

    /** Projects onto the L-inf ball of radius eps around x0 and onto [0,1]. */
    public static NDArray project(NDArray x, NDArray x0, float eps) {
        return x.minimum(x0.add(eps)).maximum(x0.sub(eps)).clip(0, 1);
    }
}
