package dev.mixrule.core.rules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.mixrule.kernel.genome.Rule;
import java.util.Arrays;

/**
 * SoftHebb (Journe, Garcia Rodriguez, Guo, Moraitis, ICLR 2023, arXiv 2209.11883): no error at all.
 * u = W x; soft winner-take-all over the layer's units (per position for convolutions),
 * s = softmax(t u) with the layer's inverse temperature t; the winner is Hebbian, every other unit
 * anti-Hebbian: y_k = s_k for k = argmax u, y_k = -s_k otherwise. The plasticity is
 * dw_k = sum over the batch (and positions) of y_k (x - u_k w_k), scaled by its largest magnitude,
 * and each unit moves at its own norm-dependent rate eta_k = eta * |r_k - 1|^(1/2), r_k = |w_k|, so
 * a unit stops once its weights reach the unit sphere (the rule's fixed point).
 * The layer's input is stopGradient'd (it sends no error) and its weights never see the loss.
 */
public final class SoftHebbian extends FeedbackRule {
    public SoftHebbian() {
        super(Rule.HEBBIAN);
    }

    @Override
    public NDArray trainingForward(FeedbackLayer layer, NDArray x, NDArray w, NDArray b, NDArray fixed) {
        NDArray xs = x.stopGradient();
        NDArray u = layer.op(xs, w.stopGradient(), null);
        layer.remember(new NDList(xs, u));
        return b == null ? u : layer.addBias(u, b.stopGradient());
    }

    /** W += eta_k * dw / max|dw| for the batch of the last training forward. */
    @Override
    public void afterStep(FeedbackLayer layer, double learningRate) {
        NDList state = layer.recall();
        if (state == null) {
            return;
        }
        NDArray x = state.get(0);
        NDArray u = state.get(1);
        NDArray w = layer.weightParameter().getArray();
        NDArray dw = plasticity(layer, x, u, w);
        long units = w.getShape().get(0);
        Shape perUnit = perUnitShape(w.getShape());
        NDArray norms = w.square().reshape(units, -1).sum(new int[] {1}).sqrt();
        NDArray rate = norms.sub(1).abs().sqrt().mul(learningRate).reshape(perUnit);
        w.addi(dw.mul(rate));
    }

    /** dw = (sum y_k x - (sum y_k u_k) w_k) / max|.|, with y the soft winner-take-all with anti-Hebbian losers. */
    public static NDArray plasticity(FeedbackLayer layer, NDArray x, NDArray u, NDArray w) {
        long units = w.getShape().get(0);
        NDArray s = u.mul(layer.inverseTemperature()).softmax(1);
        NDArray winner = u.argMax(1).oneHot((int) units);
        if (u.getShape().dimension() == 4) { // (n, h, w, K) -> (n, K, h, w)
            winner = winner.transpose(0, 3, 1, 2);
        }
        NDArray y = s.mul(winner.toType(s.getDataType(), false).mul(2).sub(1));
        NDArray yx = layer.hebbianCorrelation(x, y);
        NDArray yu = y.mul(u).swapAxes(0, 1).reshape(units, -1).sum(new int[] {1});
        NDArray dw = yx.sub(w.mul(yu.reshape(perUnitShape(w.getShape()))));
        return dw.div(dw.abs().max().add(1e-30f));
    }

    static Shape perUnitShape(Shape w) {
        long[] dims = new long[w.dimension()];
        Arrays.fill(dims, 1);
        dims[0] = w.get(0);
        return new Shape(dims);
    }
}
