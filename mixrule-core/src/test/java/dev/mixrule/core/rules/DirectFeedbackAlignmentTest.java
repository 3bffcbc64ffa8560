package dev.mixrule.core.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.mixrule.core.genome.ChainPlan;
import dev.mixrule.core.genome.GenomeCodec;
import dev.mixrule.core.genome.InputShape;
import dev.mixrule.core.model.FeedbackLayer;
import dev.mixrule.core.model.Normalization;
import dev.mixrule.core.training.ComputeThread;
import dev.mixrule.core.training.TrainedModel;
import org.junit.jupiter.api.Test;

/** DFA: the hidden layer h = relu(W1 x + b1) receives e B1 (e = dL/dlogits), not e W2. */
class DirectFeedbackAlignmentTest {
    @Test
    void aDfaLayerReceivesTheOutputErrorThroughItsFixedMatrix() {
        ComputeThread.call(() -> {
            ChainPlan plan = ChainPlan.of(GenomeCodec.fromCanonical("chain:pad0|dense-5-relu@dfa|dense-3@bp"),
                    new InputShape(1, 2, 2, 3));
            try (TrainedModel model = TrainedModel.create(plan, "t", new Normalization(0, 1), 4)) {
                var m = model.manager();
                NDArray x = m.create(new float[] {0.5f, -1, 2, 1, -0.5f, 0.25f, 1, 3}, new Shape(2, 1, 2, 2));
                NDArray e = m.create(new float[] {1, -2, 0.5f, 0.25f, 1, -1}, new Shape(2, 3));
                NDArray logits;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    logits = model.logits(x, true);
                    gc.backward(logits.mul(e).sum()); // so dL/dlogits = e
                }
                FeedbackLayer l1 = model.block().layers().get(0);
                FeedbackLayer l2 = model.block().layers().get(1);
                NDArray w1 = l1.weightParameter().getArray();
                NDArray b1 = l1.getParameters().get("bias").getArray();
                NDArray w2 = l2.weightParameter().getArray();
                NDArray bDfa = ((dev.mixrule.core.model.ChainNetwork) model.block()).directFeedbackMatrix(0).getArray();
                NDArray flat = x.reshape(2, 4);
                NDArray a1 = flat.matMul(w1.transpose()).add(b1);
                NDArray h1 = a1.maximum(0);
                NDArray plain = h1.matMul(w2.transpose()).add(l2.getParameters().get("bias").getArray());
                assertArrayEquals(plain.toFloatArray(), logits.toFloatArray(), 1e-5f, "forward = plain network");
                NDArray delta1 = e.matMul(bDfa).mul(a1.gt(0).toType(DataType.FLOAT32, false));
                assertArrayEquals(delta1.transpose().matMul(flat).toFloatArray(), w1.getGradient().toFloatArray(), 1e-5f,
                        "dL/dW1 = ((e B1) * relu'(a1))^T x");
                assertArrayEquals(e.transpose().matMul(h1).toFloatArray(), w2.getGradient().toFloatArray(), 1e-5f,
                        "the classifier learns from e as usual");
                NDArray viaW2 = e.matMul(w2).mul(a1.gt(0).toType(DataType.FLOAT32, false)).transpose().matMul(flat);
                org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(viaW2.toFloatArray(),
                        w1.getGradient().toFloatArray()), "the error must not come back through W2");
            }
            return null;
        });
    }
}
