package dev.mixrule.leaderboard.store;

import dev.mixrule.proto.LeaderboardEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.Tuple;

/**
 * The Pareto layers of the configured metric sets, kept in step with every write: per dataset and set (and
 * per experiment) a sorted set of genome ids scored by layer, and a hash of their oriented points. The layer
 * bookkeeping is {@link ParetoLayers}; dominance and the from-scratch sort are the kernel's Pareto.
 */
final class ParetoIndex {
    private final StoreKeys keys;
    private final List<MetricSet> sets;

    ParetoIndex(StoreKeys keys, List<MetricSet> sets) {
        this.keys = keys;
        this.sets = List.copyOf(sets);
    }

    List<MetricSet> sets() {
        return sets;
    }

    /** The layer changes of one kept sort, computed before MULTI and written inside it. */
    record Write(String zkey, String pointsKey, Map<String, Integer> layers, Map<String, double[]> points) {
        void apply(Transaction t) {
            layers.forEach((id, layer) -> {
                if (layer < 0) {
                    t.zrem(zkey, id);
                } else {
                    t.zadd(zkey, layer, id);
                }
            });
            if (pointsKey != null) {
                points.forEach((id, p) -> {
                    if (p == null) {
                        t.hdel(pointsKey, id);
                    } else {
                        t.hset(pointsKey, id, encode(p));
                    }
                });
            }
        }
    }

    /** Whether replacing old by updated changes a kept sort (then {@link #writes} reads and writes the dataset's layers). */
    boolean touches(LeaderboardEntry old, LeaderboardEntry updated) {
        String oldExp = old == null ? "" : old.getExperimentId();
        for (MetricSet set : sets) {
            double[] before = old == null ? null : set.orient(old.getMetricsMap());
            if (!Arrays.equals(before, set.orient(updated.getMetricsMap())) || !oldExp.equals(updated.getExperimentId())) {
                return true;
            }
        }
        return false;
    }

    /**
     * For every kept metric set whose point of this genome changed: WATCH the sort's keys (so a
     * concurrent writer of the same sort makes one of us retry), read only the layers the update
     * touches, and compute the new layers. Runs after the entry's WATCH, before MULTI.
     */
    List<Write> writes(Jedis j, String dataset, String genomeId, LeaderboardEntry old, LeaderboardEntry updated) {
        List<Write> out = new ArrayList<>();
        String oldExp = old == null ? "" : old.getExperimentId();
        String newExp = updated.getExperimentId();
        for (MetricSet set : sets) {
            double[] before = old == null ? null : set.orient(old.getMetricsMap());
            double[] after = set.orient(updated.getMetricsMap());
            boolean moved = !Arrays.equals(before, after);
            if (!moved && oldExp.equals(newExp)) {
                continue;
            }
            String pointsKey = keys.paretoPoints(dataset, set);
            Map<String, double[]> read = new HashMap<>(); // points read so far: the set's sorts share this one points hash
            String global = keys.pareto(dataset, set, null);
            String oldExpKey = oldExp.isEmpty() ? null : keys.pareto(dataset, set, oldExp);
            String newExpKey = newExp.isEmpty() ? null : keys.pareto(dataset, set, newExp);
            List<String> watched = new ArrayList<>(List.of(pointsKey, global));
            if (oldExpKey != null) {
                watched.add(oldExpKey);
            }
            if (newExpKey != null && !newExpKey.equals(oldExpKey)) {
                watched.add(newExpKey);
            }
            j.watch(watched.toArray(String[]::new));
            Map<String, double[]> points = new HashMap<>();
            points.put(genomeId, after);
            if (moved) {
                out.add(new Write(global, pointsKey, relayer(j, global, pointsKey, read, genomeId, before, after), points));
            }
            if (oldExpKey != null && oldExpKey.equals(newExpKey)) {
                if (moved) {
                    out.add(new Write(oldExpKey, null, relayer(j, oldExpKey, pointsKey, read, genomeId, before, after), Map.of()));
                }
            } else {
                if (oldExpKey != null && before != null) {
                    out.add(new Write(oldExpKey, null, relayer(j, oldExpKey, pointsKey, read, genomeId, before, null), Map.of()));
                }
                if (newExpKey != null && after != null) {
                    out.add(new Write(newExpKey, null, relayer(j, newExpKey, pointsKey, read, genomeId, null, after), Map.of()));
                }
            }
        }
        return out;
    }

    private static Map<String, Integer> relayer(Jedis j, String zkey, String pointsKey, Map<String, double[]> read, String genomeId,
                                                double[] before, double[] after) {
        ParetoLayers layers = new ParetoLayers(new RedisLayers(j, zkey, pointsKey, read));
        Double at = before == null ? null : j.zscore(zkey, genomeId);
        if (at != null) {
            layers.remove(genomeId, at.intValue());
        }
        if (after != null) {
            layers.insert(genomeId, after);
        }
        return layers.changes();
    }

    /** How many layers a kept sort has (the highest layer plus one); 0 when empty. */
    static int layerCount(Jedis j, String zkey) {
        List<Tuple> last = j.zrevrangeWithScores(zkey, 0, 0);
        return last.isEmpty() ? 0 : (int) last.get(0).getScore() + 1;
    }

    /**
     * One sort's layers as stored: members of the sorted set scored by layer, their points in the hash. Points
     * already read for another sort of the same write (under the same WATCH) are not read or decoded again.
     */
    private record RedisLayers(Jedis j, String zkey, String pointsKey, Map<String, double[]> read) implements ParetoLayers.Source {
        @Override
        public int layerCount() {
            return ParetoIndex.layerCount(j, zkey);
        }

        @Override
        public Map<String, double[]> layer(int i) {
            List<String> ids = j.zrangeByScore(zkey, i, i);
            Map<String, double[]> out = new LinkedHashMap<>();
            if (ids.isEmpty()) {
                return out;
            }
            String[] missing = ids.stream().filter(id -> !read.containsKey(id)).toArray(String[]::new);
            if (missing.length > 0) {
                List<String> raw = j.hmget(pointsKey, missing);
                for (int k = 0; k < missing.length; k++) {
                    read.put(missing[k], raw.get(k) == null ? null : decode(raw.get(k)));
                }
            }
            for (String id : ids) {
                double[] p = read.get(id);
                if (p != null) {
                    out.put(id, p);
                }
            }
            return out;
        }
    }

    /**
     * Recomputes a kept sort from scratch (repair after a bulk load or a change of configured sets).
     * For leaderboards of thousands, not millions.
     */
    void rebuild(Jedis j, String dataset, MetricSet set, String experimentId) {
        String exp = StoreKeys.experiment(experimentId);
        String zkey = keys.pareto(dataset, set, exp);
        Map<String, double[]> points = new HashMap<>();
        for (LeaderboardEntry e : scanEntries(j, dataset)) {
            double[] p = set.orient(e.getMetricsMap());
            if (p != null && (exp == null || exp.equals(e.getExperimentId()))) {
                points.put(e.getGenomeId(), p);
            }
        }
        Map<String, Integer> layers = ParetoLayers.sort(points);
        Transaction t = j.multi();
        t.del(zkey);
        layers.forEach((id, l) -> {
            t.zadd(zkey, l, id);
            t.hset(keys.paretoPoints(dataset, set), id, encode(points.get(id)));
        });
        t.exec();
    }

    private List<LeaderboardEntry> scanEntries(Jedis j, String dataset) {
        List<LeaderboardEntry> out = new ArrayList<>();
        ScanParams params = new ScanParams().match(keys.entryPattern(dataset)).count(1000);
        String cursor = "0";
        do {
            var page = j.scan(cursor, params);
            for (String k : page.getResult()) {
                byte[] raw = j.get(StoreKeys.bytes(k));
                if (raw != null) {
                    out.add(EntryCodec.parse(raw));
                }
            }
            cursor = page.getCursor();
        } while (!cursor.equals("0"));
        return out;
    }

    static String encode(double[] p) {
        StringBuilder sb = new StringBuilder();
        for (double v : p) {
            sb.append(sb.length() == 0 ? "" : ",").append(v);
        }
        return sb.toString();
    }

    static double[] decode(String s) {
        String[] parts = s.split(",");
        double[] p = new double[parts.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = Double.parseDouble(parts[i]);
        }
        return p;
    }
}
