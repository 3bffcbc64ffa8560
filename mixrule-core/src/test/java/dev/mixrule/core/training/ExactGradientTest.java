package dev.mixrule.core.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dev.mixrule.kernel.data.Normalization;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.genome.InputShape;
import dev.mixrule.kernel.genome.LayerSemantics;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * exact_gradient_fraction is derived from the genome; this checks the derivation against autograd:
 * each layer's update under its rules has cosine 1 with the true gradient of the plain network exactly
 * where the plan says "exact", and clearly below 1 elsewhere (90 degrees where no error arrives).
 */
class ExactGradientTest {
    static final InputShape IN = new InputShape(1, 8, 8, 10);

    @ParameterizedTest
    @ValueSource(strings = {
        "chain:pad0|conv3x3-4-p1-relu@bp|maxpool2|dense-8-relu@bp|dense-10@bp",
        "chain:pad0|conv3x3-4-p1-relu@fa|maxpool2|dense-10@dfa",
        "chain:pad0|conv3x3-4-p1-relu@bp|maxpool2|dense-8-relu@usf|dense-10@bp",
        "chain:pad0|conv3x3-4-p1-relu@fa|dense-8-relu@hebbian|dense-10@bp",
        "chain:pad0|conv3x3-4-p1-relu@bp|conv3x3-4-p1-relu@dfa|maxpool2|dense-8-relu@frsf|dense-10@bp",
        "chain:pad0|conv3x3-4-p1-relu@bp|dense-8-relu@bp|dense-10@brsf",
        "nb201:C4:N1:stem@bp:reduce@bp:head@bp:|nor_conv_3x3~0@bp|+|nor_conv_1x1~0@bp|skip_connect~1|+|skip_connect~0|avg_pool_3x3~1|nor_conv_3x3~2@bp|",
        "nb201:C4:N1:stem@bp:reduce@bp:head@bp:|nor_conv_3x3~0@fa|+|nor_conv_1x1~0@bp|skip_connect~1|+|skip_connect~0|avg_pool_3x3~1|nor_conv_3x3~2@bp|",
        "nb201:C4:N1:stem@bp:reduce@usf:head@bp:|nor_conv_3x3~0@bp|+|nor_conv_1x1~0@dfa|skip_connect~1|+|skip_connect~0|avg_pool_3x3~1|nor_conv_3x3~2@bp|",
    })
    void eachLayersUpdateIsTheTrueGradientExactlyWhereThePlanSaysSo(String canonical) {
        ComputeThread.call(() -> {
            GenomePlan plan = GenomePlan.of(GenomeCodec.fromCanonical(canonical), IN);
            try (TrainedModel model = TrainedModel.create(plan, "t", new Normalization(0.5f, 0.25f), 7)) {
                List<Parameter> params = new ArrayList<>();
                for (Pair<String, Parameter> p : model.block().getParameters()) {
                    if (p.getValue().requiresGradient()) {
                        params.add(p.getValue());
                    }
                }
                var m = model.manager();
                NDArray x = m.randomUniform(0, 1, new Shape(16, 1, 8, 8));
                NDArray y = m.create(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5});
                Loss loss = Loss.softmaxCrossEntropyLoss();
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(loss.evaluate(new NDList(y), new NDList(model.logits(x, true))));
                }
                double[] angles = GradientAlignment.measure(model, params, x, y, loss);
                List<LayerSemantics> layers = plan.layerSemantics();
                assertEquals(layers.size(), angles.length);
                boolean allExact = true;
                for (int i = 0; i < angles.length; i++) {
                    LayerSemantics l = layers.get(i);
                    allExact &= l.exactGradient();
                    if (Double.isNaN(angles[i])) {
                        assertEquals("hebbian", l.rule().shortName(), l.name() + ": only hebbian layers have no gradient");
                        continue;
                    }
                    if (l.exactGradient()) {
                        assertTrue(angles[i] < 0.05, canonical + " " + l.name() + ": exact by the plan but " + angles[i] + " degrees");
                    } else {
                        assertTrue(angles[i] > 0.5, canonical + " " + l.name() + ": not exact by the plan but " + angles[i] + " degrees");
                    }
                }
                if (allExact) {
                    assertEquals(1.0, plan.exactGradientFraction(), 1e-12);
                } else {
                    assertTrue(plan.exactGradientFraction() < 1.0);
                }
            }
            return null;
        });
    }
}
