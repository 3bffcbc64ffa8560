package dev.mixrule.core.attacks;

import ai.djl.ndarray.NDArray;

/**
 * Transfer attack: PGD adversarials crafted on a source model (a backprop-trained reference of the
 * same dataset, ideally the same architecture), then shown to the target. Catches gradient masking:
 * a masked model is often broken by examples made on an honest twin.
 */
public final class TransferAttack implements Attack {
    private final Classifier source;
    private final int steps;

    public TransferAttack(Classifier source, int steps) {
        this.source = source;
        this.steps = steps;
    }

    @Override
    public String name() {
        return "transfer";
    }

    @Override
    public String kind() {
        return "transfer";
    }

    @Override
    public boolean[] robust(Classifier f, NDArray x, NDArray labels, float eps) {
        float alpha = 2.5f * eps / steps;
        NDArray adv = x.add(source.manager().randomUniform(-eps, eps, x.getShape())).clip(0, 1);
        for (int s = 0; s < steps; s++) {
            NDArray g = Gradients.inputGradient(source, adv, labels)[0];
            adv = Gradients.project(adv.add(g.sign().mul(alpha)), x, eps);
        }
        boolean[] ok = Gradients.correct(f, x, labels);
        PgdAttack.and(ok, Gradients.correct(f, adv, labels));
        return ok;
    }

    @Override
    public String settings() {
        return "transfer:pgd-steps=" + steps;
    }
}
