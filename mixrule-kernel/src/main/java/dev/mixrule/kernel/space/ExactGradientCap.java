package dev.mixrule.kernel.space;

import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.genome.InputShape;
import dev.mixrule.proto.Genome;
import java.util.Locale;
import java.util.Random;

/**
 * A search space restricted to genomes whose {@code exact_gradient_fraction} (the share of parameters that
 * train by the true gradient of the loss, {@link GenomePlan#exactGradientFraction()}) is at most a cap. Two
 * searches that are to be compared "at the same amount of backprop" use the same cap: without it a
 * bio-inspired arm can win by drawing networks whose classifier (which always learns from the true
 * gradient) holds nearly every parameter. Samples and mutations are drawn from the wrapped space until one
 * fits; a space where none fits in {@link #DRAWS} draws is refused with a message naming the cap.
 */
public final class ExactGradientCap implements SearchSpace {
    /** Draws per sample or mutation before the cap is declared unreachable. */
    public static final int DRAWS = 2000;

    private final SearchSpace space;
    private final InputShape input;
    private final double cap;

    /** @param cap the largest exact_gradient_fraction allowed, in (0, 1] */
    public ExactGradientCap(SearchSpace space, InputShape input, double cap) {
        if (!(cap > 0 && cap <= 1)) {
            throw new IllegalArgumentException("max_exact_gradient_fraction must be in (0, 1], got " + cap);
        }
        this.space = space;
        this.input = input;
        this.cap = cap;
    }

    public double cap() {
        return cap;
    }

    /** Whether the genome's exact_gradient_fraction is within the cap. */
    public boolean admits(Genome g) {
        return GenomePlan.of(g, input).exactGradientFraction() <= cap;
    }

    @Override
    public Genome sample(Random random) {
        for (int i = 0; i < DRAWS; i++) {
            Genome g = space.sample(random);
            if (admits(g)) {
                return g;
            }
        }
        throw unreachable();
    }

    /** A mutation of the parent within the cap; when no mutation fits, a fresh sample within the cap. */
    @Override
    public Genome mutate(Genome parent, Random random) {
        for (int i = 0; i < DRAWS; i++) {
            Genome g = space.mutate(parent, random);
            if (admits(g)) {
                return g;
            }
        }
        return sample(random);
    }

    private IllegalArgumentException unreachable() {
        return new IllegalArgumentException(String.format(Locale.ROOT, "max_exact_gradient_fraction %.4f: no genome of this space"
                + " within the cap in %d draws (the classifier always trains by the true gradient, so its share of the"
                + " parameters is a floor); raise the cap or widen the space", cap, DRAWS));
    }
}
