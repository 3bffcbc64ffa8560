package dev.mixrule.kernel.search;

import dev.mixrule.kernel.space.SearchSpace;
import dev.mixrule.proto.Genome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Multi-objective evolution in the NSGA-II style (Deb et al. 2002): members are ranked by non-dominated
 * sorting and, within a front, by crowding distance; parents come from binary tournaments on
 * (rank, crowding); the population keeps the best P by the same order.
 */
public final class Nsga2 implements SearchStrategy {
    private final SearchSpace space;
    private final List<Objective> objectives;
    private final int population;
    private final List<Member> members = new ArrayList<>();
    private int[] rank = new int[0];
    private double[] crowding = new double[0];

    record Member(Genome genome, double[] values) {}

    public Nsga2(SearchSpace space, List<Objective> objectives, int population) {
        if (objectives.isEmpty() || population < 4) {
            throw new IllegalArgumentException("need at least one objective and population >= 4");
        }
        this.space = space;
        this.objectives = List.copyOf(objectives);
        this.population = population;
    }

    @Override
    public String name() {
        return "nsga2";
    }

    @Override
    public Genome ask(Random random) {
        if (members.size() < population) {
            return space.sample(random);
        }
        return space.mutate(members.get(tournament(random)).genome(), random);
    }

    private int tournament(Random random) {
        int a = random.nextInt(members.size());
        int b = random.nextInt(members.size());
        if (rank[a] != rank[b]) {
            return rank[a] < rank[b] ? a : b;
        }
        return crowding[a] >= crowding[b] ? a : b;
    }

    @Override
    public void tell(Genome genome, Map<String, Double> metrics) {
        double[] v = new double[objectives.size()];
        for (int i = 0; i < v.length; i++) {
            Double x = metrics.get(objectives.get(i).metric());
            if (x == null) {
                return;
            }
            v[i] = objectives.get(i).oriented(x);
        }
        members.add(new Member(genome, v));
        rerank();
        if (members.size() > population) {
            Integer[] order = new Integer[members.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (x, y) -> rank[x] != rank[y] ? Integer.compare(rank[x], rank[y]) : Double.compare(crowding[y], crowding[x]));
            List<Member> keep = new ArrayList<>();
            for (int i = 0; i < population; i++) {
                keep.add(members.get(order[i]));
            }
            members.clear();
            members.addAll(keep);
            rerank();
        }
    }

    @Override
    public void tellFailure(Genome genome, String reason) {}

    /** Non-dominated sorting and crowding distance over the current members. */
    private void rerank() {
        int n = members.size();
        rank = Pareto.ranks(members.stream().map(Member::values).toList());
        crowding = new double[n];
        int maxRank = Arrays.stream(rank).max().orElse(0);
        for (int r = 0; r <= maxRank; r++) {
            List<Integer> front = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (rank[i] == r) {
                    front.add(i);
                }
            }
            for (int k = 0; k < objectives.size(); k++) {
                int obj = k;
                front.sort((x, y) -> Double.compare(members.get(x).values()[obj], members.get(y).values()[obj]));
                double span = members.get(front.get(front.size() - 1)).values()[obj] - members.get(front.get(0)).values()[obj];
                crowding[front.get(0)] = Double.POSITIVE_INFINITY;
                crowding[front.get(front.size() - 1)] = Double.POSITIVE_INFINITY;
                for (int j = 1; j < front.size() - 1 && span > 0; j++) {
                    crowding[front.get(j)] += (members.get(front.get(j + 1)).values()[obj]
                            - members.get(front.get(j - 1)).values()[obj]) / span;
                }
            }
        }
    }
}
