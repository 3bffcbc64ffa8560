package dev.mixrule.leaderboard.store;

import dev.mixrule.kernel.messaging.Names;
import dev.mixrule.kernel.signing.RecordSignatures;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;

/**
 * Who may publish what, in Redis under the store's {@code registry:} keys (StoreKeys): principals with their
 * Ed25519 public keys (several during a rotation), which principals are trainers, which principal owns each
 * evaluator name (the first one registered for it, never replaced), and which evaluator owns each metric name
 * of a dataset (the first one to publish it). Rebuilds keep the registry; entries are derived from it.
 */
public final class ProvenanceRegistry {
    private static final String PRINCIPALS = "principals";
    private static final String TRAINERS = "trainers";
    private static final String EVALUATORS = "evaluators";

    private final Supplier<Jedis> connections;
    private final StoreKeys keys;

    ProvenanceRegistry(Supplier<Jedis> connections, StoreKeys keys) {
        this.connections = connections;
        this.keys = keys;
    }

    /** Adds a public key to a principal (made if new); a trainer may also publish training results. Idempotent. */
    public void addPrincipal(String name, PublicKey key, boolean trainer) {
        requireName("principal", name);
        String encoded = RecordSignatures.publicBase64(key);
        try (Jedis j = connections.get()) {
            List<String> known = new ArrayList<>(split(j.hget(keys.registry(PRINCIPALS), name)));
            if (!known.contains(encoded)) {
                known.add(encoded);
            }
            j.hset(keys.registry(PRINCIPALS), name, String.join(",", known));
            if (trainer) {
                j.sadd(keys.registry(TRAINERS), name);
            }
        }
    }

    /** Removes one public key of a principal: records it signed are refused from now on, in rebuilds too. */
    public boolean revokeKey(String name, PublicKey key) {
        String encoded = RecordSignatures.publicBase64(key);
        try (Jedis j = connections.get()) {
            List<String> known = new ArrayList<>(split(j.hget(keys.registry(PRINCIPALS), name)));
            boolean removed = known.remove(encoded);
            if (known.isEmpty()) {
                j.hdel(keys.registry(PRINCIPALS), name);
            } else {
                j.hset(keys.registry(PRINCIPALS), name, String.join(",", known));
            }
            return removed;
        }
    }

    /** The principal's public keys; empty when unknown. */
    public List<PublicKey> publicKeys(String name) {
        try (Jedis j = connections.get()) {
            return split(j.hget(keys.registry(PRINCIPALS), name)).stream().map(RecordSignatures::parsePublic).toList();
        }
    }

    /** Principal name to its public keys (base64 X.509, comma-separated), sorted by name. */
    public Map<String, String> principals() {
        try (Jedis j = connections.get()) {
            return new TreeMap<>(j.hgetAll(keys.registry(PRINCIPALS)));
        }
    }

    public boolean isTrainer(String principal) {
        try (Jedis j = connections.get()) {
            return j.sismember(keys.registry(TRAINERS), principal);
        }
    }

    public Set<String> trainers() {
        try (Jedis j = connections.get()) {
            return new TreeSet<>(j.smembers(keys.registry(TRAINERS)));
        }
    }

    /** Registers an evaluator name for a principal unless another registered it first; returns the owner. */
    public String registerEvaluator(String name, String principal) {
        requireName("evaluator", name);
        try (Jedis j = connections.get()) {
            j.hsetnx(keys.registry(EVALUATORS), name, principal);
            return j.hget(keys.registry(EVALUATORS), name);
        }
    }

    public Optional<String> evaluatorOwner(String name) {
        try (Jedis j = connections.get()) {
            return Optional.ofNullable(j.hget(keys.registry(EVALUATORS), name));
        }
    }

    /** Evaluator name to owning principal, sorted by name. */
    public Map<String, String> evaluators() {
        try (Jedis j = connections.get()) {
            return new TreeMap<>(j.hgetAll(keys.registry(EVALUATORS)));
        }
    }

    /** Gives a dataset's metric to an evaluator unless another evaluator owns it; returns the owner. */
    public String claimMetric(String dataset, String metric, String evaluator) {
        String key = keys.registry("metric-owners:" + dataset);
        try (Jedis j = connections.get()) {
            j.hsetnx(key, metric, evaluator);
            return j.hget(key, metric);
        }
    }

    /** The owners of metrics of a dataset (metric to evaluator), for those that have one. */
    public Map<String, String> metricOwners(String dataset) {
        try (Jedis j = connections.get()) {
            return new TreeMap<>(j.hgetAll(keys.registry("metric-owners:" + dataset)));
        }
    }

    private static List<String> split(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : List.of(joined.split(","));
    }

    static void requireName(String what, String name) {
        String problem = Names.nameProblem(what + " name", name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }
}
