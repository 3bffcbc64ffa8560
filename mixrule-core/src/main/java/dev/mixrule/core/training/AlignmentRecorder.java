package dev.mixrule.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import dev.mixrule.core.rules.FeedbackLayer;
import java.util.ArrayList;
import java.util.List;

/** Each layer's update against the true gradient, measured on one sampled batch per epoch and read back at its end. */
final class AlignmentRecorder {
    private final List<FeedbackLayer> layers;
    private final List<List<Double>> angles = new ArrayList<>();
    /** The epoch's measurement, still on the device until {@link #collect}. */
    private NDArray pending;

    AlignmentRecorder(List<FeedbackLayer> layers) {
        this.layers = layers;
        layers.forEach(l -> angles.add(new ArrayList<>()));
    }

    /** Measures after the backward pass, before the update, on the device; the gradients are left as they were. */
    void measure(TrainedModel model, List<Parameter> params, NDArray x, NDArray y) {
        if (params.isEmpty()) {
            return;
        }
        if (pending != null) {
            pending.close();
        }
        pending = GradientAlignment.measureOnDevice(model, params, x, y, TrainingStep.LOSS);
    }

    /** Reads the epoch's measurement back (one read-back, none when nothing was measured): call at the epoch's end. */
    void collect() {
        if (pending == null) {
            return;
        }
        try (NDArray sums = pending) {
            pending = null;
            double[] a = GradientAlignment.angles(ReadBacks.doubles(sums));
            for (int i = 0; i < a.length; i++) {
                if (!Double.isNaN(a[i])) {
                    angles.get(i).add(a[i]);
                }
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
