package dev.mixrule.core.attacks;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.function.Function;
import java.util.function.Supplier;

/** Losses and input gradients of a classifier, per example. */
public final class Gradients {

    private Gradients() {}

    /** Cross-entropy per example, shape (n). */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray logp = logits.logSoftmax(1);
        return logp.mul(labels.oneHot((int) logits.getShape().get(1))).sum(new int[] {1}).neg();
    }

    /**
     * Targeted DLR loss of APGD-T (Croce & Hein 2020), per example:
     * -(z_y - z_t) / (z_pi1 - (z_pi3 + z_pi4) / 2 + 1e-12), z_pi sorted descending. Rising means moving toward t.
     * Needs at least 4 classes.
     */
    public static NDArray dlrTargeted(NDArray logits, NDArray labels, NDArray targets) {
        int k = (int) logits.getShape().get(1);
        if (k < 4) {
            throw new IllegalArgumentException("the targeted DLR loss needs at least 4 classes, got " + k);
        }
        NDArray zy = logits.mul(labels.oneHot(k)).sum(new int[] {1});
        NDArray zt = logits.mul(targets.oneHot(k)).sum(new int[] {1});
        NDArray sorted = logits.sort(1);
        NDArray scale = sorted.get(":, " + (k - 1)).sub(sorted.get(":, " + (k - 3)).add(sorted.get(":, " + (k - 4))).mul(0.5f)).add(1e-12f);
        return zy.sub(zt).neg().div(scale);
    }

    /** d(sum of per-example cross-entropy)/dx; also returns the per-example loss at x. */
    public static NDArray[] inputGradient(Classifier f, NDArray x, NDArray labels) {
        return inputGradient(f, x, logits -> crossEntropy(logits, labels));
    }

    /**
     * d(sum of the per-example loss)/dx and the per-example loss at x. Throws
     * {@link GradientUnavailableException} when the loss does not reach x through the graph or backward
     * fails: a zero gradient in its place would turn an attack into a silent no-op. A gradient that is
     * computed and happens to be zero (e.g. a rounding layer) is returned as it is.
     */
    public static NDArray[] inputGradient(Classifier f, NDArray x, Function<NDArray, NDArray> lossOfLogits) {
        NDArray xg = x.duplicate();
        xg.setRequiresGradient(true);
        NDArray loss;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            loss = lossOfLogits.apply(f.logits(xg));
            try {
                gc.backward(loss.sum());
            } catch (EngineException e) {
                throw new GradientUnavailableException("backward through the model failed (does its forward reach the input"
                        + " through the autograd graph?): " + e.getMessage(), e);
            }
        } finally {
            f.clearParameterGradients();
        }
        // PyTorch leaves x's gradient undefined when backward never reached x; DJL's getGradient() would hand
        // back zeros for that, indistinguishable from a true zero gradient, so ask the engine directly
        NDArray grad = xg instanceof PtNDArray p ? JniUtils.getGradient(p) : xg.getGradient();
        if (grad == null) {
            throw new GradientUnavailableException("backward never reached the input (the forward cuts the graph, e.g. a"
                    + " stop-gradient or a detached copy): the input gradient cannot be computed", null);
        }
        grad = grad.duplicate();
        return new NDArray[] {grad, loss.stopGradient()};
    }

    /** Per-example correctness of already computed logits (argmax equals the label), as booleans. */
    public static boolean[] correct(NDArray logits, NDArray labels) {
        int[] pred;
        int[] y;
        try (NDScope scope = new NDScope()) { // only Java arrays leave
            pred = logits.stopGradient().argMax(1).toType(DataType.INT32, false).toIntArray();
            y = labels.toType(DataType.INT32, false).toIntArray();
        }
        boolean[] out = new boolean[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = pred[i] == y[i];
        }
        return out;
    }

    /** Per-example correctness of predictions, as booleans. */
    public static boolean[] correct(Classifier f, NDArray x, NDArray labels) {
        try (NDScope scope = new NDScope()) { // the logits are freed here; only Java arrays leave
            return correct(f.logits(x), labels);
        }
    }

    /**
     * Runs one attack step in its own scope: its temporaries are freed at once, and the returned arrays
     * move to the enclosing scope (the evaluator's per-chunk scope), so memory stays flat over many steps.
     */
    public static NDArray scoped(Supplier<NDArray> step) {
        return scopedList(() -> new NDList(step.get())).head();
    }

    public static NDList scopedList(Supplier<NDList> step) {
        NDList out;
        try (NDScope scope = new NDScope()) {
            out = step.get();
            NDScope.unregister(out);
        }
        for (NDArray a : out) {
            NDScope.register(a);
        }
        return out;
    }

    /** The given rows (examples) of a, as a new array on a's manager; not part of any graph. */
    public static NDArray rows(NDArray a, int[] idx) {
        Shape shape = a.getShape();
        int per = (int) (shape.size() / shape.get(0));
        float[] all = a.toType(DataType.FLOAT32, false).toFloatArray();
        float[] out = new float[idx.length * per];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(all, idx[i] * per, out, i * per, per);
        }
        long[] dims = shape.getShape().clone(); // getShape() hands out the array itself: never write into it
        dims[0] = idx.length;
        NDArray r = a.getManager().create(out, new Shape(dims));
        return a.getDataType() == DataType.FLOAT32 ? r : r.toType(a.getDataType(), false);
    }

    /** Projects onto the L-inf ball of radius eps around x0 and onto [0,1]. */
    public static NDArray project(NDArray x, NDArray x0, float eps) {
        return x.minimum(x0.add(eps)).maximum(x0.sub(eps)).clip(0, 1);
    }
}
