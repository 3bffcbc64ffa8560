package dev.mixrule.kernel.search;

import dev.mixrule.kernel.genome.InputShape;
import dev.mixrule.kernel.genome.Rule;
import dev.mixrule.kernel.simulation.SyntheticObjective;
import dev.mixrule.kernel.space.ChainSpace;
import dev.mixrule.proto.Genome;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Strategies against random search at equal budget, over many seeds, on the synthetic objective over
 * real chain genomes (no training: deterministic and fast).
 */
class SearchEfficiencyTest {
    static final InputShape FMNIST = new InputShape(1, 28, 28, 10);
    static final int BUDGET = 300;
    static final int SEEDS = 20;
    static final SyntheticObjective OBJECTIVE = new SyntheticObjective(FMNIST);
    static final List<Objective> BOTH = List.of(new Objective("accuracy", true), new Objective("robust_accuracy", true));

    /** Runs a strategy for BUDGET distinct genomes; returns every (accuracy, robust) seen. */
    static List<double[]> run(SearchStrategy s, long seed) {
        Random r = new Random(seed);
        Set<Genome> seen = new HashSet<>();
        List<double[]> points = new ArrayList<>();
        int asks = 0;
        while (points.size() < BUDGET && asks++ < BUDGET * 20) {
            Genome g = s.ask(r);
            if (!seen.add(g)) {
                continue; // already trained: a real sampler feeds the known score back instead
            }
            Map<String, Double> m = OBJECTIVE.score(g);
            s.tell(g, m);
            points.add(new double[] {m.get("accuracy"), m.get("robust_accuracy")});
        }
        return points;
    }

    static ChainSpace space() {
        return new ChainSpace(FMNIST, List.of(Rule.values()));
    }

    /** A strategy's score against random search's, seed by seed: in how many seeds it won, and each one's mean. */
    record Duel(int wins, double mean, double randomMean) {}

    static Duel againstRandom(Supplier<SearchStrategy> strategy, ToDoubleFunction<List<double[]>> score) {
        int wins = 0;
        double sum = 0;
        double randSum = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            double mine = score.applyAsDouble(run(strategy.get(), seed));
            double rand = score.applyAsDouble(run(new RandomSearch(space()), seed));
            sum += mine;
            randSum += rand;
            if (mine > rand) {
                wins++;
            }
        }
        return new Duel(wins, sum / SEEDS, randSum / SEEDS);
    }

    @Test
    void regularizedEvolutionBeatsRandomSearchAtEqualBudget() {
        Duel d = againstRandom(() -> new RegularizedEvolution(space(), BOTH.get(0), 20, 5),
                points -> points.stream().mapToDouble(p -> p[0]).max().orElse(0));
        System.out.printf("regularized evolution vs random, budget %d, %d seeds: wins %d, mean best %.4f vs %.4f%n",
                BUDGET, SEEDS, d.wins(), d.mean(), d.randomMean());
        assertTrue(d.mean() > d.randomMean() + 0.01,
                "mean best accuracy: evolution " + d.mean() + " vs random " + d.randomMean());
        assertTrue(d.wins() >= SEEDS * 0.6, "evolution beat random in only " + d.wins() + " of " + SEEDS + " seeds");
    }

    @Test
    void nsga2FindsAFrontThatDominatesRandomSearchs() {
        double[] ref = {0, 0};
        Duel d = againstRandom(() -> new Nsga2(space(), BOTH, 40), points -> Pareto.hypervolume2d(points, ref));
        System.out.printf("NSGA-II vs random, budget %d, %d seeds: hypervolume wins %d, mean %.4f vs %.4f%n",
                BUDGET, SEEDS, d.wins(), d.mean(), d.randomMean());
        assertTrue(d.wins() >= SEEDS * 0.7, "NSGA-II's front beat random's hypervolume in only " + d.wins() + " of " + SEEDS + " seeds");
    }

    @Test
    void paretoRanksAndHypervolumeAreRightOnAHandExample() {
        List<double[]> pts = List.of(new double[] {1, 1}, new double[] {2, 0.5}, new double[] {0.5, 0.5}, new double[] {0.5, 2});
        int[] r = Pareto.ranks(pts);
        assertTrue(r[0] == 0 && r[1] == 0 && r[3] == 0 && r[2] == 1, java.util.Arrays.toString(r));
        // union of [0,1]x[0,1], [0,2]x[0,0.5], [0,0.5]x[0,2] = 1 + 0.5 + 0.5
        assertTrue(Math.abs(Pareto.hypervolume2d(pts, new double[] {0, 0}) - 2.0) < 1e-12);
    }

    @Test
    void mutationsStayValidAndChangeOneThing() {
        ChainSpace space = space();
        Random r = new Random(5);
        for (int i = 0; i < 300; i++) {
            Genome parent = space.sample(r);
            Genome child = space.mutate(parent, r);
            dev.mixrule.kernel.genome.ChainPlan.of(child, FMNIST);
            assertTrue(!child.equals(parent));
        }
    }
}
