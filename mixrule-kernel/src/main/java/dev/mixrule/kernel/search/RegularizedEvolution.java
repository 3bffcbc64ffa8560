package dev.mixrule.kernel.search;

import dev.mixrule.kernel.space.SearchSpace;
import dev.mixrule.proto.Genome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Regularized (aging) evolution, Real et al. 2019: keep the last P evaluated genomes; to propose, sample
 * S of them, mutate the best; drop the oldest when a new one arrives. Until P results are in, propose
 * random genomes. Failed candidates simply never enter the population.
 */
public final class RegularizedEvolution implements SearchStrategy {
    private final SearchSpace space;
    private final Objective objective;
    private final int population;
    private final int sample;
    private final Deque<Member> members = new ArrayDeque<>();

    record Member(Genome genome, double fitness) {}

    public RegularizedEvolution(SearchSpace space, Objective objective, int population, int sample) {
        if (population < 2 || sample < 1 || sample > population) {
            throw new IllegalArgumentException("need population >= 2 and 1 <= sample <= population");
        }
        this.space = space;
        this.objective = objective;
        this.population = population;
        this.sample = sample;
    }

    @Override
    public String name() {
        return "regularized-evolution";
    }

    @Override
    public Genome ask(Random random) {
        if (members.size() < population) {
            return space.sample(random);
        }
        List<Member> all = new ArrayList<>(members);
        Member best = null;
        for (int i = 0; i < sample; i++) {
            Member m = all.get(random.nextInt(all.size()));
            if (best == null || m.fitness() > best.fitness()) {
                best = m;
            }
        }
        return space.mutate(best.genome(), random);
    }

    @Override
    public void tell(Genome genome, Map<String, Double> metrics) {
        Double v = metrics.get(objective.metric());
        if (v == null) {
            return;
        }
        members.addLast(new Member(genome, objective.oriented(v)));
        while (members.size() > population) {
            members.removeFirst();
        }
    }

    @Override
    public void tellFailure(Genome genome, String reason) {}
}
