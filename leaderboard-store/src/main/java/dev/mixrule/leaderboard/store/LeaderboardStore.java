package dev.mixrule.leaderboard.store;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.UnsafeByteOperations;
import dev.mixrule.proto.DatasetStats;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.ExperimentStats;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.ParetoPoint;
import dev.mixrule.proto.ParetoResponse;
import dev.mixrule.proto.Progress;
import dev.mixrule.proto.TopResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.resps.Tuple;

/**
 * The leaderboard in Redis. One entry per genome per dataset, stored as protobuf bytes; one sorted
 * set per dataset and metric (and per experiment) kept in step on every write, so ranking is a
 * range read, never a scan; Pareto layers of the configured metric sets kept in step the same way;
 * progress counters. Writes are optimistic transactions (WATCH/MULTI), safe with several leaderboard
 * replicas; each successful write publishes the entry's key, so every replica can tell its watchers.
 *
 * <p>Keys, all under the configured prefix (docs/leaderboard.md has the full layout):
 * {@code entry:<dataset>:<genome_id>}, {@code rank:<dataset>:<metric>[:exp:<experiment>]},
 * {@code metrics:<dataset>}, {@code datasets}, {@code pareto:<dataset>:<metric_set>[:exp:<experiment>]}
 * (genome id scored by layer), {@code pareto-points:<dataset>:<metric_set>} (genome id to oriented
 * point), {@code stats:<dataset>} (counters), {@code experiments:<dataset>},
 * {@code failed:<dataset>[:exp:<experiment>]}; pub/sub channel {@code changes}.
 */
public final class LeaderboardStore implements AutoCloseable {
    /** Sets that are not kept up to date are sorted on request up to this many entries. */
    public static final int AD_HOC_PARETO_LIMIT = 5000;
    private static final int ATTEMPTS = 200;

    private final JedisPool pool;
    private final String prefix;
    private final String redisUrl;
    private final List<MetricSet> paretoSets;

    public LeaderboardStore(String redisUrl, String prefix) {
        this(redisUrl, prefix, List.of(MetricSet.DEFAULT));
    }

    public LeaderboardStore(String redisUrl, String prefix, List<MetricSet> paretoSets) {
        JedisPoolConfig config = new JedisPoolConfig();
        config.setMaxTotal(64); // one connection per concurrent gRPC call; the default 8 queued them
        config.setMaxIdle(64);
        this.pool = new JedisPool(config, URI.create(redisUrl));
        this.redisUrl = redisUrl;
        this.prefix = prefix;
        this.paretoSets = List.copyOf(paretoSets);
    }

    public String prefix() {
        return prefix;
    }

    public List<MetricSet> paretoSets() {
        return paretoSets;
    }

    // ------------------------------------------------------------------ writes

    /** Applies a change to one entry; returns the new entry, or null when nothing changed. */
    public LeaderboardEntry update(String dataset, String genomeId, UnaryOperator<LeaderboardEntry> change) {
        String key = entryKey(dataset, genomeId);
        byte[] rawKey = bytes(key);
        try (Jedis j = pool.getResource()) {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                j.watch(rawKey);
                byte[] raw = j.get(rawKey);
                LeaderboardEntry old = raw == null ? null : parse(raw);
                LeaderboardEntry updated = change.apply(old);
                if (updated == null || updated == old || EntryMerge.sameContent(old, updated)) {
                    j.unwatch();
                    return null;
                }
                List<ParetoWrite> pareto;
                try {
                    pareto = paretoWrites(j, dataset, genomeId, old, updated);
                } catch (ParetoLayers.InconsistentLayersException e) {
                    // a concurrent writer changed the layers between two of our reads; EXEC would fail anyway
                    j.unwatch();
                    backoff(attempt);
                    continue;
                }
                Transaction t = j.multi();
                t.set(rawKey, updated.toByteArray());
                writeIndexes(t, dataset, genomeId, old, updated);
                for (ParetoWrite w : pareto) {
                    w.apply(t);
                }
                // the entry itself, inside MULTI: the order of messages is the order of writes, and no reader
                // needs a second round trip to learn what changed
                t.publish(bytes(prefix + "changes"), updated.toByteArray());
                if (t.exec() != null) {
                    return updated;
                }
                backoff(attempt);
            }
        }
        throw new IllegalStateException("entry " + dataset + "/" + genomeId + " kept changing under " + ATTEMPTS + " write attempts");
    }

    /** A failed training counts in the progress of its experiment; a later success takes it out again. */
    public void recordTrainingFailure(String dataset, String experimentId, String genomeId) {
        try (Jedis j = pool.getResource()) {
            byte[] raw = j.get(bytes(entryKey(dataset, genomeId)));
            if (raw != null && parse(raw).hasTraining()) {
                return; // it trained once already (a late or retried failure): it counts as trained
            }
            Transaction t = j.multi();
            t.sadd(prefix + "datasets", dataset);
            t.sadd(prefix + "failed:" + dataset, genomeId);
            if (!experimentId.isEmpty()) {
                t.sadd(prefix + "experiments:" + dataset, experimentId);
                t.sadd(prefix + "failed:" + dataset + ":exp:" + experimentId, genomeId);
            }
            t.exec();
        }
    }

    /** Rankings, names and progress counters that follow from replacing old by updated. */
    private void writeIndexes(Transaction t, String dataset, String genomeId, LeaderboardEntry old, LeaderboardEntry updated) {
        t.sadd(prefix + "datasets", dataset);
        String oldExp = old == null ? "" : old.getExperimentId();
        String newExp = updated.getExperimentId();
        Set<String> stale = new HashSet<>(old == null ? Set.of() : old.getMetricsMap().keySet());
        stale.removeAll(updated.getMetricsMap().keySet());
        for (String metric : stale) {
            t.zrem(rankKey(dataset, metric, null), genomeId);
        }
        if (!oldExp.isEmpty()) {
            for (String metric : old.getMetricsMap().keySet()) {
                if (stale.contains(metric) || !oldExp.equals(newExp)) {
                    t.zrem(rankKey(dataset, metric, oldExp), genomeId);
                }
            }
        }
        updated.getMetricsMap().forEach((metric, value) -> {
            t.sadd(prefix + "metrics:" + dataset, metric);
            t.zadd(rankKey(dataset, metric, null), value, genomeId);
            if (!newExp.isEmpty()) {
                t.zadd(rankKey(dataset, metric, newExp), value, genomeId);
            }
        });
        // counters move by what changed between the two versions, so a redelivered result moves nothing
        String stats = prefix + "stats:" + dataset;
        boolean[] before = flags(old);
        boolean[] after = flags(updated);
        for (int f = 0; f < FLAGS.length; f++) {
            if (before[f] != after[f]) {
                t.hincrBy(stats, FLAGS[f], after[f] ? 1 : -1);
            }
            if (before[f] && !oldExp.isEmpty() && !(after[f] && oldExp.equals(newExp))) {
                t.hincrBy(stats, "exp:" + oldExp + ":" + FLAGS[f], -1);
            }
            if (after[f] && !newExp.isEmpty() && !(before[f] && oldExp.equals(newExp))) {
                t.hincrBy(stats, "exp:" + newExp + ":" + FLAGS[f], 1);
            }
        }
        if (!newExp.isEmpty()) {
            t.sadd(prefix + "experiments:" + dataset, newExp);
        }
        if (updated.hasTraining()) {
            t.srem(prefix + "failed:" + dataset, genomeId);
            if (!newExp.isEmpty()) {
                t.srem(prefix + "failed:" + dataset + ":exp:" + newExp, genomeId);
            }
        }
    }

    private static final String[] FLAGS = {"entries", "trained", "evaluated"};

    private static boolean[] flags(LeaderboardEntry e) {
        if (e == null) {
            return new boolean[3];
        }
        boolean evaluated = false;
        for (EvaluationResult r : e.getEvaluationsList()) {
            evaluated |= r.getStatus() == EvaluationStatus.EVALUATION_STATUS_SUCCEEDED;
        }
        return new boolean[] {true, e.hasTraining(), evaluated};
    }

    // ------------------------------------------------------------------ Pareto layers

    /** The layer changes of one kept sort, computed before MULTI and written inside it. */
    private record ParetoWrite(String zkey, String pointsKey, Map<String, Integer> layers, Map<String, double[]> points) {
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

    /**
     * For every kept metric set whose point of this genome changed: WATCH the sort's keys (so a
     * concurrent writer of the same sort makes one of us retry), read only the layers the update
     * touches, and compute the new layers. Runs after the entry's WATCH, before MULTI.
     */
    private List<ParetoWrite> paretoWrites(Jedis j, String dataset, String genomeId, LeaderboardEntry old, LeaderboardEntry updated) {
        List<ParetoWrite> out = new ArrayList<>();
        String oldExp = old == null ? "" : old.getExperimentId();
        String newExp = updated.getExperimentId();
        for (MetricSet set : paretoSets) {
            double[] before = old == null ? null : set.orient(old.getMetricsMap());
            double[] after = set.orient(updated.getMetricsMap());
            boolean moved = !Arrays.equals(before, after);
            if (!moved && oldExp.equals(newExp)) {
                continue;
            }
            String pointsKey = paretoPointsKey(dataset, set);
            String global = paretoKey(dataset, set, null);
            String oldExpKey = oldExp.isEmpty() ? null : paretoKey(dataset, set, oldExp);
            String newExpKey = newExp.isEmpty() ? null : paretoKey(dataset, set, newExp);
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
                out.add(new ParetoWrite(global, pointsKey, relayer(j, global, pointsKey, genomeId, before, after), points));
            }
            if (oldExpKey != null && oldExpKey.equals(newExpKey)) {
                if (moved) {
                    out.add(new ParetoWrite(oldExpKey, null, relayer(j, oldExpKey, pointsKey, genomeId, before, after), Map.of()));
                }
            } else {
                if (oldExpKey != null && before != null) {
                    out.add(new ParetoWrite(oldExpKey, null, relayer(j, oldExpKey, pointsKey, genomeId, before, null), Map.of()));
                }
                if (newExpKey != null && after != null) {
                    out.add(new ParetoWrite(newExpKey, null, relayer(j, newExpKey, pointsKey, genomeId, null, after), Map.of()));
                }
            }
        }
        return out;
    }

    private Map<String, Integer> relayer(Jedis j, String zkey, String pointsKey, String genomeId, double[] before, double[] after) {
        ParetoLayers layers = new ParetoLayers(new RedisLayers(j, zkey, pointsKey));
        Double at = before == null ? null : j.zscore(zkey, genomeId);
        if (at != null) {
            layers.remove(genomeId, at.intValue());
        }
        if (after != null) {
            layers.insert(genomeId, after);
        }
        return layers.changes();
    }

    /** One sort's layers as stored: members of the sorted set scored by layer, their points in the hash. */
    private record RedisLayers(Jedis j, String zkey, String pointsKey) implements ParetoLayers.Source {
        @Override
        public int layerCount() {
            List<Tuple> last = j.zrevrangeWithScores(zkey, 0, 0);
            return last.isEmpty() ? 0 : (int) last.get(0).getScore() + 1;
        }

        @Override
        public Map<String, double[]> layer(int i) {
            List<String> ids = j.zrangeByScore(zkey, i, i);
            Map<String, double[]> out = new LinkedHashMap<>();
            if (ids.isEmpty()) {
                return out;
            }
            List<String> raw = j.hmget(pointsKey, ids.toArray(String[]::new));
            for (int k = 0; k < ids.size(); k++) {
                if (raw.get(k) != null) {
                    out.put(ids.get(k), decode(raw.get(k)));
                }
            }
            return out;
        }
    }

    /** The kept sort of a configured set, or one computed on request for any other set. */
    public ParetoResponse pareto(String dataset, MetricSet set, String experimentId, int maxLayers, int limit) {
        String exp = experimentId == null || experimentId.isEmpty() ? null : experimentId;
        boolean kept = paretoSets.contains(set);
        try (Jedis j = pool.getResource()) {
            Map<String, Integer> layerOf = new LinkedHashMap<>();
            long sorted;
            int layerCount;
            if (kept) {
                String zkey = paretoKey(dataset, set, exp);
                sorted = j.zcard(zkey);
                List<Tuple> last = j.zrevrangeWithScores(zkey, 0, 0);
                layerCount = last.isEmpty() ? 0 : (int) last.get(0).getScore() + 1;
                for (Tuple t : j.zrangeByScoreWithScores(zkey, 0, maxLayers - 1, 0, limit)) {
                    layerOf.put(t.getElement(), (int) t.getScore());
                }
            } else {
                Map<String, double[]> points = adHocPoints(j, dataset, set, exp);
                Map<String, Integer> all = ParetoLayers.sort(points);
                sorted = points.size();
                layerCount = all.values().stream().mapToInt(i -> i + 1).max().orElse(0);
                all.entrySet().stream().filter(e -> e.getValue() < maxLayers)
                        .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                        .limit(limit).forEach(e -> layerOf.put(e.getKey(), e.getValue()));
            }
            List<ParetoPoint> points = new ArrayList<>();
            List<LeaderboardEntry> entries = getAll(j, dataset, new ArrayList<>(layerOf.keySet()));
            String first = set.objectives().get(0).metric();
            double sign = set.objectives().get(0).maximize() ? -1 : 1;
            for (LeaderboardEntry e : entries) {
                points.add(ParetoPoint.newBuilder().setLayer(layerOf.get(e.getGenomeId())).setEntry(e).build());
            }
            points.sort(Comparator.comparingInt(ParetoPoint::getLayer)
                    .thenComparingDouble(p -> sign * p.getEntry().getMetricsOrDefault(first, 0))
                    .thenComparing(p -> p.getEntry().getGenomeId()));
            return ParetoResponse.newBuilder().addAllPoints(points).setSorted(sorted).setLayerCount(layerCount)
                    .setMetricSet(set.key()).setMaintained(kept).build();
        }
    }

    private Map<String, double[]> adHocPoints(Jedis j, String dataset, MetricSet set, String exp) {
        List<Map<String, Double>> columns = new ArrayList<>();
        for (MetricSet.Objective o : set.objectives()) {
            String zkey = rankKey(dataset, o.metric(), exp);
            long n = j.zcard(zkey);
            if (n > AD_HOC_PARETO_LIMIT) {
                throw new TooLargeException("metric set " + set.key() + " is not kept up to date (kept: " + paretoSets
                        + ") and " + o.metric() + " has " + n + " entries, over the " + AD_HOC_PARETO_LIMIT
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

    /** A request that would cost too much to answer. */
    public static final class TooLargeException extends RuntimeException {
        public TooLargeException(String message) {
            super(message);
        }
    }

    /**
     * Recomputes a kept sort from scratch (repair after a bulk load or a change of configured sets).
     * O(L n^2) comparisons: for leaderboards of thousands, not millions.
     */
    public void rebuildPareto(String dataset, MetricSet set, String experimentId) {
        String exp = experimentId == null || experimentId.isEmpty() ? null : experimentId;
        String zkey = paretoKey(dataset, set, exp);
        try (Jedis j = pool.getResource()) {
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
                t.hset(paretoPointsKey(dataset, set), id, encode(points.get(id)));
            });
            t.exec();
        }
    }

    private List<LeaderboardEntry> scanEntries(Jedis j, String dataset) {
        List<LeaderboardEntry> out = new ArrayList<>();
        redis.clients.jedis.params.ScanParams params = new redis.clients.jedis.params.ScanParams()
                .match(prefix + "entry:" + dataset + ":*").count(1000);
        String cursor = "0";
        do {
            var page = j.scan(cursor, params);
            for (String k : page.getResult()) {
                byte[] raw = j.get(bytes(k));
                if (raw != null) {
                    out.add(parse(raw));
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

    // ------------------------------------------------------------------ reads

    public LeaderboardEntry get(String dataset, String genomeId) {
        try (Jedis j = pool.getResource()) {
            return entries(j, dataset, List.of(genomeId)).get(0);
        }
    }

    /** The entry behind a key published on the changes channel; null when it is gone. */

    private List<LeaderboardEntry> getAll(Jedis j, String dataset, List<String> ids) {
        List<LeaderboardEntry> out = new ArrayList<>(ids.size());
        for (LeaderboardEntry e : ids.isEmpty() ? List.<LeaderboardEntry>of() : entries(j, dataset, ids)) {
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /** The entries of these ids in order (null where gone), in one MGET. */
    private List<LeaderboardEntry> entries(Jedis j, String dataset, List<String> ids) {
        byte[][] keys = new byte[ids.size()][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = bytes(entryKey(dataset, ids.get(i)));
        }
        List<LeaderboardEntry> out = new ArrayList<>(keys.length);
        for (byte[] raw : j.mget(keys)) {
            out.add(raw == null ? null : parse(raw));
        }
        return out;
    }

    public Set<String> metrics(String dataset) {
        try (Jedis j = pool.getResource()) {
            return new TreeSet<>(j.smembers(prefix + "metrics:" + dataset));
        }
    }

    public Set<String> datasets() {
        try (Jedis j = pool.getResource()) {
            return new TreeSet<>(j.smembers(prefix + "datasets"));
        }
    }

    /** The query behind Top. Filters that the sorted set cannot apply are applied while paging through it. */
    public record Query(String dataset, String metric, int k, String experimentId, List<String> rules,
                        boolean ascending, boolean excludeUnreliable) {}

    public record Page(List<LeaderboardEntry> entries, long total) {}

    public Page top(Query q) {
        String zkey = rankKey(q.dataset(), q.metric(), q.experimentId().isEmpty() ? null : q.experimentId());
        boolean filtered = !q.rules().isEmpty() || q.excludeUnreliable();
        List<LeaderboardEntry> out = new ArrayList<>(q.k());
        try (Jedis j = pool.getResource()) {
            long total = -1;
            int pageSize = filtered ? Math.max(q.k() * 2, 100) : q.k();
            for (long start = 0; out.size() < q.k() && (total < 0 || start < total); start += pageSize) {
                long stop = start + pageSize - 1;
                // one round trip: the ids of the page and the set's size together
                Pipeline p = j.pipelined();
                var cardResp = p.zcard(zkey);
                var idsResp = q.ascending() ? p.zrange(zkey, start, stop) : p.zrevrange(zkey, start, stop);
                p.sync();
                total = cardResp.get();
                List<String> ids = idsResp.get();
                if (ids.isEmpty()) {
                    break;
                }
                List<LeaderboardEntry> page = entries(j, q.dataset(), ids);
                int position = (int) start;
                for (LeaderboardEntry e : page) {
                    position++;
                    if (e == null) {
                        continue;
                    }
                    if (q.excludeUnreliable() && e.getUnreliable()) {
                        continue;
                    }
                    if (!e.getRulesList().containsAll(q.rules())) {
                        continue;
                    }
                    out.add(e.toBuilder().setRank(filtered ? out.size() + 1 : position).build());
                    if (out.size() == q.k()) {
                        break;
                    }
                }
            }
            return new Page(out, Math.max(total, 0));
        }
    }

    /**
     * Top as the gRPC response. Without filters the stored entry bytes are framed into the response as
     * they are, each followed by its rank field, never parsed: parsing and re-serialising a hundred
     * entries with their metric maps cost about a millisecond of CPU per call, the framing a memcpy.
     * Protobuf's unknown-field passthrough carries the framed entries; on the wire they are field 1,
     * exactly as if they had been added as messages, so every client parses them as entries (callers in
     * this JVM see them only after a round trip through bytes).
     */
    public TopResponse topResponse(Query q) {
        if (!q.rules().isEmpty() || q.excludeUnreliable()) {
            Page p = top(q);
            return TopResponse.newBuilder().addAllEntries(p.entries()).setTotal(p.total()).build();
        }
        String zkey = rankKey(q.dataset(), q.metric(), q.experimentId().isEmpty() ? null : q.experimentId());
        try (Jedis j = pool.getResource()) {
            Pipeline p = j.pipelined();
            var cardResp = p.zcard(zkey);
            var idsResp = q.ascending() ? p.zrange(zkey, 0, q.k() - 1) : p.zrevrange(zkey, 0, q.k() - 1);
            p.sync();
            List<String> ids = idsResp.get();
            UnknownFieldSet.Field.Builder entries = UnknownFieldSet.Field.newBuilder();
            if (!ids.isEmpty()) {
                byte[][] keys = new byte[ids.size()][];
                for (int i = 0; i < keys.length; i++) {
                    keys[i] = bytes(entryKey(q.dataset(), ids.get(i)));
                }
                int rank = 0;
                for (byte[] raw : j.mget(keys)) {
                    rank++;
                    if (raw != null) {
                        entries.addLengthDelimited(UnsafeByteOperations.unsafeWrap(withRank(raw, rank)));
                    }
                }
            }
            return TopResponse.newBuilder().setTotal(cardResp.get())
                    .setUnknownFields(UnknownFieldSet.newBuilder().addField(TopResponse.ENTRIES_FIELD_NUMBER, entries.build()).build())
                    .build();
        }
    }

    /** The entry's bytes with its rank field appended: for a scalar field the last value on the wire wins. */
    static byte[] withRank(byte[] raw, int rank) {
        int tag = LeaderboardEntry.RANK_FIELD_NUMBER << 3; // wire type 0, varint
        byte[] out = new byte[raw.length + CodedOutputStream.computeUInt32SizeNoTag(tag) + CodedOutputStream.computeInt32SizeNoTag(rank)];
        System.arraycopy(raw, 0, out, 0, raw.length);
        CodedOutputStream c = CodedOutputStream.newInstance(out, raw.length, out.length - raw.length);
        try {
            c.writeUInt32NoTag(tag);
            c.writeInt32NoTag(rank);
            c.checkNoSpaceLeft();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Progress of every dataset (or one), each with its experiments (or one). */
    public List<DatasetStats> stats(String dataset, String experimentId, String metric) {
        List<DatasetStats> out = new ArrayList<>();
        try (Jedis j = pool.getResource()) {
            Collection<String> datasets = dataset.isEmpty() ? new TreeSet<>(j.smembers(prefix + "datasets")) : List.of(dataset);
            for (String ds : datasets) {
                Map<String, String> counters = j.hgetAll(prefix + "stats:" + ds);
                DatasetStats.Builder b = DatasetStats.newBuilder().setDataset(ds)
                        .setProgress(progress(j, counters, "", prefix + "failed:" + ds, rankKey(ds, metric, null)));
                Collection<String> exps = experimentId.isEmpty() ? new TreeSet<>(j.smembers(prefix + "experiments:" + ds))
                        : List.of(experimentId);
                for (String e : exps) {
                    b.addExperiments(ExperimentStats.newBuilder().setExperimentId(e).setProgress(progress(j, counters,
                            "exp:" + e + ":", prefix + "failed:" + ds + ":exp:" + e, rankKey(ds, metric, e))));
                }
                out.add(b.build());
            }
        }
        return out;
    }

    private static Progress progress(Jedis j, Map<String, String> counters, String field, String failedKey, String rankKey) {
        Progress.Builder p = Progress.newBuilder()
                .setEntries(Long.parseLong(counters.getOrDefault(field + "entries", "0")))
                .setTrained(Long.parseLong(counters.getOrDefault(field + "trained", "0")))
                .setEvaluated(Long.parseLong(counters.getOrDefault(field + "evaluated", "0")))
                .setFailed(j.scard(failedKey));
        List<Tuple> best = j.zrevrangeWithScores(rankKey, 0, 0);
        if (!best.isEmpty()) {
            p.setBestGenomeId(best.get(0).getElement()).setBestValue(best.get(0).getScore());
        }
        return p.build();
    }

    public boolean ping() {
        try (Jedis j = pool.getResource()) {
            return "PONG".equals(j.ping());
        }
    }

    // ------------------------------------------------------------------ change notifications

    /**
     * Calls {@code onChange} with every entry written through any store on this Redis and prefix, in
     * the order the writes were applied, until closed. {@code onConnected} runs on every (re)subscription:
     * notifications published while disconnected are lost, so a listener that caches must drop its cache.
     */
    public ChangeSubscription subscribe(java.util.function.Consumer<LeaderboardEntry> onChange, Runnable onConnected) {
        return new ChangeSubscription(URI.create(redisUrl), prefix + "changes", onChange, onConnected);
    }

    // ------------------------------------------------------------------ bulk load

    /**
     * Writes many new entries in pipelined batches: the same entry, ranking and counter keys as
     * {@link #update}, without its WATCH (so only for genomes not stored yet, e.g. a load test) and
     * without Pareto layers (rebuild them with {@link #rebuildPareto} if wanted) or notifications.
     */
    public void bulkLoad(Collection<LeaderboardEntry> entries) {
        // one ZADD per sorted set and one MSET per batch: the command count, not Redis' work, limited the naive pipeline
        Map<String, Map<String, Double>> zsets = new HashMap<>();
        Map<String, Map<String, Long>> counters = new HashMap<>();
        Set<String> metricNames = new HashSet<>();
        List<byte[]> kv = new ArrayList<>(2 * entries.size());
        for (LeaderboardEntry e : entries) {
            kv.add(bytes(entryKey(e.getDataset(), e.getGenomeId())));
            kv.add(e.toByteArray());
            for (Map.Entry<String, Double> m : e.getMetricsMap().entrySet()) {
                zsets.computeIfAbsent(rankKey(e.getDataset(), m.getKey(), null), k -> new HashMap<>()).put(e.getGenomeId(), m.getValue());
                if (!e.getExperimentId().isEmpty()) {
                    zsets.computeIfAbsent(rankKey(e.getDataset(), m.getKey(), e.getExperimentId()), k -> new HashMap<>())
                            .put(e.getGenomeId(), m.getValue());
                }
                metricNames.add(e.getDataset() + "\n" + m.getKey());
            }
            boolean[] f = flags(e);
            Map<String, Long> c = counters.computeIfAbsent(e.getDataset() + "\n" + e.getExperimentId(), k -> new HashMap<>());
            for (int i = 0; i < FLAGS.length; i++) {
                if (f[i]) {
                    c.merge(FLAGS[i], 1L, Long::sum);
                }
            }
        }
        try (Jedis j = pool.getResource()) {
            Pipeline p = j.pipelined();
            if (!kv.isEmpty()) {
                p.mset(kv.toArray(byte[][]::new));
            }
            zsets.forEach(p::zadd);
            for (String dm : metricNames) {
                String[] parts = dm.split("\n", 2);
                p.sadd(prefix + "metrics:" + parts[0], parts[1]);
                p.sadd(prefix + "datasets", parts[0]);
            }
            counters.forEach((k, c) -> {
                String[] parts = k.split("\n", 2);
                c.forEach((flag, n) -> {
                    p.hincrBy(prefix + "stats:" + parts[0], flag, n);
                    if (!parts[1].isEmpty()) {
                        p.hincrBy(prefix + "stats:" + parts[0], "exp:" + parts[1] + ":" + flag, n);
                        p.sadd(prefix + "experiments:" + parts[0], parts[1]);
                    }
                });
            });
            p.sync();
        }
    }

    /** Deletes every key under this store's prefix (SCAN + UNLINK in batches); returns how many. For tests and load tests. */
    public long deleteAll() {
        long n = 0;
        try (Jedis j = pool.getResource()) {
            redis.clients.jedis.params.ScanParams params = new redis.clients.jedis.params.ScanParams()
                    .match(prefix.replace("*", "\\*").replace("?", "\\?").replace("[", "\\[") + "*").count(10_000);
            String cursor = "0";
            do {
                var page = j.scan(cursor, params);
                if (!page.getResult().isEmpty()) {
                    n += j.unlink(page.getResult().toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!cursor.equals("0"));
        }
        return n;
    }

    // ------------------------------------------------------------------ keys

    String entryKey(String dataset, String genomeId) {
        return prefix + "entry:" + dataset + ":" + genomeId;
    }

    String rankKey(String dataset, String metric, String experiment) {
        return prefix + "rank:" + dataset + ":" + metric + (experiment == null ? "" : ":exp:" + experiment);
    }

    String paretoKey(String dataset, MetricSet set, String experiment) {
        return prefix + "pareto:" + dataset + ":" + set.key() + (experiment == null ? "" : ":exp:" + experiment);
    }

    String paretoPointsKey(String dataset, MetricSet set) {
        return prefix + "pareto-points:" + dataset + ":" + set.key();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static LeaderboardEntry parse(byte[] raw) {
        try {
            return LeaderboardEntry.parseFrom(raw);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt leaderboard entry in Redis: " + e.getMessage(), e);
        }
    }

    private static void backoff(int attempt) {
        try {
            // contention is on one dataset's Pareto keys: spread the retries
            Thread.sleep(ThreadLocalRandom.current().nextInt(1 + Math.min(attempt, 20)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a write", e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "LeaderboardStore[" + redisUrl + ", prefix " + prefix + ", pareto " + paretoSets + "]";
    }
}
