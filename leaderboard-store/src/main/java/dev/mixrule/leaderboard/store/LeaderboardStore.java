package dev.mixrule.leaderboard.store;

import dev.mixrule.proto.DatasetStats;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.ParetoResponse;
import dev.mixrule.proto.TopResponse;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.params.ScanParams;

/**
 * The leaderboard in Redis: one entry per genome per dataset, stored as protobuf bytes, with rankings,
 * Pareto layers and progress counters kept in step on every write, so ranking is a range read, never a scan.
 * A facade over one connection pool: the key layout is {@link StoreKeys}, writes and indexes
 * {@link EntryWriter} and {@link ParetoIndex}, reads {@link LeaderboardReader} and {@link ParetoReader},
 * notifications {@link ChangeNotifications}; bulk loading for benchmarks is mixrule-bench's BulkLoader.
 */
public final class LeaderboardStore implements AutoCloseable {
    /** Sets that are not kept up to date are sorted on request up to this many entries. */
    public static final int AD_HOC_PARETO_LIMIT = 5000;

    private final JedisPool pool;
    private final String redisUrl;
    private final StoreKeys keys;
    private final ParetoIndex paretoIndex;
    private final EntryWriter writer;
    private final LeaderboardReader reader;
    private final ParetoReader paretoReader;
    private final ChangeNotifications changes;
    private final ProvenanceRegistry registry;

    public LeaderboardStore(String redisUrl, String prefix) {
        this(redisUrl, prefix, List.of(MetricSet.DEFAULT));
    }

    public LeaderboardStore(String redisUrl, String prefix, List<MetricSet> paretoSets) {
        JedisPoolConfig config = new JedisPoolConfig();
        config.setMaxTotal(64); // one connection per concurrent gRPC call; the default 8 queued them
        config.setMaxIdle(64);
        this.pool = new JedisPool(config, URI.create(redisUrl));
        this.redisUrl = redisUrl;
        this.keys = new StoreKeys(prefix);
        this.paretoIndex = new ParetoIndex(keys, paretoSets);
        this.changes = new ChangeNotifications(URI.create(redisUrl), keys);
        this.writer = new EntryWriter(pool::getResource, keys, paretoIndex, changes);
        this.reader = new LeaderboardReader(pool::getResource, keys);
        this.paretoReader = new ParetoReader(pool::getResource, keys, paretoSets, reader);
        this.registry = new ProvenanceRegistry(pool::getResource, keys);
    }

    public String prefix() {
        return keys.prefix();
    }

    public StoreKeys keys() {
        return keys;
    }

    /** A connection from the store's pool; close it when done. */
    public Jedis connection() {
        return pool.getResource();
    }

    public List<MetricSet> paretoSets() {
        return paretoIndex.sets();
    }

    /** Who may publish what: principals and their keys, trainers, evaluator and metric owners. */
    public ProvenanceRegistry registry() {
        return registry;
    }

    /** The ingestion rules over this store, evaluations of untrained genomes waiting at most ttl, at most cap genomes. */
    public ResultAdmission admission(Duration pendingTtl, int pendingCap) {
        return new ResultAdmission(this, new PendingEvaluations(pool::getResource, keys, pendingTtl.toMillis(), pendingCap));
    }

    /** Applies a change to one entry; returns the new entry, or null when nothing changed. */
    public LeaderboardEntry update(String dataset, String genomeId, UnaryOperator<LeaderboardEntry> change) {
        return writer.update(dataset, genomeId, change);
    }

    /** A failed training counts in the progress of its experiment; a later success takes it out again. */
    public void recordTrainingFailure(String dataset, String experimentId, String genomeId) {
        writer.recordTrainingFailure(dataset, experimentId, genomeId);
    }

    /** The kept sort of a configured set, or one computed on request for any other set. */
    public ParetoResponse pareto(String dataset, MetricSet set, String experimentId, int maxLayers, int limit) {
        return paretoReader.pareto(dataset, set, experimentId, maxLayers, limit);
    }

    /** Recomputes a kept sort from scratch (repair after a bulk load or a change of configured sets). */
    public void rebuildPareto(String dataset, MetricSet set, String experimentId) {
        try (Jedis j = pool.getResource()) {
            paretoIndex.rebuild(j, dataset, set, experimentId);
        }
    }

    public LeaderboardEntry get(String dataset, String genomeId) {
        return reader.get(dataset, genomeId);
    }

    /** Entries of many genomes of a dataset (in order, those that exist) and which of the others failed to train. */
    public record Batch(List<LeaderboardEntry> entries, List<String> failedGenomeIds) {}

    public Batch entries(String dataset, List<String> genomeIds) {
        return reader.batch(dataset, genomeIds);
    }

    public Set<String> metrics(String dataset) {
        return reader.metrics(dataset);
    }

    public Set<String> datasets() {
        return reader.datasets();
    }

    /**
     * The query behind Top. Filters that the sorted set cannot apply are applied while paging through it.
     * {@code summary}: the entries' summary view ({@link EntrySummary}) instead of the full entries.
     */
    public record Query(String dataset, String metric, int k, String experimentId, List<String> rules,
                        boolean ascending, boolean excludeUnreliable, boolean summary) {
        /** Full entries. */
        public Query(String dataset, String metric, int k, String experimentId, List<String> rules, boolean ascending,
                     boolean excludeUnreliable) {
            this(dataset, metric, k, experimentId, rules, ascending, excludeUnreliable, false);
        }
    }

    public record Page(List<LeaderboardEntry> entries, long total) {}

    /** A request that would cost too much to answer. */
    public static final class TooLargeException extends RuntimeException {
        public TooLargeException(String message) {
            super(message);
        }
    }

    public Page top(Query q) {
        return reader.top(q);
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
        return reader.topResponse(q);
    }

    /** Progress of every dataset (or one), each with its experiments (or one). */
    public List<DatasetStats> stats(String dataset, String experimentId, String metric) {
        return reader.stats(dataset, experimentId, metric);
    }

    public boolean ping() {
        try (Jedis j = pool.getResource()) {
            return "PONG".equals(j.ping());
        }
    }

    /**
     * Calls {@code onChange} with every entry written through any store on this Redis and prefix, in
     * the order the writes were applied, until closed. {@code onConnected} runs on every (re)subscription:
     * notifications published while disconnected are lost, so a listener that caches must drop its cache.
     */
    public ChangeSubscription subscribe(Consumer<LeaderboardEntry> onChange, Runnable onConnected) {
        return changes.subscribe(onChange, onConnected);
    }

    /** Deletes every key under this store's prefix (SCAN + UNLINK in batches); returns how many. For tests and load tests. */
    public long deleteAll() {
        return delete(false);
    }

    /** Deletes what the results topics rebuild (entries, indexes, pending), keeping the registry; returns how many. */
    public long deleteLeaderboard() {
        return delete(true);
    }

    private long delete(boolean keepRegistry) {
        long n = 0;
        try (Jedis j = pool.getResource()) {
            ScanParams params = new ScanParams().match(keys.everything()).count(10_000);
            String cursor = "0";
            do {
                var page = j.scan(cursor, params);
                String[] doomed = page.getResult().stream().filter(k -> !keepRegistry || !keys.isRegistry(k)).toArray(String[]::new);
                if (doomed.length > 0) {
                    n += j.unlink(doomed);
                }
                cursor = page.getCursor();
            } while (!cursor.equals("0"));
        }
        return n;
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "LeaderboardStore[" + redisUrl + ", prefix " + keys.prefix() + ", pareto " + paretoSets() + "]";
    }
}
