package dev.mixrule.core.attacks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;

/**
 * FAB-T (Croce & Hein 2020, "Minimally distorted adversarial examples with a Fast Adaptive Boundary
 * attack"), L-inf, targeted. Per target class t it linearises g = z_t - z_y at the current point,
 * projects both the current point and the original onto that hyperplane (minimal L-inf step inside
 * [0,1]^d), steps to a convex combination of the two projections (weight alpha on the original's,
 * at most 0.1), overshooting by eta = 1.05; whenever the point is misclassified it records its
 * distance and steps back toward the original (beta = 0.9). FAB minimises the perturbation rather than
 * working inside the ball: an example is broken when an adversarial within eps was found. Targets are
 * tried in order of clean logit; each target run attacks only the examples no earlier one broke.
 */
public final class FabTargetedAttack implements Attack {
    static final float ETA = 1.05f;
    static final float BETA = 0.9f;
    static final float ALPHA_MAX = 0.1f;
    private final int steps;
    private final int targets;

    public FabTargetedAttack(int steps, int targets) {
        if (steps < 1 || targets < 1) {
            throw new IllegalArgumentException("fab-t needs at least 1 step and 1 target");
        }
        this.steps = steps;
        this.targets = targets;
    }

    @Override
    public String name() {
        return "fab_t";
    }

    @Override
    public String kind() {
        return "white-box";
    }

    @Override
    public boolean[] robust(Classifier f, NDArray x, NDArray labels, float eps) {
        return TargetOrder.overTargets(f, x, labels, targets, (xs, ys, ts) -> {
            float[] dist = minimalDistance(f, xs, ys, ts, steps);
            boolean[] robust = new boolean[dist.length];
            for (int i = 0; i < dist.length; i++) {
                robust[i] = dist[i] > eps; // broken when an adversarial point within eps was found
            }
            return robust;
        });
    }

    /** Per example, the smallest L-inf distance of a misclassified point FAB found toward target t (infinity if none). */
    static float[] minimalDistance(Classifier f, NDArray x0, NDArray labels, NDArray target, int steps) {
        int n = (int) x0.getShape().get(0);
        int d = (int) (x0.getShape().size() / n);
        float[] orig = x0.toType(DataType.FLOAT32, false).toFloatArray();
        float[] cur = orig.clone();
        float[] best = new float[n];
        Arrays.fill(best, Float.POSITIVE_INFINITY);
        float[] dk = new float[d];
        float[] dOrig = new float[d];
        long[] keys = new long[d];
        for (int it = 0; it < steps; it++) {
            float[] w;
            float[] gv;
            boolean[] correct;
            float[] next = new float[n * d];
            try (NDScope scope = new NDScope()) {
                NDArray xk = f.manager().create(cur, x0.getShape());
                NDArray[] g = Gradients.inputGradient(f, xk, logits -> {
                    int k = (int) logits.getShape().get(1);
                    return logits.mul(target.oneHot(k)).sum(new int[] {1}).sub(logits.mul(labels.oneHot(k)).sum(new int[] {1}));
                });
                w = g[0].toType(DataType.FLOAT32, false).toFloatArray();
                gv = g[1].toType(DataType.FLOAT32, false).toFloatArray();
                for (int i = 0; i < n; i++) {
                    int off = i * d;
                    double shift = 0; // w . (orig - cur): the linearised g at the original point is gv + shift
                    for (int j = 0; j < d; j++) {
                        shift += w[off + j] * (orig[off + j] - cur[off + j]);
                    }
                    project(w, cur, off, d, gv[i], dk, keys);
                    project(w, orig, off, d, (float) (gv[i] + shift), dOrig, keys);
                    float nk = maxAbs(dk);
                    float no = maxAbs(dOrig);
                    float alpha = nk + no > 0 ? Math.min(nk / (nk + no), ALPHA_MAX) : 0;
                    for (int j = 0; j < d; j++) {
                        float v = (1 - alpha) * (cur[off + j] + ETA * dk[j]) + alpha * (orig[off + j] + ETA * dOrig[j]);
                        next[off + j] = Math.max(0f, Math.min(1f, v));
                    }
                }
                correct = Gradients.correct(f, f.manager().create(next, x0.getShape()), labels);
            }
            for (int i = 0; i < n; i++) {
                if (!correct[i]) {
                    int off = i * d;
                    float norm = 0;
                    for (int j = 0; j < d; j++) {
                        norm = Math.max(norm, Math.abs(next[off + j] - orig[off + j]));
                    }
                    best[i] = Math.min(best[i], norm);
                    for (int j = 0; j < d; j++) { // step back toward the original: look for a closer one
                        next[off + j] = (1 - BETA) * orig[off + j] + BETA * next[off + j];
                    }
                }
            }
            cur = next;
        }
        return best;
    }

    /**
     * The smallest L-inf step d (inside [0,1]) from point p that reaches the hyperplane w.d = -h, where h is
     * the linearised g at p; zero when h >= 0 already, every helpful coordinate at its bound when the plane
     * is out of reach. Coordinate j moves sign(w_j) min(t, u_j) (u_j its room to the bound); t solves
     * sum_j |w_j| min(t, u_j) = -h, found by walking the u_j in ascending order.
     */
    static void project(float[] w, float[] p, int off, int d, float h, float[] out, long[] keys) {
        Arrays.fill(out, 0f);
        if (!(h < 0)) {
            return;
        }
        double r = -h;
        double reach = 0;
        double aRest = 0;
        int m = 0;
        for (int j = 0; j < d; j++) {
            float wj = w[off + j];
            float u = wj > 0 ? 1 - p[off + j] : wj < 0 ? p[off + j] : 0;
            if (u > 0) {
                reach += Math.abs(wj) * u;
                aRest += Math.abs(wj);
                // non-negative floats order like their bits: sort (room, index) pairs as longs
                keys[m++] = ((long) Float.floatToIntBits(u) << 32) | j;
            }
        }
        if (reach <= r) {
            for (int j = 0; j < d; j++) {
                float wj = w[off + j];
                out[j] = wj > 0 ? 1 - p[off + j] : wj < 0 ? -p[off + j] : 0;
            }
            return;
        }
        Arrays.sort(keys, 0, m);
        double below = 0;
        double t = 0;
        for (int q = 0; q < m; q++) {
            float u = Float.intBitsToFloat((int) (keys[q] >>> 32));
            int j = (int) (keys[q] & 0xffffffffL);
            if (below + u * aRest >= r) {
                t = (r - below) / aRest;
                break;
            }
            double a = Math.abs(w[off + j]);
            below += a * u;
            aRest -= a;
        }
        for (int j = 0; j < d; j++) {
            float wj = w[off + j];
            float u = wj > 0 ? 1 - p[off + j] : wj < 0 ? p[off + j] : 0;
            out[j] = (float) (Math.signum(wj) * Math.min(t, u));
        }
    }

    private static float maxAbs(float[] a) {
        float m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @Override
    public String settings() {
        return "fab-t:steps=" + steps + ",targets=" + targets + ",eta=" + ETA + ",beta=" + BETA + ",alpha_max=" + ALPHA_MAX;
    }
}
