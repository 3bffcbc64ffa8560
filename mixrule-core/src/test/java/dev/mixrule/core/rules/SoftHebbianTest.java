package dev.mixrule.core.rules;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.mixrule.core.training.ComputeThread;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The Hebbian step equals the SoftHebb formula computed by hand, for dense and conv layers. */
class SoftHebbianTest {
    static final float LR = 0.1f;

    /** SoftHebb's inverse temperature for these tests (not 1, so a test would catch it being ignored). */
    static final double T = 0.7;

    /**
     * By hand (Journe et al. 2023): per sample s, u = W x, soft winner-take-all y_k = softmax(T u)_k for
     * the winner (argmax u) and -softmax(T u)_k for every other unit; dw_k = sum_s y_k (x - u_k w_k),
     * scaled by max |dw|; W_k += LR * |(|w_k|) - 1|^(1/2) * dw_k.
     */
    static float[][] byHand(float[][] w, float[][] xs) {
        int out = w.length, in = w[0].length;
        double[][] dw = new double[out][in];
        for (float[] x : xs) {
            double[] u = new double[out];
            int winner = 0;
            for (int k = 0; k < out; k++) {
                for (int i = 0; i < in; i++) {
                    u[k] += w[k][i] * x[i];
                }
                if (u[k] > u[winner]) {
                    winner = k;
                }
            }
            double z = 0;
            double[] y = new double[out];
            for (int k = 0; k < out; k++) {
                y[k] = Math.exp(T * (u[k] - u[winner]));
                z += y[k];
            }
            for (int k = 0; k < out; k++) {
                y[k] = (k == winner ? 1 : -1) * y[k] / z;
                for (int i = 0; i < in; i++) {
                    dw[k][i] += y[k] * (x[i] - u[k] * w[k][i]);
                }
            }
        }
        double max = 0;
        for (double[] row : dw) {
            for (double v : row) {
                max = Math.max(max, Math.abs(v));
            }
        }
        float[][] next = new float[out][in];
        for (int k = 0; k < out; k++) {
            double norm2 = 0;
            for (int i = 0; i < in; i++) {
                norm2 += w[k][i] * w[k][i];
            }
            double rate = LR * Math.sqrt(Math.abs(Math.sqrt(norm2) - 1));
            for (int i = 0; i < in; i++) {
                next[k][i] = (float) (w[k][i] + rate * dw[k][i] / max);
            }
        }
        return next;
    }

    static float[][] rows(float[] flat, int rows) {
        int cols = flat.length / rows;
        float[][] out = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * cols, out[r], 0, cols);
        }
        return out;
    }

    @Test
    void denseUpdateMatchesTheFormula() {
        ComputeThread.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Engine.getInstance().setRandomSeed(8);
                FeedbackDense layer = new FeedbackDense(new SoftHebbian(), new dev.mixrule.core.rules.RuleContext(3, dev.mixrule.kernel.recipe.Initialization.XAVIER, new double[] {T}), 3);
                layer.initialize(m, DataType.FLOAT32, new Shape(4, 5));
                float[] xs = new float[20];
                for (int i = 0; i < xs.length; i++) {
                    xs[i] = (float) Math.sin(i * 1.7) * 2;
                }
                float[][] w0 = rows(layer.weightParameter().getArray().toFloatArray(), 3);
                NDArray x = m.create(xs, new Shape(4, 5));
                layer.forward(new ParameterStore(m, false), new NDList(x), true);
                layer.afterStep(LR);
                float[][] expected = byHand(w0, rows(xs, 4));
                float[][] actual = rows(layer.weightParameter().getArray().toFloatArray(), 3);
                for (int k = 0; k < 3; k++) {
                    assertArrayEquals(expected[k], actual[k], 1e-5f, "unit " + k);
                    assertFalse(java.util.Arrays.equals(w0[k], actual[k]), "weights moved");
                }
            }
            return null;
        });
    }

    @Test
    void convUpdateTreatsEveryPositionAsASample() {
        ComputeThread.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Engine.getInstance().setRandomSeed(9);
                FeedbackConv2d layer = new FeedbackConv2d(new SoftHebbian(), new dev.mixrule.core.rules.RuleContext(3, dev.mixrule.kernel.recipe.Initialization.XAVIER, new double[] {T}), 2, 2, 0);
                layer.initialize(m, DataType.FLOAT32, new Shape(1, 1, 3, 3));
                float[] img = {1, -2, 0.5f, 3, 0, -1, 2, 1, -0.5f};
                float[][] w0 = rows(layer.weightParameter().getArray().toFloatArray(), 2);
                // the four 2x2 patches of the 3x3 image, row-major
                float[][] patches = new float[4][];
                int p = 0;
                for (int r = 0; r < 2; r++) {
                    for (int c = 0; c < 2; c++) {
                        patches[p++] = new float[] {img[r * 3 + c], img[r * 3 + c + 1], img[(r + 1) * 3 + c], img[(r + 1) * 3 + c + 1]};
                    }
                }
                layer.forward(new ParameterStore(m, false), new NDList(m.create(img, new Shape(1, 1, 3, 3))), true);
                layer.afterStep(LR);
                float[][] expected = byHand(w0, patches);
                float[][] actual = rows(layer.weightParameter().getArray().toFloatArray(), 2);
                for (int k = 0; k < 2; k++) {
                    assertArrayEquals(expected[k], actual[k], 1e-5f, "filter " + k);
                }
            }
            return null;
        });
    }
}
