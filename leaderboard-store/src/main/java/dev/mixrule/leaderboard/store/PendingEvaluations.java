package dev.mixrule.leaderboard.store;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mixrule.proto.EvaluationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;

/**
 * Evaluations of genomes that have no trained entry yet, waiting in Redis for the training result (at most
 * {@code ttlMs}, at most {@code cap} genomes at once). A genome's evaluations expire together, ttl after the
 * latest one arrived; an expired one is gone from Redis but not from its topic ({@code leaderboard rebuild}
 * replays it). When the area is full, a new genome's evaluation is refused (the caller dead-letters it with the
 * reason): the oldest waiting results are not pushed out by a flood of evaluations for genomes nobody trained.
 */
public final class PendingEvaluations {
    private final Supplier<Jedis> connections;
    private final StoreKeys keys;
    private final long ttlMs;
    private final int cap;

    public PendingEvaluations(Supplier<Jedis> connections, StoreKeys keys, long ttlMs, int cap) {
        this.connections = connections;
        this.keys = keys;
        this.ttlMs = ttlMs;
        this.cap = cap;
    }

    public int cap() {
        return cap;
    }

    /** Keeps the evaluation until its genome's training result arrives; false when the area is full. */
    public boolean stash(EvaluationResult e, long now) {
        String member = e.getDataset() + "/" + e.getGenomeId();
        byte[] key = StoreKeys.bytes(keys.pending(e.getDataset(), e.getGenomeId()));
        byte[] field = StoreKeys.bytes(e.getEvaluator().getName() + "@" + e.getEvaluator().getVersion());
        try (Jedis j = connections.get()) {
            j.zremrangeByScore(keys.pendingIndex(), Double.NEGATIVE_INFINITY, now);
            if (j.zscore(keys.pendingIndex(), member) == null && j.zcard(keys.pendingIndex()) >= cap) {
                return false;
            }
            Transaction t = j.multi();
            t.hset(key, field, e.toByteArray());
            t.pexpire(key, ttlMs);
            t.zadd(keys.pendingIndex(), now + ttlMs, member);
            t.exec();
            return true;
        }
    }

    /** Removes and returns the genome's waiting evaluations (each once, even with concurrent callers). */
    public List<EvaluationResult> take(String dataset, String genomeId) {
        byte[] key = StoreKeys.bytes(keys.pending(dataset, genomeId));
        Response<Map<byte[], byte[]>> waiting;
        try (Jedis j = connections.get()) {
            Transaction t = j.multi();
            waiting = t.hgetAll(key);
            t.del(key);
            t.zrem(keys.pendingIndex(), dataset + "/" + genomeId);
            t.exec();
        }
        List<EvaluationResult> out = new ArrayList<>();
        for (byte[] raw : waiting.get().values()) {
            try {
                out.add(EvaluationResult.parseFrom(raw));
            } catch (InvalidProtocolBufferException ex) {
                throw new IllegalStateException("unreadable pending evaluation of " + dataset + "/" + genomeId, ex);
            }
        }
        return out;
    }

    /** How many genomes have evaluations waiting (expired ones not counted). */
    public long size(long now) {
        try (Jedis j = connections.get()) {
            return j.zcount(keys.pendingIndex(), now, Double.POSITIVE_INFINITY);
        }
    }
}
