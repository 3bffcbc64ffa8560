package dev.mixrule.kernel.genome;

import dev.mixrule.proto.Genome;

/** What every {@link GenomePlan} holds the same way: the canonical genome and the input it was checked against. */
abstract class CheckedPlan implements GenomePlan {
    private final Genome genome;
    private final InputShape input;

    CheckedPlan(Genome genome, InputShape input) {
        this.genome = genome;
        this.input = input;
    }

    @Override
    public final Genome genome() {
        return genome;
    }

    @Override
    public final InputShape input() {
        return input;
    }
}
