package dev.mixrule.leaderboard.store;

import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.ParetoPoint;
import dev.mixrule.proto.ParetoResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.Tuple;

/** Pareto queries: the kept sort of a configured set, or one computed on request for any other set. */
final class ParetoReader {
    private final Supplier<Jedis> connections;
    private final StoreKeys keys;
    private final List<MetricSet> kept;
    private final LeaderboardReader entries;

    ParetoReader(Supplier<Jedis> connections, StoreKeys keys, List<MetricSet> kept, LeaderboardReader entries) {
        this.connections = connections;
        this.keys = keys;
        this.kept = List.copyOf(kept);
        this.entries = entries;
    }

    /** The ids of the first layers with their layer, how many points are sorted and how many layers there are. */
    private record Layers(Map<String, Integer> layerOf, long sorted, int layerCount) {}

    ParetoResponse pareto(String dataset, MetricSet set, String experimentId, int maxLayers, int limit) {
        String exp = StoreKeys.experiment(experimentId);
        boolean maintained = kept.contains(set);
        try (Jedis j = connections.get()) {
            Layers layers = maintained ? keptLayers(j, keys.pareto(dataset, set, exp), maxLayers, limit)
                    : adHocLayers(j, dataset, set, exp, maxLayers, limit);
            List<ParetoPoint> points = new ArrayList<>();
            for (LeaderboardEntry e : entries.existing(j, dataset, new ArrayList<>(layers.layerOf().keySet()))) {
                points.add(ParetoPoint.newBuilder().setLayer(layers.layerOf().get(e.getGenomeId())).setEntry(e).build());
            }
            String first = set.objectives().get(0).metric();
            double sign = set.objectives().get(0).maximize() ? -1 : 1;
            points.sort(Comparator.comparingInt(ParetoPoint::getLayer)
                    .thenComparingDouble(p -> sign * p.getEntry().getMetricsOrDefault(first, 0))
                    .thenComparing(p -> p.getEntry().getGenomeId()));
            return ParetoResponse.newBuilder().addAllPoints(points).setSorted(layers.sorted()).setLayerCount(layers.layerCount())
                    .setMetricSet(set.key()).setMaintained(maintained).build();
        }
    }

    private static Layers keptLayers(Jedis j, String zkey, int maxLayers, int limit) {
        Map<String, Integer> layerOf = new LinkedHashMap<>();
        for (Tuple t : j.zrangeByScoreWithScores(zkey, 0, maxLayers - 1, 0, limit)) {
            layerOf.put(t.getElement(), (int) t.getScore());
        }
        return new Layers(layerOf, j.zcard(zkey), ParetoIndex.layerCount(j, zkey));
    }

    private Layers adHocLayers(Jedis j, String dataset, MetricSet set, String exp, int maxLayers, int limit) {
        Map<String, double[]> points = adHocPoints(j, dataset, set, exp);
        Map<String, Integer> all = ParetoLayers.sort(points);
        Map<String, Integer> layerOf = new LinkedHashMap<>();
        all.entrySet().stream().filter(e -> e.getValue() < maxLayers)
                .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit).forEach(e -> layerOf.put(e.getKey(), e.getValue()));
        return new Layers(layerOf, points.size(), all.values().stream().mapToInt(i -> i + 1).max().orElse(0));
    }

    private Map<String, double[]> adHocPoints(Jedis j, String dataset, MetricSet set, String exp) {
        List<Map<String, Double>> columns = new ArrayList<>();
        for (MetricSet.Objective o : set.objectives()) {
            String zkey = keys.rank(dataset, o.metric(), exp);
            long n = j.zcard(zkey);
            if (n > LeaderboardStore.AD_HOC_PARETO_LIMIT) {
                throw new LeaderboardStore.TooLargeException("metric set " + set.key() + " is not kept up to date (kept: " + kept
                        + ") and " + o.metric() + " has " + n + " entries, over the " + LeaderboardStore.AD_HOC_PARETO_LIMIT
                        + " sorted on request; add the set to mixrule.leaderboard.pareto-sets");
            }
            Map<String, Double> col = new HashMap<>();
            for (Tuple t : j.zrangeWithScores(zkey, 0, -1)) {
                col.put(t.getElement(), t.getScore());
            }
            columns.add(col);
        }
        Map<String, double[]> points = new HashMap<>();
        for (String id : columns.get(0).keySet()) {
            Map<String, Double> m = new HashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                Double v = columns.get(i).get(id);
                if (v != null) {
                    m.put(set.objectives().get(i).metric(), v);
                }
            }
            double[] p = set.orient(m);
            if (p != null) {
                points.put(id, p);
            }
        }
        return points;
    }
}
