package dev.mixrule.kernel.search;

/** A metric to optimise and its direction. */
public record Objective(String metric, boolean maximize) {
    /** Value oriented so that larger is always better. */
    public double oriented(double value) {
        return maximize ? value : -value;
    }
}
