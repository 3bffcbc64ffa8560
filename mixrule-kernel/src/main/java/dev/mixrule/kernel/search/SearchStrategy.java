package dev.mixrule.kernel.search;

import dev.mixrule.proto.Genome;
import java.util.Map;
import java.util.Random;

/**
 * Ask/tell search (as Katib's suggestion services): {@link #ask} proposes the next genome, {@link #tell}
 * reports its metrics, {@link #tellFailure} that it could not be trained. A new strategy is one class
 * plus a line in {@link Strategies}. Not thread-safe: one experiment, one strategy.
 */
public interface SearchStrategy {
    String name();

    Genome ask(Random random);

    void tell(Genome genome, Map<String, Double> metrics);

    void tellFailure(Genome genome, String reason);
}
