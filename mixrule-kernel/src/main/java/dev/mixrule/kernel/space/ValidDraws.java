package dev.mixrule.kernel.space;

import dev.mixrule.kernel.genome.GenomePlan;
import dev.mixrule.kernel.genome.InputShape;
import dev.mixrule.kernel.genome.InvalidGenomeException;
import dev.mixrule.proto.Genome;
import java.util.Optional;
import java.util.function.Supplier;

/** How the search spaces draw until a genome is valid for their input: samples and mutations alike. */
final class ValidDraws {
    private ValidDraws() {}

    /**
     * The first genome {@code propose} returns that is not null (null: this attempt drew nothing to try),
     * differs from {@code unlike} (the parent of a mutation, or null) and is valid for the input; empty
     * when none is within {@code attempts} tries.
     */
    static Optional<Genome> first(int attempts, InputShape input, Genome unlike, Supplier<Genome> propose) {
        for (int attempt = 0; attempt < attempts; attempt++) {
            Genome g = propose.get();
            if (g == null || g.equals(unlike)) {
                continue;
            }
            try {
                GenomePlan.of(g, input);
                return Optional.of(g);
            } catch (InvalidGenomeException e) {
                // e.g. too many pools for a small image, or a cell with no path from input to output: draw again
            }
        }
        return Optional.empty();
    }
}
