package dev.mixrule.core.attacks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/**
 * Square attack (Andriushchenko et al. 2020), L-inf, black-box: forward passes only. Starts from
 * vertical stripes of +-eps, then each query changes one random square (side shrinking on the
 * paper's schedule) to a random +-eps per channel, keeping it when the margin
 * logit_y - max_other falls. An example is broken once its margin goes below 0.
 */
public final class SquareAttack implements Attack {
    private final int queries;
    private final float pInit;
    private final long seed;

    public SquareAttack(int queries, float pInit, long seed) {
        this.queries = queries;
        this.pInit = pInit;
        this.seed = seed;
    }

    @Override
    public String name() {
        return "square";
    }

    @Override
    public String kind() {
        return "black-box";
    }

    /** The paper's step-size schedule, on iterations rescaled to 10,000. */
    float p(int it) {
        int i = (int) ((long) it * 10000 / Math.max(1, queries));
        int[] cuts = {10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000};
        float p = pInit;
        for (int c : cuts) {
            if (i > c) {
                p /= 2;
            }
        }
        return p;
    }

    private float[] margins(Classifier f, float[] img, Shape shape, int[] y) {
        float[] l;
        int k;
        try (NDScope scope = new NDScope()) {
            NDArray logits = f.logits(f.manager().create(img, shape));
            l = logits.toFloatArray();
            k = (int) logits.getShape().get(1);
        }
        float[] m = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            float other = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                if (c != y[i]) {
                    other = Math.max(other, l[i * k + c]);
                }
            }
            m[i] = l[i * k + y[i]] - other;
        }
        return m;
    }

    @Override
    public boolean[] robust(Classifier f, NDArray x, NDArray labels, float eps) {
        Search search = new Search(f, x, labels, eps, new Random(seed));
        int[] alive = new int[search.n];
        for (int q = 0; q < queries; q++) {
            int m = search.standing(alive);
            if (m == 0) {
                break;
            }
            search.query(alive, m, p(q));
        }
        return search.robust();
    }

    /** One search over a batch: the clean images, the best perturbed ones so far and their margins. */
    private final class Search {
        private final Classifier f;
        private final float eps;
        private final Random r;
        private final int n;
        private final int c;
        private final int h;
        private final int w;
        private final int per;
        private final float[] x0;
        private final int[] y;
        private final boolean[] clean;
        private final float[] best;
        private final float[] margin;
        private final long[] dims;

        /** Starts every example from vertical stripes of +-eps. */
        Search(Classifier f, NDArray x, NDArray labels, float eps, Random r) {
            this.f = f;
            this.eps = eps;
            this.r = r;
            Shape shape = x.getShape();
            this.n = (int) shape.get(0);
            long[] is = f.imageShape();
            this.c = (int) is[0];
            this.h = (int) is[1];
            this.w = (int) is[2];
            this.per = c * h * w;
            this.x0 = x.toFloatArray();
            this.y = labels.toType(DataType.INT32, false).toIntArray();
            this.best = stripes();
            this.margin = margins(f, best, shape, y);
            this.clean = Gradients.correct(f, x, labels);
            this.dims = shape.getShape().clone(); // getShape() hands out the array itself: never write into it
        }

        private float[] stripes() {
            float[] init = new float[x0.length];
            for (int i = 0; i < n; i++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int col = 0; col < w; col++) {
                        float s = r.nextBoolean() ? eps : -eps;
                        for (int row = 0; row < h; row++) {
                            int idx = i * per + ch * h * w + row * w + col;
                            init[idx] = clip(x0[idx] + s);
                        }
                    }
                }
            }
            return init;
        }

        /** Fills alive with the examples still standing (a broken example costs no more queries); returns how many. */
        int standing(int[] alive) {
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (margin[i] >= 0 && clean[i]) {
                    alive[m++] = i;
                }
            }
            return m;
        }

        /** One query for the m standing examples: a random square each, kept where the margin falls. */
        void query(int[] alive, int m, float p) {
            int side = (int) Math.max(1, Math.min(Math.min(h, w) - 1, Math.round(Math.sqrt(p * h * w))));
            float[] cand = new float[m * per];
            int[] ya = new int[m];
            for (int a = 0; a < m; a++) {
                int i = alive[a];
                ya[a] = y[i];
                System.arraycopy(best, i * per, cand, a * per, per);
                square(cand, a * per, i * per, side);
            }
            dims[0] = m;
            float[] mm = margins(f, cand, new Shape(dims), ya);
            for (int a = 0; a < m; a++) {
                int i = alive[a];
                if (mm[a] < margin[i]) {
                    margin[i] = mm[a];
                    System.arraycopy(cand, a * per, best, i * per, per);
                }
            }
        }

        /** Sets a random side x side square of the candidate at {@code at} to the clean image +-eps per channel. */
        private void square(float[] cand, int at, int clean0, int side) {
            int top = r.nextInt(h - side + 1);
            int left = r.nextInt(w - side + 1);
            for (int ch = 0; ch < c; ch++) {
                float s = r.nextBoolean() ? eps : -eps;
                for (int row = top; row < top + side; row++) {
                    for (int col = left; col < left + side; col++) {
                        int off = ch * h * w + row * w + col;
                        cand[at + off] = clip(x0[clean0 + off] + s);
                    }
                }
            }
        }

        /** Robust: classified correctly at the start and never pushed below margin 0. */
        boolean[] robust() {
            boolean[] ok = new boolean[n];
            for (int i = 0; i < n; i++) {
                ok[i] = clean[i] && margin[i] >= 0;
            }
            return ok;
        }
    }

    private static float clip(float v) {
        return Math.max(0f, Math.min(1f, v));
    }

    @Override
    public String settings() {
        return "square:queries=" + queries + ",p_init=" + pInit;
    }
}
