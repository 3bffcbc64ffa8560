package dev.mixrule.leaderboard.store;

import dev.mixrule.kernel.metrics.Metric;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.LeaderboardEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Search progress: per experiment, the best value of a metric among the entries known at each moment, as the
 * steps where it improved. A metric is known when the result that carries it arrived: valid_accuracy (and every
 * training metric) when the training result finished ({@code trained_at_ms}), an evaluator's metric when that
 * evaluation was made ({@code evaluated_at_ms}); entries stored before those times were recorded fall back to
 * {@code updated_at_ms}. Given the best N entries by the metric, every step is exact: an entry left out is worse than
 * all N, so it was never the best once any of them was known; what is lost is only the stretch before the first
 * of them arrived. Plain functions.
 */
public final class BestSoFar {
    private BestSoFar() {}

    /** One improvement: at {@code atMs} the best value became {@code best}, by {@code genomeId}. */
    public record Step(long atMs, double best, String genomeId) {}

    /**
     * One experiment's progress.
     *
     * @param startedAtMs when its first entry was proposed (0 when no entry says)
     * @param lastAtMs when its latest result with the metric arrived: the curve holds its last step until then
     * @param entries entries with the metric that were looked at
     */
    public record Series(String experimentId, long startedAtMs, long lastAtMs, int entries, List<Step> steps) {}

    /** The series of every experiment among the entries, by experiment id; larger is better unless the metric is minimised. */
    public static List<Series> of(List<LeaderboardEntry> entries, String metric) {
        boolean minimise = minimised(metric);
        Map<String, List<LeaderboardEntry>> byExperiment = new TreeMap<>();
        for (LeaderboardEntry e : entries) {
            if (e.containsMetrics(metric)) {
                byExperiment.computeIfAbsent(e.getExperimentId(), k -> new ArrayList<>()).add(e);
            }
        }
        List<Series> out = new ArrayList<>();
        byExperiment.forEach((experiment, list) -> out.add(series(experiment, list, metric, minimise)));
        return out;
    }

    private static Series series(String experiment, List<LeaderboardEntry> list, String metric, boolean minimise) {
        list.sort(Comparator.comparingLong((LeaderboardEntry e) -> knownAtMs(e, metric)).thenComparing(LeaderboardEntry::getGenomeId));
        List<Step> steps = new ArrayList<>();
        long started = list.stream().mapToLong(LeaderboardEntry::getProposedAtMs).filter(t -> t > 0).min().orElse(0);
        for (LeaderboardEntry e : list) {
            double v = e.getMetricsOrThrow(metric);
            Step last = steps.isEmpty() ? null : steps.get(steps.size() - 1);
            if (last == null || (minimise ? v < last.best() : v > last.best())) {
                steps.add(new Step(knownAtMs(e, metric), v, e.getGenomeId()));
            }
        }
        return new Series(experiment, started, knownAtMs(list.get(list.size() - 1), metric), list.size(), steps);
    }

    /** True for a known metric that is minimised (parameters, train_seconds, ...): its best entries are its lowest. */
    public static boolean minimised(String metric) {
        return Metric.of(metric).map(m -> m.direction() == Metric.Direction.MINIMIZE).orElse(false);
    }

    /** When the entry's value of the metric arrived (see the class comment). */
    static long knownAtMs(LeaderboardEntry e, String metric) {
        for (EvaluationResult r : e.getEvaluationsList()) {
            if (r.containsMetrics(metric)) {
                return r.getEvaluatedAtMs() > 0 ? r.getEvaluatedAtMs() : e.getUpdatedAtMs();
            }
        }
        return e.getTrainedAtMs() > 0 ? e.getTrainedAtMs() : e.getUpdatedAtMs();
    }
}
