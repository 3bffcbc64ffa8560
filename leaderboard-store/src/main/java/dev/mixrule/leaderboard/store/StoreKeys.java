package dev.mixrule.leaderboard.store;

import java.nio.charset.StandardCharsets;

/**
 * The one place that knows the leaderboard's Redis key names (docs/leaderboard.md has the full layout), all
 * under the configured prefix: {@code entry:<dataset>:<genome_id>}, {@code rank:<dataset>:<metric>[:exp:<experiment>]},
 * {@code metrics:<dataset>}, {@code datasets}, {@code pareto:<dataset>:<metric_set>[:exp:<experiment>]} (genome id
 * scored by layer), {@code pareto-points:<dataset>:<metric_set>} (genome id to oriented point), {@code stats:<dataset>}
 * (counters, per experiment as {@code exp:<experiment>:<counter>}), {@code experiments:<dataset>},
 * {@code failed:<dataset>[:exp:<experiment>]}; pub/sub channel {@code changes}. An experiment of null means
 * "all experiments".
 * Provenance: {@code pending:<dataset>:<genome_id>} (evaluations waiting for their training result, field
 * {@code <evaluator>@<version>}) and {@code pending-index} (those keys' "dataset/genome" scored by expiry); the
 * registry, which {@link LeaderboardStore#deleteLeaderboard()} keeps, under {@code registry:}: {@code principals}
 * (principal to its public keys), {@code trainers} (principals that may publish training results),
 * {@code evaluators} (evaluator name to owning principal), {@code metric-owners:<dataset>} (metric to evaluator).
 */
public final class StoreKeys {
    private static final String REGISTRY = "registry:";
    private final String prefix;

    public StoreKeys(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    /** null for an absent or empty experiment id (the keys over all experiments). */
    public static String experiment(String experimentId) {
        return experimentId == null || experimentId.isEmpty() ? null : experimentId;
    }

    public String entry(String dataset, String genomeId) {
        return prefix + "entry:" + dataset + ":" + genomeId;
    }

    public byte[] entryBytes(String dataset, String genomeId) {
        return bytes(entry(dataset, genomeId));
    }

    /** The entry's summary view ({@link EntrySummary}), written with the entry; not matched by {@link #entryPattern}. */
    public byte[] summaryBytes(String dataset, String genomeId) {
        return bytes(prefix + "summary:" + dataset + ":" + genomeId);
    }

    /** SCAN pattern of every entry of a dataset. */
    public String entryPattern(String dataset) {
        return prefix + "entry:" + dataset + ":*";
    }

    public String rank(String dataset, String metric, String experiment) {
        return prefix + "rank:" + dataset + ":" + metric + experimentSuffix(experiment);
    }

    public String pareto(String dataset, MetricSet set, String experiment) {
        return prefix + "pareto:" + dataset + ":" + set.key() + experimentSuffix(experiment);
    }

    public String paretoPoints(String dataset, MetricSet set) {
        return prefix + "pareto-points:" + dataset + ":" + set.key();
    }

    public String metrics(String dataset) {
        return prefix + "metrics:" + dataset;
    }

    public String datasets() {
        return prefix + "datasets";
    }

    public String stats(String dataset) {
        return prefix + "stats:" + dataset;
    }

    /** The field prefix of an experiment's counters in {@link #stats}; "" for the dataset's own. */
    public static String counterPrefix(String experiment) {
        return experiment == null || experiment.isEmpty() ? "" : "exp:" + experiment + ":";
    }

    public String experiments(String dataset) {
        return prefix + "experiments:" + dataset;
    }

    public String failed(String dataset, String experiment) {
        return prefix + "failed:" + dataset + experimentSuffix(experiment);
    }

    public String pending(String dataset, String genomeId) {
        return prefix + "pending:" + dataset + ":" + genomeId;
    }

    public String pendingIndex() {
        return prefix + "pending-index";
    }

    public String registry(String name) {
        return prefix + REGISTRY + name;
    }

    /** Whether a key is part of the registry (configuration that a rebuild needs, never derived from the topics). */
    public boolean isRegistry(String key) {
        return key.startsWith(prefix + REGISTRY);
    }

    public String changes() {
        return prefix + "changes";
    }

    /** SCAN pattern of every key under the prefix (glob characters in the prefix escaped). */
    public String everything() {
        return prefix.replace("*", "\\*").replace("?", "\\?").replace("[", "\\[") + "*";
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String experimentSuffix(String experiment) {
        return experiment == null ? "" : ":exp:" + experiment;
    }

    @Override
    public String toString() {
        return prefix;
    }
}
