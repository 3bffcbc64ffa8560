package dev.mixrule.leaderboard;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mixrule.proto.LeaderboardEntry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Transaction;

/**
 * The leaderboard in Redis. One entry per genome per dataset, stored as protobuf bytes; one sorted
 * set per dataset and metric (and per experiment) kept in step on every write, so ranking is a
 * range read, never a scan. Writes are optimistic transactions (WATCH/MULTI), safe with several
 * leaderboard replicas.
 *
 * <p>Keys, all under the configured prefix: {@code entry:<dataset>:<genome_id>},
 * {@code rank:<dataset>:<metric>}, {@code rank:<dataset>:<metric>:exp:<experiment>},
 * {@code metrics:<dataset>} (set of metric names), {@code datasets}.
 */
public final class LeaderboardStore implements AutoCloseable {
    private final JedisPool pool;
    private final String prefix;

    public LeaderboardStore(String redisUrl, String prefix) {
        this.pool = new JedisPool(URI.create(redisUrl));
        this.prefix = prefix;
    }

    /** Applies a change to one entry; returns the new entry, or null when nothing changed. */
    public LeaderboardEntry update(String dataset, String genomeId, UnaryOperator<LeaderboardEntry> change) {
        byte[] key = bytes(entryKey(dataset, genomeId));
        try (Jedis j = pool.getResource()) {
            for (int attempt = 0; attempt < 50; attempt++) {
                j.watch(key);
                byte[] raw = j.get(key);
                LeaderboardEntry old = raw == null ? null : parse(raw);
                LeaderboardEntry updated = change.apply(old);
                if (updated == null || updated == old || EntryMerge.sameContent(old, updated)) {
                    j.unwatch();
                    return null;
                }
                Transaction t = j.multi();
                t.set(key, updated.toByteArray());
                t.sadd(prefix + "datasets", dataset);
                Set<String> stale = new HashSet<>(old == null ? Set.of() : old.getMetricsMap().keySet());
                stale.removeAll(updated.getMetricsMap().keySet());
                for (String metric : stale) {
                    t.zrem(rankKey(dataset, metric, null), genomeId);
                    if (!old.getExperimentId().isEmpty()) {
                        t.zrem(rankKey(dataset, metric, old.getExperimentId()), genomeId);
                    }
                }
                updated.getMetricsMap().forEach((metric, value) -> {
                    t.sadd(prefix + "metrics:" + dataset, metric);
                    t.zadd(rankKey(dataset, metric, null), value, genomeId);
                    if (!updated.getExperimentId().isEmpty()) {
                        t.zadd(rankKey(dataset, metric, updated.getExperimentId()), value, genomeId);
                    }
                });
                if (t.exec() != null) {
                    return updated;
                }
            }
        }
        throw new IllegalStateException("entry " + dataset + "/" + genomeId + " kept changing under 50 write attempts");
    }

    public LeaderboardEntry get(String dataset, String genomeId) {
        try (Jedis j = pool.getResource()) {
            byte[] raw = j.get(bytes(entryKey(dataset, genomeId)));
            return raw == null ? null : parse(raw);
        }
    }

    public Set<String> metrics(String dataset) {
        try (Jedis j = pool.getResource()) {
            return new TreeSet<>(j.smembers(prefix + "metrics:" + dataset));
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
            long total = j.zcard(zkey);
            int pageSize = filtered ? Math.max(q.k() * 2, 100) : q.k();
            for (long start = 0; out.size() < q.k() && start < total; start += pageSize) {
                long stop = start + pageSize - 1;
                List<String> ids = q.ascending() ? j.zrange(zkey, start, stop) : j.zrevrange(zkey, start, stop);
                if (ids.isEmpty()) {
                    break;
                }
                byte[][] keys = ids.stream().map(id -> bytes(entryKey(q.dataset(), id))).toArray(byte[][]::new);
                List<byte[]> raws = j.mget(keys);
                int position = (int) start;
                for (byte[] raw : raws) {
                    position++;
                    if (raw == null) {
                        continue;
                    }
                    LeaderboardEntry e = parse(raw);
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
            return new Page(out, total);
        }
    }

    public boolean ping() {
        try (Jedis j = pool.getResource()) {
            return "PONG".equals(j.ping());
        }
    }

    private String entryKey(String dataset, String genomeId) {
        return prefix + "entry:" + dataset + ":" + genomeId;
    }

    private String rankKey(String dataset, String metric, String experiment) {
        return prefix + "rank:" + dataset + ":" + metric + (experiment == null ? "" : ":exp:" + experiment);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static LeaderboardEntry parse(byte[] raw) {
        try {
            return LeaderboardEntry.parseFrom(raw);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt leaderboard entry in Redis: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
