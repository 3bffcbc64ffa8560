package dev.mixrule.kernel.space;

import dev.mixrule.proto.Genome;
import java.util.Random;

/** Where strategies draw genomes from: random samples, and one-step mutations of a parent. */
public interface SearchSpace {
    Genome sample(Random random);

    /** A valid genome one step from the parent: an op, a width, an edge or a layer's rule changed. */
    Genome mutate(Genome parent, Random random);
}
