package dev.mixrule.core.attacks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * APGD-CE (Croce & Hein 2020), L-inf: PGD with momentum (alpha = 0.75) whose step size starts at
 * 2 eps and halves, per example, at checkpoints where the loss rose in fewer than 75% of the steps
 * since the last checkpoint, or where neither step size nor best loss changed; after a halving the
 * example restarts from its best point. Needs no step-size tuning.
 */
public final class ApgdAttack implements Attack {
    private static final float MOMENTUM = 0.75f;
    private static final float RHO = 0.75f;
    private final int steps;

    public ApgdAttack(int steps) {
        if (steps < 2) {
            throw new IllegalArgumentException("apgd needs at least 2 steps");
        }
        this.steps = steps;
    }

    @Override
    public String name() {
        return "apgd";
    }

    @Override
    public String kind() {
        return "white-box";
    }

    /** Checkpoint iterations w_j = ceil(p_j * steps): p_0 = 0, p_1 = 0.22, p_j+1 = p_j + max(p_j - p_j-1 - 0.03, 0.06). */
    static List<Integer> checkpoints(int steps) {
        List<Integer> w = new ArrayList<>();
        double prev = 0, p = 0.22;
        w.add(0);
        while (p <= 1) {
            w.add((int) Math.ceil(p * steps));
            double next = p + Math.max(p - prev - 0.03, 0.06);
            prev = p;
            p = next;
        }
        return w;
    }

    @Override
    public boolean[] robust(Classifier f, NDArray x, NDArray labels, float eps) {
        return attack(f, x, labels, eps, steps, logits -> Gradients.crossEntropy(logits, labels));
    }

    /**
     * APGD maximising the given per-example loss of the logits; true where the example was classified
     * correctly at the start and at every iterate.
     */
    static boolean[] attack(Classifier f, NDArray x, NDArray labels, float eps, int steps,
                            java.util.function.Function<NDArray, NDArray> lossOfLogits) {
        int n = (int) x.getShape().get(0);
        boolean[] ok = Gradients.correct(f, x, labels);
        long[] ones = new long[(int) x.getShape().dimension()];
        java.util.Arrays.fill(ones, 1);
        ones[0] = n;
        Shape perExample = new Shape(ones);
        float[] eta = new float[n];
        java.util.Arrays.fill(eta, 2 * eps);
        List<Integer> cps = checkpoints(steps);

        // the forward that computes each gradient also says whether its iterate is still classified correctly
        // (as AutoAttack reads it): no second forward per step
        boolean[][] correctAt = new boolean[1][];
        java.util.function.Function<NDArray, NDArray> loss = logits -> {
            correctAt[0] = Gradients.correct(logits, labels);
            return lossOfLogits.apply(logits);
        };
        NDArray[] g0 = Gradients.inputGradient(f, x, loss);
        float[] fPrev = g0[1].toFloatArray();
        float[] fMax = fPrev.clone();
        NDArray xMax = x.duplicate();
        NDArray xPrev = x;
        NDArray xk = Gradients.project(x.add(g0[0].sign().mul(f.manager().create(eta, perExample))), x, eps);
        int[] increases = new int[n];
        float[] etaAtLastCp = eta.clone();
        float[] fMaxAtLastCp = fMax.clone();
        int lastCp = 0;
        int nextCpIndex = 1;
        for (int k = 1; k < steps; k++) {
            NDArray xkNow = xk;
            NDArray xPrevNow = xPrev;
            NDArray xMaxNow = xMax;
            float[] etaNow = eta.clone();
            ai.djl.ndarray.NDList step = Gradients.scopedList(() -> {
                NDArray[] gk = Gradients.inputGradient(f, xkNow, loss);
                float[] fk = gk[1].toFloatArray();
                boolean[] better = new boolean[n];
                for (int i = 0; i < n; i++) {
                    if (fk[i] > fPrev[i]) {
                        increases[i]++;
                    }
                    if (fk[i] > fMax[i]) {
                        fMax[i] = fk[i];
                        better[i] = true;
                    }
                    fPrev[i] = fk[i];
                }
                NDArray newMax = select(f, better, xkNow, xMaxNow, perExample);
                NDArray etaArr = f.manager().create(etaNow, perExample);
                NDArray z = Gradients.project(xkNow.add(gk[0].sign().mul(etaArr)), x, eps);
                NDArray next = Gradients.project(xkNow.add(z.sub(xkNow).mul(MOMENTUM)).add(xkNow.sub(xPrevNow).mul(1 - MOMENTUM)), x, eps);
                return new ai.djl.ndarray.NDList(next, newMax);
            });
            and(ok, correctAt[0]); // the iterate x_k whose gradient this step took
            xPrev = xk;
            xk = step.get(0);
            xMax = step.get(1);
            if (nextCpIndex < cps.size() && k == cps.get(nextCpIndex)) {
                int span = k - lastCp;
                boolean[] halve = new boolean[n];
                for (int i = 0; i < n; i++) {
                    boolean c1 = increases[i] < RHO * span;
                    boolean c2 = etaAtLastCp[i] == eta[i] && fMaxAtLastCp[i] == fMax[i];
                    if (c1 || c2) {
                        eta[i] /= 2;
                        halve[i] = true;
                    }
                    increases[i] = 0;
                    etaAtLastCp[i] = eta[i];
                    fMaxAtLastCp[i] = fMax[i];
                }
                and(ok, Gradients.correct(f, xk, labels)); // an iterate a restart replaces is checked before it goes
                xk = select(f, halve, xMax, xk, perExample);
                lastCp = k;
                nextCpIndex++;
            }
        }
        and(ok, Gradients.correct(f, xk, labels)); // the last iterate, whose gradient no step took
        return ok;
    }

    /** Per example: a where pick is true, b elsewhere. */
    private static NDArray select(Classifier f, boolean[] pick, NDArray a, NDArray b, Shape perExample) {
        float[] m = new float[pick.length];
        for (int i = 0; i < pick.length; i++) {
            m[i] = pick[i] ? 1 : 0;
        }
        NDArray mask = f.manager().create(m, perExample);
        return a.mul(mask).add(b.mul(mask.neg().add(1)));
    }

    private static void and(boolean[] ok, boolean[] now) {
        PgdAttack.and(ok, now);
    }

    @Override
    public String settings() {
        return "apgd-ce:steps=" + steps + ",rho=0.75,momentum=0.75";
    }
}
