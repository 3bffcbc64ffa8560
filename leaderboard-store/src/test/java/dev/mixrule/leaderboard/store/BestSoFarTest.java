package dev.mixrule.leaderboard.store;

import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluatorId;
import dev.mixrule.proto.LeaderboardEntry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BestSoFarTest {
    static LeaderboardEntry trained(String id, String experiment, long proposedAt, long trainedAt, double valid) {
        return LeaderboardEntry.newBuilder().setGenomeId(id).setExperimentId(experiment).setProposedAtMs(proposedAt)
                .setTrainedAtMs(trainedAt).setUpdatedAtMs(trainedAt + 50_000).putMetrics("valid_accuracy", valid)
                .putMetrics("parameters", valid * 1000).build();
    }

    @Test
    void eachExperimentStepsUpOnlyWhenABetterEntryArrivesInTheOrderTheResultsFinished() {
        List<LeaderboardEntry> entries = new ArrayList<>(List.of(
                trained("c", "e1", 1_000, 40_000, 0.70),  // finished third: no better than a
                trained("a", "e1", 1_000, 10_000, 0.75),
                trained("b", "e1", 1_000, 20_000, 0.60),  // finished second, worse: no step
                trained("d", "e1", 1_000, 50_000, 0.80),
                trained("x", "e2", 5_000, 30_000, 0.50),
                LeaderboardEntry.newBuilder().setGenomeId("y").setExperimentId("e2").build())); // no metric yet
        List<BestSoFar.Series> series = BestSoFar.of(entries, "valid_accuracy");
        assertEquals(2, series.size());
        BestSoFar.Series e1 = series.get(0);
        assertEquals("e1", e1.experimentId());
        assertEquals(List.of(new BestSoFar.Step(10_000, 0.75, "a"), new BestSoFar.Step(50_000, 0.80, "d")), e1.steps());
        assertEquals(1_000, e1.startedAtMs());
        assertEquals(50_000, e1.lastAtMs());
        assertEquals(4, e1.entries());
        assertEquals(List.of(new BestSoFar.Step(30_000, 0.50, "x")), series.get(1).steps());
        assertEquals(1, series.get(1).entries(), "an entry without the metric is not counted");
    }

    @Test
    void anEvaluatorsMetricIsKnownWhenItsEvaluationWasMadeAndAMinimisedMetricStepsDown() {
        LeaderboardEntry early = trained("a", "e", 0, 10_000, 0.9).toBuilder().putMetrics("valid_apgd_accuracy", 0.2)
                .addEvaluations(EvaluationResult.newBuilder().setEvaluator(EvaluatorId.newBuilder().setName("robustness"))
                        .putMetrics("valid_apgd_accuracy", 0.2).setEvaluatedAtMs(90_000)).build();
        LeaderboardEntry late = trained("b", "e", 0, 20_000, 0.8).toBuilder().putMetrics("valid_apgd_accuracy", 0.3)
                .addEvaluations(EvaluationResult.newBuilder().setEvaluator(EvaluatorId.newBuilder().setName("robustness"))
                        .putMetrics("valid_apgd_accuracy", 0.3).setEvaluatedAtMs(30_000)).build();
        // b's robustness arrived first (30 s), a's later (90 s) and is worse: one step
        assertEquals(List.of(new BestSoFar.Step(30_000, 0.3, "b")), BestSoFar.of(List.of(early, late), "valid_apgd_accuracy").get(0).steps());
        // parameters are minimised: the smaller network that finished later is a step
        assertEquals(List.of(new BestSoFar.Step(10_000, 900.0, "a"), new BestSoFar.Step(20_000, 800.0, "b")),
                BestSoFar.of(List.of(early, late), "parameters").get(0).steps());
        // an entry stored before trained_at_ms existed falls back to its update time
        LeaderboardEntry old = LeaderboardEntry.newBuilder().setGenomeId("o").setUpdatedAtMs(7).putMetrics("valid_accuracy", 0.1).build();
        assertEquals(7, BestSoFar.of(List.of(old), "valid_accuracy").get(0).steps().get(0).atMs());
    }
}
