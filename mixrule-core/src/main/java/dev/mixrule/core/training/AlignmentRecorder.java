package dev.mixrule.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import dev.mixrule.core.rules.FeedbackLayer;
import java.util.ArrayList;
import java.util.List;

/** Each layer's update against the true gradient, measured on one sampled batch per epoch. */
final class AlignmentRecorder {
    private final List<FeedbackLayer> layers;
    private final List<List<Double>> angles = new ArrayList<>();

    AlignmentRecorder(List<FeedbackLayer> layers) {
        this.layers = layers;
        layers.forEach(l -> angles.add(new ArrayList<>()));
    }

    /** Measures after the backward pass, before the update; the gradients are left as they were. */
    void measure(TrainedModel model, List<Parameter> params, NDArray x, NDArray y) {
        if (params.isEmpty()) {
            return;
        }
        double[] a = GradientAlignment.measure(model, params, x, y, TrainingStep.LOSS);
        for (int i = 0; i < a.length; i++) {
            if (!Double.isNaN(a[i])) {
                angles.get(i).add(a[i]);
            }
        }
    }

    /** Per layer: its name, rule, parameter count, whether its update is the exact gradient, and the angles. */
    List<LayerAlignment> result() {
        List<LayerAlignment> alignment = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            FeedbackLayer l = layers.get(i);
            long p = l.weightParameter().getArray().size()
                    + (l.biasParameter() == null ? 0 : l.biasParameter().getArray().size());
            alignment.add(new LayerAlignment(l.layerName(), l.rule().rule().shortName(), p, l.exactGradient(),
                    List.copyOf(angles.get(i))));
        }
        return alignment;
    }
}
