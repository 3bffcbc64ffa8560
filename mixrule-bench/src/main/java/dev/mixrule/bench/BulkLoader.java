package dev.mixrule.bench;

import dev.mixrule.leaderboard.store.EntryCodec;
import dev.mixrule.leaderboard.store.EntrySummary;
import dev.mixrule.leaderboard.store.LeaderboardStore;
import dev.mixrule.leaderboard.store.StoreKeys;
import dev.mixrule.proto.LeaderboardEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Writes many new entries in pipelined batches: the same entry, ranking and counter keys as
 * {@link LeaderboardStore#update}, without its WATCH (so only for genomes not stored yet, e.g. a load test)
 * and without Pareto layers (rebuild them with {@link LeaderboardStore#rebuildPareto} if wanted) or
 * notifications. Uses only the public API of the store ({@link StoreKeys}, {@link EntryCodec}, connections).
 */
public final class BulkLoader {
    private final Supplier<Jedis> connections;
    private final StoreKeys keys;

    public BulkLoader(Supplier<Jedis> connections, StoreKeys keys) {
        this.connections = connections;
        this.keys = keys;
    }

    public BulkLoader(LeaderboardStore store) {
        this(store::connection, store.keys());
    }

    /** What one batch writes, gathered first: one ZADD per sorted set and one MSET per batch. */
    private final class Batch {
        final Map<String, Map<String, Double>> zsets = new HashMap<>();
        final Map<String, Map<String, Long>> counters = new HashMap<>(); // dataset \n experiment -> counter -> n
        final Set<List<String>> metricNames = new HashSet<>(); // [dataset, metric]
        final List<byte[]> kv = new ArrayList<>();

        void add(LeaderboardEntry e) {
            kv.add(keys.entryBytes(e.getDataset(), e.getGenomeId()));
            kv.add(e.toByteArray());
            kv.add(keys.summaryBytes(e.getDataset(), e.getGenomeId()));
            kv.add(EntrySummary.of(e).toByteArray());
            String exp = StoreKeys.experiment(e.getExperimentId());
            e.getMetricsMap().forEach((metric, value) -> {
                zsets.computeIfAbsent(keys.rank(e.getDataset(), metric, null), k -> new HashMap<>()).put(e.getGenomeId(), value);
                if (exp != null) {
                    zsets.computeIfAbsent(keys.rank(e.getDataset(), metric, exp), k -> new HashMap<>()).put(e.getGenomeId(), value);
                }
                metricNames.add(List.of(e.getDataset(), metric));
            });
            boolean[] f = EntryCodec.flags(e);
            Map<String, Long> c = counters.computeIfAbsent(e.getDataset() + "\n" + e.getExperimentId(), k -> new HashMap<>());
            for (int i = 0; i < f.length; i++) {
                if (f[i]) {
                    c.merge(EntryCodec.COUNTERS.get(i), 1L, Long::sum);
                }
            }
        }

        void write(Pipeline p) {
            if (!kv.isEmpty()) {
                p.mset(kv.toArray(byte[][]::new));
            }
            zsets.forEach(p::zadd);
            for (List<String> dm : metricNames) {
                p.sadd(keys.metrics(dm.get(0)), dm.get(1));
                p.sadd(keys.datasets(), dm.get(0));
            }
            counters.forEach((k, c) -> {
                String[] parts = k.split("\n", 2);
                c.forEach((counter, n) -> {
                    p.hincrBy(keys.stats(parts[0]), counter, n);
                    if (!parts[1].isEmpty()) {
                        p.hincrBy(keys.stats(parts[0]), StoreKeys.counterPrefix(parts[1]) + counter, n);
                        p.sadd(keys.experiments(parts[0]), parts[1]);
                    }
                });
            });
        }
    }

    /** Writes the entries in one pipeline. */
    public void load(Collection<LeaderboardEntry> entries) {
        Batch batch = new Batch();
        entries.forEach(batch::add);
        try (Jedis j = connections.get()) {
            Pipeline p = j.pipelined();
            batch.write(p);
            p.sync();
        }
    }
}
