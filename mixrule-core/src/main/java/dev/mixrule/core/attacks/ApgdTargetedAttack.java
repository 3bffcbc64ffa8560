package dev.mixrule.core.attacks;

import ai.djl.ndarray.NDArray;

/**
 * APGD-T (Croce & Hein 2020), L-inf: APGD maximising the targeted DLR loss, once per target class. The
 * targets of an example are the classes with the highest clean logits other than its label, in that
 * order (the 2nd highest first); each target run attacks only the examples no earlier target fooled.
 * An example is robust if it is classified correctly and no target run fooled it.
 */
public final class ApgdTargetedAttack implements Attack {
    private final int steps;
    private final int targets;

    /** @param targets target classes per example (AutoAttack: 9), capped at classes - 1 */
    public ApgdTargetedAttack(int steps, int targets) {
        if (steps < 2 || targets < 1) {
            throw new IllegalArgumentException("apgd-t needs at least 2 steps and 1 target");
        }
        this.steps = steps;
        this.targets = targets;
    }

    @Override
    public String name() {
        return "apgd_t";
    }

    @Override
    public String kind() {
        return "white-box";
    }

    @Override
    public boolean[] robust(Classifier f, NDArray x, NDArray labels, float eps) {
        return TargetOrder.overTargets(f, x, labels, targets,
                (xs, ys, ts) -> ApgdAttack.attack(f, xs, ys, eps, steps, logits -> Gradients.dlrTargeted(logits, ys, ts)));
    }

    @Override
    public String settings() {
        return "apgd-t:steps=" + steps + ",targets=" + targets + ",loss=dlr-targeted";
    }
}
