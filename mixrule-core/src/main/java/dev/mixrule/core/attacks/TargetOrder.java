package dev.mixrule.core.attacks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Target classes for targeted attacks: per example, the other classes by clean logit, highest first. */
final class TargetOrder {
    private TargetOrder() {}

    static int[][] byCleanLogits(Classifier f, NDArray x, NDArray labels) {
        float[] l;
        int k;
        try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
            NDArray logits = f.logits(x);
            k = (int) logits.getShape().get(1);
            l = logits.toType(DataType.FLOAT32, false).toFloatArray();
        }
        int[] y = labels.toType(DataType.INT32, false).toIntArray();
        int[][] out = new int[y.length][];
        for (int i = 0; i < y.length; i++) {
            int row = i;
            out[i] = java.util.stream.IntStream.range(0, k).filter(c -> c != y[row]).boxed()
                    .sorted((a, b) -> Float.compare(l[row * k + b], l[row * k + a])).mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    static int[] stillRobust(boolean[] ok) {
        return java.util.stream.IntStream.range(0, ok.length).filter(i -> ok[i]).toArray();
    }
}
