package dev.mixrule.core.rules;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.mixrule.core.training.ComputeThread;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads B off the error itself: with one sample and delta = e_j (one-hot), the error reaching the
 * input is row j of B. So these tests see the B each training step really used.
 */
class RowProbeTest {
    static final int IN = 6;
    static final int OUT = 4;
    static final int ROW = 2;

    /** Row ROW of B as seen by the input gradient, for `passes` successive training steps (W unchanged). */
    static float[][] probe(FeedbackRule rule, int passes, float[][] weightOut, float[][] fixedOut) {
        return ComputeThread.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Engine.getInstance().setRandomSeed(5);
                FeedbackDense layer = new FeedbackDense(rule, new dev.mixrule.core.rules.RuleContext(10, dev.mixrule.kernel.recipe.Initialization.XAVIER, null), OUT);
                layer.initialize(m, DataType.FLOAT32, new Shape(1, IN));
                ParameterStore ps = new ParameterStore(m, false);
                float[] onehot = new float[OUT];
                onehot[ROW] = 1;
                NDArray g = m.create(onehot, new Shape(1, OUT));
                float[][] rows = new float[passes][];
                for (int p = 0; p < passes; p++) {
                    NDArray x = m.create(new float[] {0.3f, -1, 2, 0.5f, 1, -0.25f}, new Shape(1, IN));
                    x.setRequiresGradient(true);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(layer.forward(ps, new NDList(x), true).singletonOrThrow().mul(g).sum());
                    }
                    rows[p] = x.getGradient().toFloatArray();
                    layer.weightParameter().getArray().getGradient().muli(0);
                }
                NDArray w = layer.weightParameter().getArray();
                weightOut[0] = w.get(ROW).toFloatArray();
                if (layer.fixedParameter() != null) {
                    fixedOut[0] = layer.fixedParameter().getArray().get(ROW).toFloatArray();
                }
                return rows;
            }
        });
    }

    @Test
    void feedbackAlignmentUsesTheSameFixedRandomMatrixEveryStep() {
        float[][] w = new float[1][], m = new float[1][];
        float[][] rows = probe(new FeedbackAlignment(), 3, w, m);
        assertArrayEquals(m[0], rows[0], 1e-6f);
        assertArrayEquals(rows[0], rows[2], 0f);
        assertFalse(java.util.Arrays.equals(w[0], rows[0]), "B must not be W");
    }

    @Test
    void uniformSignSymmetryUsesScaledSignOfW() {
        float[][] w = new float[1][], m = new float[1][];
        float[] row = probe(new UniformSignSymmetry(), 1, w, m)[0];
        float s = (float) Math.sqrt(2.0 / (IN + OUT));
        for (int i = 0; i < IN; i++) {
            assertEquals(Math.signum(w[0][i]) * s, row[i], 1e-6f, "element " + i);
        }
    }

    @Test
    void batchwiseRandomSignSymmetryRedrawsMagnitudesEveryBatchButKeepsTheSignsOfW() {
        float[][] w = new float[1][], m = new float[1][];
        float[][] rows = probe(new BatchwiseRandomSignSymmetry(), 2, w, m);
        assertFalse(java.util.Arrays.equals(rows[0], rows[1]), "magnitudes must be redrawn each batch");
        float bound = FeedbackRule.xavierBound(IN, OUT);
        for (float[] row : rows) {
            for (int i = 0; i < IN; i++) {
                assertEquals(Math.signum(w[0][i]), Math.signum(row[i]), "sign of element " + i);
                assertTrue(Math.abs(row[i]) <= bound, "magnitude within the Xavier bound");
            }
        }
    }

    @Test
    void fixedRandomSignSymmetryKeepsItsMagnitudesAndReadsTheSignsOfW() {
        float[][] w = new float[1][], m = new float[1][];
        float[][] rows = probe(new FixedRandomSignSymmetry(), 2, w, m);
        assertArrayEquals(rows[0], rows[1], 0f);
        for (int i = 0; i < IN; i++) {
            assertEquals(Math.abs(m[0][i]) * Math.signum(w[0][i]), rows[0][i], 1e-6f);
        }
    }
}
