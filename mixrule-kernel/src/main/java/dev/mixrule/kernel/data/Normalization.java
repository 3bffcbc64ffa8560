package dev.mixrule.kernel.data;

/** Per-dataset input normalisation, applied as the first layer of every model (inputs stay in [0,1]). */
public record Normalization(float mean, float std) {
    public Normalization {
        if (!(std > 0)) {
            throw new IllegalArgumentException("std must be > 0, got " + std);
        }
    }
}
