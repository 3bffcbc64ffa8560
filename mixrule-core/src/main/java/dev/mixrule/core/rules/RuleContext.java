package dev.mixrule.core.rules;

import dev.mixrule.kernel.recipe.Initialization;

/**
 * What the layers of one network share: the number of classes, the initialisation, the DFA taps of
 * the forward in flight, the Hebbian layers' inverse temperatures, and whether a training forward
 * runs plain (every layer as backprop: the reference for the gradient-alignment probe).
 */
public final class RuleContext {
    private final int classes;
    private final Initialization init;
    private final double[] inverseTemperatures;
    private final DirectFeedback directFeedback = new DirectFeedback();
    private int hebbianLayers;
    private boolean plain;

    /**
     * @param inverseTemperatures SoftHebb's t per Hebbian layer in network order; missing ones are 1
     */
    public RuleContext(int classes, Initialization init, double[] inverseTemperatures) {
        this.classes = classes;
        this.init = init == null ? Initialization.XAVIER : init;
        this.inverseTemperatures = inverseTemperatures == null ? new double[0] : inverseTemperatures.clone();
    }

    public int classes() {
        return classes;
    }

    public Initialization init() {
        return init;
    }

    public DirectFeedback directFeedback() {
        return directFeedback;
    }

    /** True while a training forward runs as plain backprop (no rule in effect). */
    public boolean plain() {
        return plain;
    }

    public void setPlain(boolean plain) {
        this.plain = plain;
    }

    double nextInverseTemperature() {
        int i = hebbianLayers++;
        return i < inverseTemperatures.length ? inverseTemperatures[i] : 1.0;
    }
}
