package dev.mixrule.kernel.simulation;

/** How a trainer or evaluator works: REAL with DJL, or SIMULATED from the synthetic objective (scale benchmark). */
public enum RunMode {
    REAL, SIMULATED
}
