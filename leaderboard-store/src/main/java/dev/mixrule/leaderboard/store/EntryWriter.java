package dev.mixrule.leaderboard.store;

import dev.mixrule.proto.LeaderboardEntry;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

/**
 * Writes entries and keeps the indexes in step: rankings (one sorted set per dataset and metric, and per
 * experiment), metric and dataset names, progress counters, failures, and (through {@link ParetoIndex}) the
 * kept Pareto layers. Writes are optimistic transactions (WATCH/MULTI), safe with several leaderboard
 * replicas; each successful write is announced through {@link ChangeNotifications} inside its transaction.
 */
final class EntryWriter {
    private static final int ATTEMPTS = 200;

    private final Supplier<Jedis> connections;
    private final StoreKeys keys;
    private final ParetoIndex pareto;
    private final ChangeNotifications changes;
    private final ParetoTurns paretoTurns = new ParetoTurns();

    EntryWriter(Supplier<Jedis> connections, StoreKeys keys, ParetoIndex pareto, ChangeNotifications changes) {
        this.connections = connections;
        this.keys = keys;
        this.pareto = pareto;
        this.changes = changes;
    }

    /** Applies a change to one entry; returns the new entry, or null when nothing changed. */
    LeaderboardEntry update(String dataset, String genomeId, UnaryOperator<LeaderboardEntry> change) {
        byte[] rawKey = keys.entryBytes(dataset, genomeId);
        try (Jedis j = connections.get(); ParetoTurns.Turn turn = paretoTurns.turn()) {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                j.watch(rawKey);
                byte[] raw = j.get(rawKey);
                LeaderboardEntry old = raw == null ? null : EntryCodec.parse(raw);
                LeaderboardEntry updated = change.apply(old);
                if (updated == null || updated == old || EntryMerge.sameContent(old, updated)) {
                    j.unwatch();
                    return null;
                }
                List<ParetoIndex.Write> layers;
                turn.take(pareto.touches(old, updated) ? dataset : null);
                try {
                    layers = pareto.writes(j, dataset, genomeId, old, updated);
                } catch (ParetoLayers.InconsistentLayersException e) {
                    // a concurrent writer changed the layers between two of our reads; EXEC would fail anyway
                    j.unwatch();
                    turn.release();
                    backoff(attempt);
                    continue;
                }
                Transaction t = j.multi();
                t.set(rawKey, updated.toByteArray());
                t.set(keys.summaryBytes(dataset, genomeId), EntrySummary.bytes(updated));
                writeIndexes(t, dataset, genomeId, old, updated);
                layers.forEach(w -> w.apply(t));
                changes.publish(t, updated);
                if (t.exec() != null) {
                    return updated;
                }
                turn.release();
                backoff(attempt);
            }
        }
        throw new IllegalStateException("entry " + dataset + "/" + genomeId + " kept changing under " + ATTEMPTS + " write attempts");
    }

    /** A failed training counts in the progress of its experiment; a later success takes it out again. */
    void recordTrainingFailure(String dataset, String experimentId, String genomeId) {
        try (Jedis j = connections.get()) {
            byte[] raw = j.get(keys.entryBytes(dataset, genomeId));
            if (raw != null && EntryCodec.parse(raw).hasTraining()) {
                return; // it trained once already (a late or retried failure): it counts as trained
            }
            Transaction t = j.multi();
            t.sadd(keys.datasets(), dataset);
            t.sadd(keys.failed(dataset, null), genomeId);
            if (!experimentId.isEmpty()) {
                t.sadd(keys.experiments(dataset), experimentId);
                t.sadd(keys.failed(dataset, experimentId), genomeId);
            }
            t.exec();
        }
    }

    /**
     * Rankings, names and progress counters that follow from replacing old by updated. Only what differs is written:
     * the old entry's write put its own names and scores in (a flush takes entries and indexes together).
     */
    private void writeIndexes(Transaction t, String dataset, String genomeId, LeaderboardEntry old, LeaderboardEntry updated) {
        if (old == null) {
            t.sadd(keys.datasets(), dataset);
        }
        String oldExp = old == null ? "" : old.getExperimentId();
        String newExp = updated.getExperimentId();
        Map<String, Double> before = old == null ? Map.of() : old.getMetricsMap();
        Set<String> stale = new HashSet<>(old == null ? Set.of() : old.getMetricsMap().keySet());
        stale.removeAll(updated.getMetricsMap().keySet());
        for (String metric : stale) {
            t.zrem(keys.rank(dataset, metric, null), genomeId);
        }
        if (!oldExp.isEmpty()) {
            for (String metric : old.getMetricsMap().keySet()) {
                if (stale.contains(metric) || !oldExp.equals(newExp)) {
                    t.zrem(keys.rank(dataset, metric, oldExp), genomeId);
                }
            }
        }
        updated.getMetricsMap().forEach((metric, value) -> {
            Double was = before.get(metric);
            if (was == null) {
                t.sadd(keys.metrics(dataset), metric);
            }
            boolean moved = was == null || Double.compare(was, value) != 0;
            if (moved) {
                t.zadd(keys.rank(dataset, metric, null), value, genomeId);
            }
            if (!newExp.isEmpty() && (moved || !oldExp.equals(newExp))) {
                t.zadd(keys.rank(dataset, metric, newExp), value, genomeId);
            }
        });
        writeCounters(t, dataset, old, updated);
        if (!newExp.isEmpty() && !newExp.equals(oldExp)) {
            t.sadd(keys.experiments(dataset), newExp);
        }
        if (updated.hasTraining()) {
            t.srem(keys.failed(dataset, null), genomeId);
            if (!newExp.isEmpty()) {
                t.srem(keys.failed(dataset, newExp), genomeId);
            }
        }
    }

    /** Counters move by what changed between the two versions, so a redelivered result moves nothing. */
    private void writeCounters(Transaction t, String dataset, LeaderboardEntry old, LeaderboardEntry updated) {
        String oldExp = old == null ? "" : old.getExperimentId();
        String newExp = updated.getExperimentId();
        String stats = keys.stats(dataset);
        boolean[] before = EntryCodec.flags(old);
        boolean[] after = EntryCodec.flags(updated);
        for (int f = 0; f < before.length; f++) {
            String counter = EntryCodec.COUNTERS.get(f);
            if (before[f] != after[f]) {
                t.hincrBy(stats, counter, after[f] ? 1 : -1);
            }
            if (before[f] && !oldExp.isEmpty() && !(after[f] && oldExp.equals(newExp))) {
                t.hincrBy(stats, StoreKeys.counterPrefix(oldExp) + counter, -1);
            }
            if (after[f] && !newExp.isEmpty() && !(before[f] && oldExp.equals(newExp))) {
                t.hincrBy(stats, StoreKeys.counterPrefix(newExp) + counter, 1);
            }
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
}
