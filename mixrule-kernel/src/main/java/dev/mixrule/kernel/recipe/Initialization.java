package dev.mixrule.kernel.recipe;

import java.util.Locale;

/**
 * How weights and feedback matrices are drawn (BioTorch's two options). XAVIER (the default):
 * W and B Xavier-uniform, bound sqrt(6 / (fan_in + fan_out)), biases 0. KAIMING: PyTorch's default,
 * W, B and biases U(-1/sqrt(fan_in), 1/sqrt(fan_in)). A DFA matrix B_l (input size x classes) is
 * Xavier-uniform over its own fans in both.
 */
public enum Initialization {
    XAVIER, KAIMING;

    public static Initialization fromName(String name) {
        if (name == null || name.isBlank()) {
            return XAVIER;
        }
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown init '" + name + "'; known: xavier, kaiming");
        }
    }

    public String shortName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
