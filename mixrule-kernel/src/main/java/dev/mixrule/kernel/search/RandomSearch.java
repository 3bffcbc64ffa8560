package dev.mixrule.kernel.search;

import dev.mixrule.kernel.space.SearchSpace;
import dev.mixrule.proto.Genome;
import java.util.Map;
import java.util.Random;

/** The baseline every strategy must beat at equal budget: independent samples. */
public final class RandomSearch implements SearchStrategy {
    private final SearchSpace space;

    public RandomSearch(SearchSpace space) {
        this.space = space;
    }

    @Override
    public String name() {
        return "random";
    }

    @Override
    public Genome ask(Random random) {
        return space.sample(random);
    }

    @Override
    public void tell(Genome genome, Map<String, Double> metrics) {}

    @Override
    public void tellFailure(Genome genome, String reason) {}
}
