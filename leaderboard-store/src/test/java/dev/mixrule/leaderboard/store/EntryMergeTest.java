package dev.mixrule.leaderboard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.EvaluatorId;
import dev.mixrule.proto.LeaderboardEntry;
import org.junit.jupiter.api.Test;

class EntryMergeTest {
    static EvaluationResult eval(String name, String version, double acc, boolean unreliable) {
        return EvaluationResult.newBuilder().setGenomeId("0123456789abcdef").setDataset("d")
                .setEvaluator(EvaluatorId.newBuilder().setName(name).setVersion(version))
                .setStatus(EvaluationStatus.EVALUATION_STATUS_SUCCEEDED).putMetrics(name + "_acc", acc)
                .setUnreliable(unreliable).build();
    }

    @Test
    void applyingTheSameEvaluationTwiceGivesTheSameEntry() {
        LeaderboardEntry once = EntryMerge.withEvaluation(null, eval("a", "1", 0.5, false), 7);
        LeaderboardEntry twice = EntryMerge.withEvaluation(once, eval("a", "1", 0.5, false), 7);
        assertEquals(once, twice);
        assertEquals(1, twice.getEvaluationsCount());
    }

    @Test
    void evaluatorsSitSideBySideAndAnyUnreliableOneMarksTheEntry() {
        LeaderboardEntry e = EntryMerge.withEvaluation(null, eval("a", "1", 0.5, false), 1);
        e = EntryMerge.withEvaluation(e, eval("b", "1", 0.6, true), 2);
        assertEquals(2, e.getEvaluationsCount());
        assertEquals(0.5, e.getMetricsOrThrow("a_acc"));
        assertEquals(0.6, e.getMetricsOrThrow("b_acc"));
        assertTrue(e.getUnreliable());
    }

    @Test
    void olderVersionsNeverReplaceNewerOnes() {
        LeaderboardEntry v10 = EntryMerge.withEvaluation(null, eval("a", "10", 0.9, false), 1);
        assertSame(v10, EntryMerge.withEvaluation(v10, eval("a", "9", 0.1, false), 2));
        assertEquals(0.2, EntryMerge.withEvaluation(v10, eval("a", "10.1", 0.2, false), 3).getMetricsOrThrow("a_acc"));
    }
}
