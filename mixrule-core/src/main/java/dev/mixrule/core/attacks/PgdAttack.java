package dev.mixrule.core.attacks;

import ai.djl.ndarray.NDArray;

/**
 * PGD (Madry et al. 2018), L-inf: random start in the eps-ball, then steps x <- P(x + alpha sign(dL/dx)).
 * An example counts as broken if any iterate of any restart is misclassified.
 */
public final class PgdAttack implements Attack {
    private final int steps;
    private final float stepSize;
    private final int restarts;

    /** @param stepSize alpha in pixel units; 0 means 2.5 * eps / steps */
    public PgdAttack(int steps, float stepSize, int restarts) {
        if (steps < 1 || restarts < 1) {
            throw new IllegalArgumentException("pgd needs steps >= 1 and restarts >= 1");
        }
        this.steps = steps;
        this.stepSize = stepSize;
        this.restarts = restarts;
    }

    @Override
    public String name() {
        return "pgd";
    }

    @Override
    public String kind() {
        return "white-box";
    }

    @Override
    public boolean[] robust(Classifier f, NDArray x, NDArray labels, float eps) {
        boolean[] ok = Gradients.correct(f, x, labels);
        float alpha = stepSize > 0 ? stepSize : 2.5f * eps / steps;
        for (int r = 0; r < restarts; r++) {
            NDArray adv = Gradients.scoped(() -> x.add(f.manager().randomUniform(-eps, eps, x.getShape())).clip(0, 1));
            for (int s = 0; s < steps; s++) {
                NDArray cur = adv;
                adv = Gradients.scoped(() -> Gradients.project(cur.add(Gradients.inputGradient(f, cur, labels)[0].sign()
                        .mul(alpha)), x, eps));
                cur.close();
                and(ok, Gradients.correct(f, adv, labels));
            }
            adv.close();
        }
        return ok;
    }

    /** ok[i] &= now[i]: robust only if robust to both. */
    public static void and(boolean[] ok, boolean[] now) {
        for (int i = 0; i < ok.length; i++) {
            ok[i] &= now[i];
        }
    }

    @Override
    public String settings() {
        return "pgd:steps=" + steps + ",step=" + (stepSize > 0 ? stepSize : "2.5eps/steps") + ",restarts=" + restarts;
    }
}
