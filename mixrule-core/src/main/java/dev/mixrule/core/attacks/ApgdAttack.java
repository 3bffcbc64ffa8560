package dev.mixrule.core.attacks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

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
                            Function<NDArray, NDArray> lossOfLogits) {
        Run run = new Run(f, x, labels, eps, lossOfLogits);
        List<Integer> cps = checkpoints(steps);
        int lastCp = 0;
        int nextCpIndex = 1;
        for (int k = 1; k < steps; k++) {
            run.step();
            if (nextCpIndex < cps.size() && k == cps.get(nextCpIndex)) {
                run.checkpoint(k - lastCp);
                lastCp = k;
                nextCpIndex++;
            }
        }
        return run.finish();
    }

    /** One APGD run over a batch: the iterates, the best points, and the per-example step sizes and counters. */
    private static final class Run {
        private final Classifier f;
        private final NDArray x;
        private final NDArray labels;
        private final float eps;
        private final int n;
        private final Shape perExample;
        private final Function<NDArray, NDArray> loss;
        private final boolean[] ok;
        private boolean[] correctAt;
        private final float[] eta;
        private final float[] fPrev;
        private final float[] fMax;
        private final int[] increases;
        private final float[] etaAtLastCp;
        private final float[] fMaxAtLastCp;
        private NDArray xk;
        private NDArray xPrev;
        private NDArray xMax;

        /** The first step: a signed-gradient step of 2 eps from x. */
        Run(Classifier f, NDArray x, NDArray labels, float eps, Function<NDArray, NDArray> lossOfLogits) {
            this.f = f;
            this.x = x;
            this.labels = labels;
            this.eps = eps;
            this.n = (int) x.getShape().get(0);
            this.ok = Gradients.correct(f, x, labels);
            this.perExample = perExample(x, n);
            this.eta = new float[n];
            Arrays.fill(eta, 2 * eps);
            // the forward that computes each gradient also says whether its iterate is still classified correctly
            // (as AutoAttack reads it): no second forward per step
            this.loss = logits -> {
                correctAt = Gradients.correct(logits, labels);
                return lossOfLogits.apply(logits);
            };
            NDArray[] g0 = Gradients.inputGradient(f, x, loss);
            this.fPrev = g0[1].toFloatArray();
            this.fMax = fPrev.clone();
            this.xMax = x.duplicate();
            this.xPrev = x;
            this.xk = Gradients.project(x.add(g0[0].sign().mul(f.manager().create(eta, perExample))), x, eps);
            this.increases = new int[n];
            this.etaAtLastCp = eta.clone();
            this.fMaxAtLastCp = fMax.clone();
        }

        private static Shape perExample(NDArray x, int n) {
            long[] ones = new long[(int) x.getShape().dimension()];
            Arrays.fill(ones, 1);
            ones[0] = n;
            return new Shape(ones);
        }

        /** One momentum step from x_k, in its own scope; x_k's correctness joins ok. */
        void step() {
            NDList next = Gradients.scopedList(this::momentumStep);
            and(ok, correctAt); // the iterate x_k whose gradient this step took
            xPrev = xk;
            xk = next.get(0);
            xMax = next.get(1);
        }

        /** The next iterate and the updated best points. */
        private NDList momentumStep() {
            NDArray[] gk = Gradients.inputGradient(f, xk, loss);
            boolean[] better = trackLoss(gk[1].toFloatArray());
            NDArray newMax = select(f, better, xk, xMax, perExample);
            NDArray etaArr = f.manager().create(eta.clone(), perExample);
            NDArray z = Gradients.project(xk.add(gk[0].sign().mul(etaArr)), x, eps);
            NDArray next = Gradients.project(xk.add(z.sub(xk).mul(MOMENTUM)).add(xk.sub(xPrev).mul(1 - MOMENTUM)), x, eps);
            return new NDList(next, newMax);
        }

        /** Counts loss increases and records new maxima; true where this iterate is the best so far. */
        private boolean[] trackLoss(float[] fk) {
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
            return better;
        }

        /** Halves the step size where progress stalled over the last span steps, restarting those from their best. */
        void checkpoint(int span) {
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
        }

        /** Checks the last iterate, whose gradient no step took, and returns the robust examples. */
        boolean[] finish() {
            and(ok, Gradients.correct(f, xk, labels));
            return ok;
        }
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
