package dev.mixrule.core.rules;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.mixrule.core.training.ComputeThread;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.kernel.data.Normalization;
import dev.mixrule.kernel.genome.ChainPlan;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.genome.InputShape;
import dev.mixrule.kernel.genome.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The error that crosses every boundary between two neighbouring rules, read off the weight
 * gradients of a three-layer linear chain x -> h0 = W0 x -> h1 = W1 h0 -> logits = W2 h1 with
 * dL/dlogits = e, and compared with docs/learning-rules.md: the layer above sends its input
 * bp: delta W; fa/usf/frsf: delta B; dfa: e B_l^T (never through W); hebbian: nothing; a layer that
 * receives nothing sends nothing unless it is dfa. Every non-hebbian layer's weights get
 * delta^T (its input) from whatever reaches its output.
 */
class RuleBoundaryTest {
    static final InputShape IN = new InputShape(1, 2, 2, 3);
    // brsf redraws B every step, so its B cannot be read back; RowProbeTest covers it
    static final List<Rule> RULES = List.of(Rule.BP, Rule.FA, Rule.USF, Rule.FRSF, Rule.DFA, Rule.HEBBIAN);

    static Stream<Arguments> pairs() {
        List<Arguments> out = new ArrayList<>();
        for (Rule below : RULES) {
            for (Rule above : RULES) {
                out.add(Arguments.of(Rule.BP, below, above));
            }
        }
        out.add(Arguments.of(Rule.FA, Rule.FA, Rule.DFA)); // fa below dfa
        out.add(Arguments.of(Rule.DFA, Rule.DFA, Rule.DFA)); // all dfa: plain DFA
        out.add(Arguments.of(Rule.FA, Rule.HEBBIAN, Rule.BP)); // below a hebbian layer: nothing arrives
        out.add(Arguments.of(Rule.FA, Rule.DFA, Rule.HEBBIAN)); // dfa below hebbian still feeds the layer below
        return out.stream();
    }

    /** What layer `l` (rule r, weight w, fixed m, error at its output delta) sends its input; null = nothing. */
    static NDArray sent(Rule r, FeedbackLayer l, NDArray delta, NDArray e) {
        NDArray w = l.weightParameter().getArray();
        return switch (r) {
            case BP -> delta == null ? null : delta.matMul(w);
            case FA, USF, FRSF -> delta == null ? null : delta.matMul(l.feedbackMatrix());
            case DFA -> e.matMul(l.fixedParameter().getArray().transpose());
            case HEBBIAN -> null;
            default -> throw new IllegalArgumentException(r.toString());
        };
    }

    @ParameterizedTest(name = "{0} | {1} | {2}")
    @MethodSource("pairs")
    void theErrorCrossingEachBoundaryIsTheRulesFormula(Rule r0, Rule r1, Rule r2) {
        ComputeThread.call(() -> {
            String text = "chain:pad0|dense-5@" + r0 + "|dense-4@" + r1 + "|dense-3@" + r2;
            ChainPlan plan = ChainPlan.of(GenomeCodec.fromCanonical(text), IN);
            try (TrainedModel model = TrainedModel.create(plan, "t", new Normalization(0, 1), 4)) {
                NDManager m = model.manager();
                NDArray x = m.create(new float[] {0.5f, -1, 2, 1, -0.5f, 0.25f, 1, 3}, new Shape(2, 1, 2, 2));
                NDArray e = m.create(new float[] {1, -2, 0.5f, 0.25f, 1, -1}, new Shape(2, 3));
                List<FeedbackLayer> ls = model.block().layers();
                Rule[] rules = {plan.layerSemantics().get(0).rule(), r1, r2}; // layer 0's label may be canonicalised
                NDArray logits;
                boolean anyError = true;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    logits = model.logits(x, true);
                    try {
                        gc.backward(logits.mul(e).sum()); // so dL/dlogits = e
                    } catch (ai.djl.engine.EngineException ex) { // no weight learns from the loss at all
                        anyError = false;
                    }
                }
                NDArray[] h = new NDArray[3]; // inputs of the three layers
                h[0] = x.reshape(2, 4);
                for (int i = 0; i < 2; i++) {
                    FeedbackLayer l = ls.get(i);
                    h[i + 1] = h[i].matMul(l.weightParameter().getArray().transpose()).add(l.biasParameter().getArray());
                }
                NDArray plainLogits = h[2].matMul(ls.get(2).weightParameter().getArray().transpose())
                        .add(ls.get(2).biasParameter().getArray());
                assertArrayEquals(plainLogits.toFloatArray(), logits.toFloatArray(), 1e-5f, "forward = the plain network");
                NDArray delta = e; // error at the output of layer i, null = none
                for (int i = 2; i >= 0; i--) {
                    FeedbackLayer l = ls.get(i);
                    if (!anyError) {
                        assertTrue(rules[i] == Rule.HEBBIAN || delta == null, text + ": layer " + i + " should learn");
                    } else if (rules[i] != Rule.HEBBIAN) {
                        NDArray g = l.weightParameter().getArray().getGradient();
                        float[] expected = delta == null ? new float[(int) g.size()] : delta.transpose().matMul(h[i]).toFloatArray();
                        assertArrayEquals(expected, g.toFloatArray(), 1e-4f, text + ": dL/dW" + i);
                    }
                    delta = i == 0 ? null : sent(rules[i], l, delta, e);
                }
                assertEquals(3, ls.size());
            }
            return null;
        });
    }
}
