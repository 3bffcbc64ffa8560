package dev.mixrule.leaderboard.store;

import dev.mixrule.kernel.metrics.TrainingResultMetrics;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.TrainingResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * How results fold into an entry. Pure functions: applying the same result twice gives the same
 * entry (idempotent upserts), and an evaluator's result replaces its earlier one unless older.
 */
public final class EntryMerge {
    private EntryMerge() {}

    public static LeaderboardEntry withTraining(LeaderboardEntry old, TrainingResult t, long now) {
        LeaderboardEntry.Builder b = (old == null ? LeaderboardEntry.newBuilder() : old.toBuilder())
                .setGenomeId(t.getGenomeId()).setDataset(t.getDataset()).setExperimentId(t.getExperimentId())
                .setGenome(t.getGenome()).setCanonical(t.getCanonical()).setCost(t.getCost())
                .setTraining(t.getMetrics()).setCheckpointUri(t.getCheckpointUri()).setCheckpointSha256(t.getCheckpointSha256())
                .setTrainingStatus(t.getStatus()).setProposedAtMs(t.getProposedAtMs()).setTrainedAtMs(t.getFinishedAtMs())
                .setTrainingPrincipal(t.getProducerPrincipal());
        b.clearRules().addAllRules(new TreeSet<>(t.getCost().getRuleFractionsMap().keySet()));
        return recompute(b, now);
    }

    public static LeaderboardEntry withEvaluation(LeaderboardEntry old, EvaluationResult e, long now) {
        LeaderboardEntry.Builder b = (old == null ? LeaderboardEntry.newBuilder() : old.toBuilder())
                .setGenomeId(e.getGenomeId()).setDataset(e.getDataset());
        if (b.getExperimentId().isEmpty()) {
            b.setExperimentId(e.getExperimentId());
        }
        List<EvaluationResult> evals = new ArrayList<>(b.getEvaluationsList());
        String name = e.getEvaluator().getName();
        for (int i = 0; i < evals.size(); i++) {
            EvaluationResult prior = evals.get(i);
            if (prior.getEvaluator().getName().equals(name)) {
                if (compareVersions(e.getEvaluator().getVersion(), prior.getEvaluator().getVersion()) < 0) {
                    return old; // an older evaluator version never overwrites a newer one
                }
                if (!prior.getProducerPrincipal().isEmpty() && !prior.getProducerPrincipal().equals(e.getProducerPrincipal())) {
                    return old; // versions advance only within the principal that produced the kept result
                }
                evals.remove(i);
                break;
            }
        }
        evals.add(e);
        evals.sort((x, y) -> x.getEvaluator().getName().compareTo(y.getEvaluator().getName()));
        b.clearEvaluations().addAllEvaluations(evals);
        return recompute(b, now);
    }

    private static LeaderboardEntry recompute(LeaderboardEntry.Builder b, long now) {
        // the training run's and the genome's metrics as the sampler sees them (kernel TrainingResultMetrics)
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (b.hasTraining()) {
            TrainingResultMetrics.putTraining(metrics, b.getTraining());
        }
        if (b.hasCost()) {
            TrainingResultMetrics.putCost(metrics, b.getCost());
        }
        b.clearMetrics().putAllMetrics(metrics);
        boolean unreliable = false;
        for (EvaluationResult e : b.getEvaluationsList()) {
            if (e.getStatus() == EvaluationStatus.EVALUATION_STATUS_SUCCEEDED) {
                b.putAllMetrics(e.getMetricsMap());
                unreliable |= e.getUnreliable();
            }
        }
        return b.setUnreliable(unreliable).setUpdatedAtMs(now).setRank(0).build();
    }

    /** Numeric comparison of dotted versions ("10" > "9"), falling back to text. */
    public static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "0";
            String q = i < y.length ? y[i] : "0";
            int c;
            try {
                c = Long.compare(Long.parseLong(p), Long.parseLong(q));
            } catch (NumberFormatException ex) {
                c = p.compareTo(q);
            }
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Same content, ignoring the update time: used to skip no-op writes and notifications. */
    public static boolean sameContent(LeaderboardEntry a, LeaderboardEntry b) {
        return a != null && b != null && a.toBuilder().setUpdatedAtMs(0).build().equals(b.toBuilder().setUpdatedAtMs(0).build());
    }
}
