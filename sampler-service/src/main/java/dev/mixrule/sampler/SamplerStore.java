package dev.mixrule.sampler;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mixrule.proto.Candidate;
import dev.mixrule.proto.ExperimentSpec;
import dev.mixrule.proto.ExperimentState;
import dev.mixrule.proto.Genome;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Transaction;

/**
 * The sampler's durable state in Redis, written through on every change so a restarted sampler rebuilds
 * every experiment exactly: its spec and state, every proposal (written before it is published, so the
 * budget can never be overrun), which proposals the broker has not acknowledged yet (re-published after a
 * crash), partial metrics, outcomes in the order they were told to the strategy (replayed to rebuild it),
 * learning curves (replayed into the early-stopping rule), the genomes told a known score instead of trained
 * (reused, replayed in their place among the outcomes), and the known scores per dataset and recipe (dedupe
 * across experiments: a score is reused only for the same training recipe).
 *
 * <p>Keys under {@code <prefix>sampler:}: {@code experiments} (zset id by creation time),
 * {@code exp:<id>} (hash: spec, state, failure, created, reused), {@code exp:<id>:order} (list of genome ids),
 * {@code exp:<id>:candidates} (hash id -> Candidate), {@code exp:<id>:unacked} (set),
 * {@code exp:<id>:metrics}, {@code exp:<id>:outcomes} (hashes id -> {@link dev.mixrule.proto.internal.SamplerGenomeState},
 * see {@link GenomeStateCodec}, which also reads the older text), {@code exp:<id>:told} (list),
 * {@code exp:<id>:curves} (hash id -> comma-separated values), {@code exp:<id>:reused} (hash id -> Genome),
 * {@code known:<dataset>:<recipe>} (hash id -> SamplerGenomeState of metrics; recipe = {@link dev.mixrule.kernel.recipe.Recipe#key}).
 */
public final class SamplerStore implements AutoCloseable {
    private final JedisPool pool;
    private final String p;

    public SamplerStore(String redisUrl, String prefix) {
        this.pool = new JedisPool(URI.create(redisUrl));
        this.p = prefix + "sampler:";
    }

    /** What finished a candidate, as told to the strategy. */
    public enum Kind { OK, FAILED, EARLY_STOPPED, REUSED }

    public record Outcome(Kind kind, Map<String, Double> metrics, String reason) {}

    /** Everything stored of one experiment. */
    public record Saved(ExperimentSpec spec, ExperimentState state, String failure, long createdAt,
                        Map<String, Genome> reused, List<Candidate> proposals, Set<String> unacked, Map<String, Map<String, Double>> metrics,
                        LinkedHashMap<String, Outcome> told, Map<String, List<Double>> curves) {}

    private String exp(String id) {
        return p + "exp:" + id;
    }

    public boolean exists(String id) {
        try (Jedis j = pool.getResource()) {
            return j.exists(exp(id));
        }
    }

    public void create(ExperimentSpec spec, long createdAt) {
        String id = spec.getExperimentId();
        try (Jedis j = pool.getResource()) {
            Transaction t = j.multi();
            t.hset(exp(id), Map.of("spec", b64(spec.toByteArray()), "state", ExperimentState.EXPERIMENT_STATE_RUNNING.name(),
                    "failure", "", "created", Long.toString(createdAt), "reused", "0"));
            t.zadd(p + "experiments", createdAt, id);
            t.exec();
        }
    }

    public void state(String id, ExperimentState state, String failure) {
        try (Jedis j = pool.getResource()) {
            j.hset(exp(id), Map.of("state", state.name(), "failure", failure));
        }
    }

    /** A genome told its known score instead of being trained: an outcome in telling order, counted against the budget. */
    public void reused(String id, Genome genome, String genomeId, Map<String, Double> metrics, int reusedSoFar) {
        try (Jedis j = pool.getResource()) {
            Transaction t = j.multi();
            t.hset(exp(id) + ":reused", genomeId, b64(genome.toByteArray()));
            t.hset(exp(id) + ":outcomes", genomeId, GenomeStateCodec.outcome(new Outcome(Kind.REUSED, metrics, "")));
            t.rpush(exp(id) + ":told", genomeId);
            t.hset(exp(id), "reused", Integer.toString(reusedSoFar));
            t.exec();
        }
    }

    /** Records proposals before they are published: the budget counts them from here on. */
    public void propose(String id, Collection<Candidate> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try (Jedis j = pool.getResource()) {
            Transaction t = j.multi();
            for (Candidate c : batch) {
                t.hset(exp(id) + ":candidates", c.getGenomeId(), b64(c.toByteArray()));
                t.rpush(exp(id) + ":order", c.getGenomeId());
                t.sadd(exp(id) + ":unacked", c.getGenomeId());
            }
            t.exec();
        }
    }

    /** The broker has these proposals: a restart need not publish them again. */
    public void acked(String id, Collection<String> genomeIds) {
        if (genomeIds.isEmpty()) {
            return;
        }
        try (Jedis j = pool.getResource()) {
            j.srem(exp(id) + ":unacked", genomeIds.toArray(String[]::new));
        }
    }

    public void metrics(String id, String genomeId, Map<String, Double> metrics) {
        try (Jedis j = pool.getResource()) {
            j.hset(exp(id) + ":metrics", genomeId, GenomeStateCodec.metrics(metrics));
        }
    }

    /** The candidate's outcome, in telling order; a success also becomes a known score for the dataset and recipe. */
    public void told(String id, String dataset, String recipe, String genomeId, Outcome o) {
        try (Jedis j = pool.getResource()) {
            Transaction t = j.multi();
            t.hset(exp(id) + ":outcomes", genomeId, GenomeStateCodec.outcome(o));
            t.rpush(exp(id) + ":told", genomeId);
            if (o.kind() == Kind.OK) {
                t.hset(known(dataset, recipe), genomeId, GenomeStateCodec.metrics(o.metrics()));
            }
            t.exec();
        }
    }

    public void curve(String id, String genomeId, List<Double> values) {
        StringBuilder s = new StringBuilder();
        for (Double v : values) {
            s.append(s.length() == 0 ? "" : ",").append(v);
        }
        try (Jedis j = pool.getResource()) {
            j.hset(exp(id) + ":curves", genomeId, s.toString());
        }
    }

    private String known(String dataset, String recipe) {
        return p + "known:" + dataset + ":" + recipe;
    }

    /** Every score known on this dataset with this training recipe, from any experiment: genome id -> metrics. */
    public Map<String, Map<String, Double>> knownScores(String dataset, String recipe) {
        try (Jedis j = pool.getResource()) {
            Map<String, Map<String, Double>> out = new HashMap<>();
            j.hgetAll(known(dataset, recipe)).forEach((id, v) -> out.put(id, GenomeStateCodec.readMetrics(v)));
            return out;
        }
    }

    /** Experiment ids, oldest first. */
    public List<String> ids() {
        try (Jedis j = pool.getResource()) {
            return new ArrayList<>(j.zrange(p + "experiments", 0, -1));
        }
    }

    public Saved load(String id) {
        try (Jedis j = pool.getResource()) {
            Pipeline pl = j.pipelined();
            var head = pl.hgetAll(exp(id));
            var order = pl.lrange(exp(id) + ":order", 0, -1);
            var candidates = pl.hgetAll(exp(id) + ":candidates");
            var unacked = pl.smembers(exp(id) + ":unacked");
            var metrics = pl.hgetAll(exp(id) + ":metrics");
            var outcomes = pl.hgetAll(exp(id) + ":outcomes");
            var told = pl.lrange(exp(id) + ":told", 0, -1);
            var curves = pl.hgetAll(exp(id) + ":curves");
            var reused = pl.hgetAll(exp(id) + ":reused");
            pl.sync();
            Map<String, String> h = head.get();
            ExperimentSpec spec = ExperimentSpec.parseFrom(Base64.getDecoder().decode(h.get("spec")));
            List<Candidate> proposals = new ArrayList<>();
            for (String gid : order.get()) {
                proposals.add(Candidate.parseFrom(Base64.getDecoder().decode(candidates.get().get(gid))));
            }
            Map<String, Map<String, Double>> m = new HashMap<>();
            metrics.get().forEach((gid, v) -> m.put(gid, GenomeStateCodec.readMetrics(v)));
            LinkedHashMap<String, Outcome> t = new LinkedHashMap<>();
            for (String gid : told.get()) {
                t.putIfAbsent(gid, GenomeStateCodec.readOutcome(outcomes.get().get(gid)));
            }
            Map<String, List<Double>> c = new HashMap<>();
            curves.get().forEach((gid, v) -> {
                List<Double> values = new ArrayList<>();
                for (String x : v.split(",")) {
                    if (!x.isEmpty()) {
                        values.add(Double.parseDouble(x));
                    }
                }
                c.put(gid, values);
            });
            Map<String, Genome> r = new HashMap<>();
            for (var e : reused.get().entrySet()) {
                r.put(e.getKey(), Genome.parseFrom(Base64.getDecoder().decode(e.getValue())));
            }
            return new Saved(spec, ExperimentState.valueOf(h.get("state")), h.getOrDefault("failure", ""),
                    Long.parseLong(h.get("created")), r, proposals, unacked.get(), m, t, c);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("experiment '" + id + "' in Redis is corrupt: " + e.getMessage(), e);
        }
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    @Override
    public void close() {
        pool.close();
    }
}
