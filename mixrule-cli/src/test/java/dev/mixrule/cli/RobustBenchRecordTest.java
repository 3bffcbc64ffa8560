package dev.mixrule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.LeaderboardEntry;
import org.junit.jupiter.api.Test;

class RobustBenchRecordTest {
    @Test
    void recordCarriesUnreliableReasonsAndThePerExampleWorstCase() {
        LeaderboardEntry base = ExportCommandTest.entry("file:///nowhere.ckpt");
        EvaluationResult robust = base.getEvaluations(1).toBuilder().putMetrics("worst_case_accuracy", 0.05).setUnreliable(true)
                .addUnreliableReasons("square attack (0.050) beats the strongest white-box attack (0.061)").build();
        LeaderboardEntry e = base.toBuilder().setEvaluations(1, robust).setUnreliable(true).build();
        JsonObject r = RobustBenchRecord.of(e);
        assertEquals("5.00", r.get("robust_acc").getAsString(), "the per-example worst case, not the lowest single attack");
        assertEquals("per-example worst case", r.get("robust_acc_kind").getAsString());
        assertEquals(1, r.getAsJsonArray("unreliable_reasons").size());
        assertEquals("robustness: square attack (0.050) beats the strongest white-box attack (0.061)",
                r.getAsJsonArray("unreliable_reasons").get(0).getAsString());
    }
}
