package dev.mixrule.core.attacks;

import ai.djl.ndarray.NDArray;

/**
 * An L-inf evasion attack. Returns, per example, whether the model still classifies it correctly
 * after the attack (examples it misclassifies clean count as broken). The robustness evaluator
 * builds them by name.
 */
public interface Attack {
    String name();

    /** "white-box", "black-box" or "transfer": the trust checks compare the kinds. */
    String kind();

    boolean[] robust(Classifier f, NDArray x, NDArray labels, float eps);

    /** {@link #robust}, with any failure (e.g. a model it cannot differentiate) rethrown naming this attack. */
    default boolean[] run(Classifier f, NDArray x, NDArray labels, float eps) {
        try {
            return robust(f, x, labels, eps);
        } catch (AttackFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AttackFailedException(name(), e);
        }
    }

    /** How many examples are still classified correctly: the true entries of a {@link #robust} result. */
    static double count(boolean[] robust) {
        int c = 0;
        for (boolean v : robust) {
            if (v) {
                c++;
            }
        }
        return c;
    }

    /** Settings in words, for the protocol string (e.g. "pgd:steps=10,step=0.01,restarts=1"). */
    String settings();
}
