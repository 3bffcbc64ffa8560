package dev.mixrule.sampler;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Scores known per dataset and recipe (genome id -> metrics): loaded from the store once, then kept in step with it. */
final class KnownScores {
    private final SamplerStore store;
    private final Map<String, Map<String, Map<String, Double>>> byRecipe = new ConcurrentHashMap<>();

    KnownScores(SamplerStore store) {
        this.store = store;
    }

    Map<String, Double> get(String dataset, String recipe, String genomeId) {
        return of(dataset, recipe).get(genomeId);
    }

    /** A success just stored (by {@link SamplerStore#told}): known from now on. */
    void put(String dataset, String recipe, String genomeId, Map<String, Double> metrics) {
        of(dataset, recipe).put(genomeId, metrics);
    }

    private Map<String, Map<String, Double>> of(String dataset, String recipe) {
        return byRecipe.computeIfAbsent(dataset + ":" + recipe, k -> new ConcurrentHashMap<>(store.knownScores(dataset, recipe)));
    }
}
