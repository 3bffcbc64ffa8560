package dev.mixrule.core.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import dev.mixrule.core.rules.FeedbackLayer;
import dev.mixrule.core.rules.RuleContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures how far each layer's update under its rules is from the true gradient: the angle between
 * the gradient a layer received from the rule's backward (weights and bias together, before clipping,
 * momentum and weight decay) and the autograd gradient of the same network run plain (every layer as
 * backprop) on the same batch. The rule gradients are left in place afterwards, so training goes on
 * as if nothing was measured (BatchNorm's running statistics see the batch twice).
 */
public final class GradientAlignment {
    private GradientAlignment() {}

    /**
     * Call right after the rule backward of a batch, outside the gradient collector. One read-back.
     *
     * @param params every trainable parameter of the model (their gradients are restored afterwards)
     * @return per layer (network order) the angle in degrees; NaN for a layer whose weights do not learn
     *     from the error (hebbian); 90 for one that received no error
     */
    public static double[] measure(TrainedModel model, List<Parameter> params, NDArray x, NDArray y, Loss loss) {
        try (NDArray sums = measureOnDevice(model, params, x, y, loss)) {
            return angles(ReadBacks.doubles(sums));
        }
    }

    /**
     * As {@link #measure} without reading back: per layer (dot, |rule|^2, |true|^2) in float64, shape (layers, 3),
     * a row of NaN for a layer whose weights do not learn from the error. Taken out of the current NDScope: the
     * caller closes it after {@link #angles}.
     */
    static NDArray measureOnDevice(TrainedModel model, List<Parameter> params, NDArray x, NDArray y, Loss loss) {
        List<FeedbackLayer> layers = model.block().layers();
        List<NDArray> saved = new ArrayList<>(params.size());
        for (Parameter p : params) {
            NDArray g = p.getArray().getGradient();
            saved.add(g.duplicate());
            g.muli(0);
        }
        List<NDArray[]> rule = new ArrayList<>();
        for (FeedbackLayer l : layers) {
            rule.add(gradients(l, saved, params));
        }
        RuleContext ctx = model.block().context();
        ctx.setPlain(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logits = model.logits(x, true);
            gc.backward(loss.evaluate(new NDList(y), new NDList(logits)));
        } finally {
            ctx.setPlain(false);
        }
        NDList rows = new NDList(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            FeedbackLayer l = layers.get(i);
            NDArray[] r = rule.get(i);
            if (r == null) {
                rows.add(model.manager().full(new Shape(3), Float.NaN, DataType.FLOAT64));
                continue;
            }
            rows.add(sums(r, new NDArray[] {l.weightParameter().getArray().getGradient(),
                    l.biasParameter() == null ? null : l.biasParameter().getArray().getGradient()}));
        }
        for (int i = 0; i < params.size(); i++) {
            params.get(i).getArray().getGradient().muli(0).addi(saved.get(i));
        }
        NDArray out = NDArrays.stack(rows);
        NDScope.unregister(out);
        return out;
    }

    private static NDArray[] gradients(FeedbackLayer l, List<NDArray> saved, List<Parameter> params) {
        int w = params.indexOf(l.weightParameter());
        if (w < 0) {
            return null; // its weights do not learn from the error
        }
        int b = l.biasParameter() == null ? -1 : params.indexOf(l.biasParameter());
        return new NDArray[] {saved.get(w), b < 0 ? null : saved.get(b)};
    }

    /** (dot, |a|^2, |b|^2) in float64 of two gradients given as (weight, bias) pieces. */
    private static NDArray sums(NDArray[] a, NDArray[] b) {
        NDArray total = null;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == null || b[i] == null) {
                continue;
            }
            NDArray x = a[i].toType(DataType.FLOAT64, false);
            NDArray z = b[i].toType(DataType.FLOAT64, false);
            NDArray piece = NDArrays.stack(new NDList(x.mul(z).sum(), x.square().sum(), z.square().sum()));
            total = total == null ? piece : total.addi(piece);
        }
        return total == null ? a[0].getManager().zeros(new Shape(3), DataType.FLOAT64) : total;
    }

    /** Per layer the angle in degrees from {@link #measureOnDevice}'s rows read back; 90 when either is zero. */
    static double[] angles(double[] rows) {
        double[] angles = new double[rows.length / 3];
        for (int i = 0; i < angles.length; i++) {
            double dot = rows[3 * i];
            double na = rows[3 * i + 1];
            double nb = rows[3 * i + 2];
            if (na == 0 || nb == 0) {
                angles[i] = 90.0;
                continue;
            }
            double cos = Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
            angles[i] = Math.toDegrees(Math.acos(cos));
        }
        return angles;
    }
}
