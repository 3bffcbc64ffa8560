package dev.mixrule.core.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.mixrule.core.model.FeedbackConv2d;
import dev.mixrule.core.model.FeedbackDense;
import dev.mixrule.core.training.ComputeThread;
import org.junit.jupiter.api.Test;

/** The Hebbian step equals the SoftHebb formula computed by hand, for dense and conv layers. */
class SoftHebbianTest {
    static final float LR = 0.1f;

    /** W + eta_k * mean over samples s of y_k(s) (x(s) - u_k(s) w_k), with y = softmax(u). */
    static float[][] byHand(float[][] w, float[][] xs) {
        int out = w.length, in = w[0].length, n = xs.length;
        float[][] dw = new float[out][in];
        for (float[] x : xs) {
            double[] u = new double[out];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < out; k++) {
                for (int i = 0; i < in; i++) {
                    u[k] += w[k][i] * x[i];
                }
                max = Math.max(max, u[k]);
            }
            double z = 0;
            double[] y = new double[out];
            for (int k = 0; k < out; k++) {
                y[k] = Math.exp(u[k] - max);
                z += y[k];
            }
            for (int k = 0; k < out; k++) {
                y[k] /= z;
                for (int i = 0; i < in; i++) {
                    dw[k][i] += (float) (y[k] * (x[i] - u[k] * w[k][i]) / n);
                }
            }
        }
        float[][] next = new float[out][in];
        for (int k = 0; k < out; k++) {
            double norm2 = 0;
            for (int i = 0; i < in; i++) {
                norm2 += w[k][i] * w[k][i];
            }
            double rate = LR * (Math.sqrt(Math.abs(norm2 - 1)) + 0.01);
            for (int i = 0; i < in; i++) {
                next[k][i] = (float) (w[k][i] + rate * dw[k][i]);
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
                FeedbackDense layer = new FeedbackDense(new SoftHebbian(), true, 3);
                layer.initialize(m, DataType.FLOAT32, new Shape(4, 5));
                float[] xs = new float[20];
                for (int i = 0; i < xs.length; i++) {
                    xs[i] = (float) Math.sin(i * 1.7) * 2;
                }
                float[][] w0 = rows(layer.weightParameter().getArray().toFloatArray(), 3);
                NDArray x = m.create(xs, new Shape(4, 5));
                layer.forward(new ParameterStore(m, false), new NDList(x), true);
                layer.hebbianUpdate(LR);
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
                FeedbackConv2d layer = new FeedbackConv2d(new SoftHebbian(), true, 2, 2, 0);
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
                layer.hebbianUpdate(LR);
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
