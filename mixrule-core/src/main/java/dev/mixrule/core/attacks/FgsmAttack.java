package dev.mixrule.core.attacks;

import ai.djl.ndarray.NDArray;

/** FGSM (Goodfellow et al. 2015): x' = clip(x + eps * sign(dL/dx), 0, 1), one step. */
public final class FgsmAttack implements Attack {
    @Override
    public String name() {
        return "fgsm";
    }

    @Override
    public String kind() {
        return "white-box";
    }

    public NDArray perturb(Classifier f, NDArray x, NDArray labels, float eps) {
        NDArray g = Gradients.inputGradient(f, x, labels)[0];
        return x.add(g.sign().mul(eps)).clip(0, 1);
    }

    @Override
    public boolean[] robust(Classifier f, NDArray x, NDArray labels, float eps) {
        boolean[] clean = Gradients.correct(f, x, labels);
        boolean[] adv = Gradients.correct(f, perturb(f, x, labels, eps), labels);
        for (int i = 0; i < clean.length; i++) {
            clean[i] &= adv[i];
        }
        return clean;
    }

    @Override
    public String settings() {
        return "fgsm";
    }
}
