package dev.mixrule.core.attacks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import java.util.stream.IntStream;

/** Target classes for targeted attacks: per example, the other classes by clean logit, highest first. */
final class TargetOrder {
    private TargetOrder() {}

    static int[][] byCleanLogits(Classifier f, NDArray x, NDArray labels) {
        float[] l;
        int k;
        try (NDScope scope = new NDScope()) {
            NDArray logits = f.logits(x);
            k = (int) logits.getShape().get(1);
            l = logits.toType(DataType.FLOAT32, false).toFloatArray();
        }
        int[] y = labels.toType(DataType.INT32, false).toIntArray();
        int[][] out = new int[y.length][];
        for (int i = 0; i < y.length; i++) {
            int row = i;
            out[i] = IntStream.range(0, k).filter(c -> c != y[row]).boxed()
                    .sorted((a, b) -> Float.compare(l[row * k + b], l[row * k + a])).mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    /** One targeted run on a subset: x, labels and one target class per example in; robust per example out. */
    interface TargetedRun {
        boolean[] robust(NDArray x, NDArray labels, NDArray targets);
    }

    /**
     * Robust per example against every target in turn (at most `targets`, in clean-logit order), each run
     * attacking only the examples no earlier target broke; an example must be classified correctly to start.
     */
    static boolean[] overTargets(Classifier f, NDArray x, NDArray labels, int targets, TargetedRun run) {
        boolean[] ok = Gradients.correct(f, x, labels);
        int[][] order = byCleanLogits(f, x, labels);
        int rounds = Math.min(targets, order.length == 0 ? 0 : order[0].length);
        for (int k = 0; k < rounds; k++) {
            int[] idx = stillRobust(ok);
            if (idx.length == 0) {
                break;
            }
            long[] t = new long[idx.length];
            for (int i = 0; i < idx.length; i++) {
                t[i] = order[idx[i]][k];
            }
            boolean[] sub;
            try (NDScope scope = new NDScope()) { // only Java arrays leave
                NDArray ys = Gradients.rows(labels, idx);
                sub = run.robust(Gradients.rows(x, idx), ys, f.manager().create(t).toType(ys.getDataType(), false));
            }
            for (int i = 0; i < idx.length; i++) {
                ok[idx[i]] &= sub[i];
            }
        }
        return ok;
    }

    static int[] stillRobust(boolean[] ok) {
        return IntStream.range(0, ok.length).filter(i -> ok[i]).toArray();
    }
}
