package dev.mixrule.core.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one way training and evaluation read a device value back to the host, counted. A read-back waits until the
 * device has finished all queued work (on a GPU it drains the stream and the host idles), so the training loop
 * reads back only at the end of an epoch: ReadBacksTest counts them per step and per epoch, and ArchitectureTest
 * forbids reading an NDArray anywhere else in the training path.
 */
final class ReadBacks {
    private static final AtomicLong COUNT = new AtomicLong();

    private ReadBacks() {}

    /** The array's values as floats (any numeric type), one read-back. */
    static float[] floats(NDArray a) {
        COUNT.incrementAndGet();
        return (a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false)).toFloatArray();
    }

    /** The array's values as doubles (any numeric type), one read-back. */
    static double[] doubles(NDArray a) {
        COUNT.incrementAndGet();
        return (a.getDataType() == DataType.FLOAT64 ? a : a.toType(DataType.FLOAT64, false)).toDoubleArray();
    }

    /** Read-backs so far in this JVM. */
    static long count() {
        return COUNT.get();
    }
}
