package dev.mixrule.core.attacks;

import ai.djl.ndarray.NDArray;

/**
 * An L-inf evasion attack. Returns, per example, whether the model still classifies it correctly
 * after the attack (examples it misclassifies clean count as broken). Attacks are plug-ins found
 * through {@link Attacks}.
 */
public interface Attack {
    String name();

    /** "white-box", "black-box" or "transfer": the trust checks compare the kinds. */
    String kind();

    boolean[] robust(Classifier f, NDArray x, NDArray labels, float eps);

    /** Settings in words, for the protocol string (e.g. "pgd:steps=10,step=0.01,restarts=1"). */
    String settings();
}
