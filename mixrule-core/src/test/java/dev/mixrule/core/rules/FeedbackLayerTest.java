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

/**
 * The specification of the stop-gradient construction on a dense layer y = W x + b with loss
 * L = sum(y * g) for a fixed g (so delta = dL/dy = g): forward equals W x + b, dL/dW = g^T x,
 * and the error reaching x is g B.
 */
class FeedbackLayerTest {
    record Grads(float[] y, float[] dW, float[] dx, float[] w, float[] b) {}

    static Grads run(FeedbackRule rule) {
        return ComputeThread.call(() -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Engine.getInstance().setRandomSeed(3);
                FeedbackDense layer = new FeedbackDense(rule, new dev.mixrule.core.rules.RuleContext(10, dev.mixrule.kernel.recipe.Initialization.XAVIER, null), 3);
                layer.initialize(m, DataType.FLOAT32, new Shape(2, 4));
                ParameterStore ps = new ParameterStore(m, false);
                NDArray x = m.create(new float[] {1, -2, 3, 0.5f, -1, 0, 2, 1}, new Shape(2, 4));
                x.setRequiresGradient(true);
                NDArray g = m.create(new float[] {0.5f, -1, 2, 1, 0.25f, -0.5f}, new Shape(2, 3));
                NDArray b;
                NDArray y;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    b = rule.sendsTrueError() ? layer.weightParameter().getArray() : layer.feedbackMatrix(); // the B of this step (fixed for FA/uSF; brSF is not tested here)
                    y = layer.forward(ps, new NDList(x), true).singletonOrThrow();
                    gc.backward(y.mul(g).sum());
                }
                NDArray w = layer.weightParameter().getArray();
                float[] dW = w.getGradient().toFloatArray();
                float[] dx = x.getGradient().toFloatArray();
                float[] expectedDx = g.matMul(b).toFloatArray();
                float[] expectedDw = g.transpose().matMul(x).toFloatArray();
                assertArrayEquals(expectedDw, dW, 1e-5f, rule.rule() + ": dL/dW must be the local gradient delta^T x");
                assertArrayEquals(expectedDx, dx, 1e-5f, rule.rule() + ": the error below must be delta B");
                float[] plain = x.matMul(w.transpose()).add(layer.getParameters().get("bias").getArray()).toFloatArray();
                assertArrayEquals(plain, y.toFloatArray(), 1e-5f, rule.rule() + ": forward must equal W x + b");
                return new Grads(y.toFloatArray(), dW, dx, w.toFloatArray(), null);
            }
        });
    }

    @Test
    void backpropSendsTheErrorThroughW() {
        run(new Backprop());
    }

    @Test
    void feedbackAlignmentSendsTheErrorThroughItsFixedRandomMatrix() {
        run(new FeedbackAlignment());
    }

    @Test
    void uniformSignSymmetrySendsTheErrorThroughScaledSignOfW() {
        run(new UniformSignSymmetry());
    }

    @Test
    void fixedRandomSignSymmetrySendsTheErrorThroughMagnitudeTimesSignOfW() {
        run(new FixedRandomSignSymmetry());
    }
}
