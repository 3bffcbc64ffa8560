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
        NDArray adv = Gradients.scoped(() -> x.add(source.manager().randomUniform(-eps, eps, x.getShape())).clip(0, 1));
        for (int s = 0; s < steps; s++) {
            NDArray cur = adv;
            adv = Gradients.scoped(() -> Gradients.project(cur.add(Gradients.inputGradient(source, cur, labels)[0].sign()
                    .mul(alpha)), x, eps));
            cur.close();
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
