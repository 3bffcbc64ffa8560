package dev.mixrule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mixrule.proto.EpochMetrics;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.EvaluatorId;
import dev.mixrule.proto.GetEntriesResponse;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.TrainingMetrics;
import dev.mixrule.proto.TrainingStatus;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrialTableTest {
    static final String A = "00000000000000aa", B = "00000000000000bb", C = "00000000000000cc", D = "00000000000000dd";

    /** A trained entry with one robustness evaluation (as ExportCommandTest builds it) and a two-epoch curve. */
    static LeaderboardEntry evaluated(String id) {
        LeaderboardEntry e = ExportCommandTest.entry("file:///x.ckpt");
        return e.toBuilder().setGenomeId(id).setExperimentId("exp-1").setTrainingStatus(TrainingStatus.TRAINING_STATUS_SUCCEEDED)
                .setTraining(TrainingMetrics.newBuilder().setValidAccuracy(0.84).setEpochsCompleted(2)
                        .addEpochs(EpochMetrics.newBuilder().setEpoch(1).setValidAccuracy(0.7).setTrainLoss(0.9))
                        .addEpochs(EpochMetrics.newBuilder().setEpoch(2).setValidAccuracy(0.84).setTrainLoss(0.5)))
                .putMetrics("valid_accuracy", 0.84).putMetrics("parameters", 1000).build();
    }

    /** Trained only, no evaluation yet, with a metric the other trial lacks. */
    static LeaderboardEntry trainedOnly(String id) {
        return LeaderboardEntry.newBuilder().setGenomeId(id).setDataset("fashion-mnist").setExperimentId("older-exp")
                .setCanonical("chain:pad0|dense-10@bp").setTrainingStatus(TrainingStatus.TRAINING_STATUS_EARLY_STOPPED)
                .setTraining(TrainingMetrics.newBuilder().setValidAccuracy(0.5)).putMetrics("valid_accuracy", 0.5)
                .putMetrics("share_bp", 1.0).build();
    }

    static List<Trial> trials() {
        GetEntriesResponse r = GetEntriesResponse.newBuilder().addEntries(trainedOnly(B)).addEntries(evaluated(A))
                .addFailedGenomeIds(C).build();
        return ExperimentTrials.trials(List.of(A, B, C, D), Set.of(B), r);
    }

    @Test
    void trialsKeepTheSamplersOrderAndTakeTheirStatusFromEntryAndFailedSet() {
        List<Trial> t = trials();
        assertEquals(List.of(A, B, C, D), t.stream().map(Trial::genomeId).toList());
        assertEquals(List.of(Trial.Status.SUCCEEDED, Trial.Status.EARLY_STOPPED, Trial.Status.FAILED, Trial.Status.PENDING),
                t.stream().map(Trial::status).toList());
        assertEquals(List.of(false, true, false, false), t.stream().map(Trial::reused).toList());
        assertEquals(null, t.get(2).entry());
    }

    @Test
    void theHeaderIsTheUnionOfEveryRowsColumnsInAStableOrder() {
        TrialTable header = new TrialTable();
        trials().forEach(header::add);
        List<String> columns = header.columns();
        assertEquals(TrialTable.FIXED, columns.subList(0, TrialTable.FIXED.size()));
        List<String> rest = columns.subList(TrialTable.FIXED.size(), columns.size());
        List<String> metrics = List.of("apgd_accuracy", "clean_accuracy", "fgsm_accuracy", "parameters", "pgd_accuracy",
                "pgd_accuracy_eps0.0500", "share_bp", "test_accuracy", "valid_accuracy");
        assertEquals(metrics, rest.subList(0, metrics.size()), "metrics of both entries, sorted: " + rest);
        assertEquals(List.of("accuracy:version", "accuracy:protocol"), rest.subList(metrics.size(), metrics.size() + 2));
        assertTrue(rest.contains("robustness:principal") && rest.contains("robustness:failure_reason"), rest.toString());
        TrialTable reversed = new TrialTable();
        List<Trial> backwards = new java.util.ArrayList<>(trials());
        java.util.Collections.reverse(backwards);
        backwards.forEach(reversed::add);
        assertEquals(columns, reversed.columns(), "the same trials in another order give the same header");
    }

    @Test
    void rowsFillTheirOwnColumnsAndLeaveTheOthersEmpty() {
        TrialTable header = new TrialTable();
        trials().forEach(header::add);
        List<String> columns = header.columns();
        List<Trial> t = trials();
        Map<String, String> a = TrialTable.cells("exp-1", t.get(0));
        assertEquals("0.86", a.get("test_accuracy"));
        assertEquals("1000", a.get("parameters"), "whole numbers without .0");
        assertEquals("2", a.get("accuracy:version"));
        assertEquals("succeeded", a.get("status"));
        assertEquals("bp fa", a.get("rules"));
        Map<String, String> b = TrialTable.cells("exp-1", t.get(1));
        assertEquals("older-exp", b.get("trained_by_experiment"));
        assertEquals("true", b.get("reused"));
        String bLine = TrialTable.csvLine(columns, b);
        assertEquals(columns.size(), bLine.split(",", -1).length, "one cell per column: " + bLine);
        assertTrue(bLine.startsWith("exp-1," + B + ",fashion-mnist,early_stopped,true,older-exp,chain:pad0|dense-10@bp,,false,,0,0,"), bLine);
        String failed = TrialTable.csvLine(columns, TrialTable.cells("exp-1", t.get(2)));
        assertEquals("exp-1," + C + ",,failed,false" + ",".repeat(columns.size() - 5), failed);
    }

    @Test
    void csvQuotesCommasQuotesLineBreaksAndEdgeSpacesOnly() {
        assertEquals("plain", TrialTable.csv("plain"));
        assertEquals("\"a,b\"", TrialTable.csv("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", TrialTable.csv("say \"hi\""));
        assertEquals("\"two\nlines\"", TrialTable.csv("two\nlines"));
        assertEquals("\"cr\r\"", TrialTable.csv("cr\r"));
        assertEquals("\" padded\"", TrialTable.csv(" padded"));
        assertEquals("", TrialTable.csv(""));
        Map<String, String> evil = Map.of("experiment_id", "e", "genome_id", "x,\"y\"");
        assertEquals("e,\"x,\"\"y\"\"\"", TrialTable.csvLine(List.of("experiment_id", "genome_id"), evil));
        assertEquals("0.1", TrialTable.number(0.1));
        assertEquals("NaN", TrialTable.number(Double.NaN));
        assertEquals("-3", TrialTable.number(-3.0));
        assertEquals("1.0E20", TrialTable.number(1e20));
    }

    @Test
    void aJsonLineIsOneObjectPerTrialWithTheEntryInItsOneJsonView() {
        List<Trial> t = trials();
        String line = TrialTable.jsonLine("exp-1", t.get(0));
        assertFalse(line.contains("\n"), "one line: " + line);
        JsonObject o = JsonParser.parseString(line).getAsJsonObject();
        assertEquals("exp-1", o.get("experiment_id").getAsString());
        assertEquals("succeeded", o.get("status").getAsString());
        JsonObject entry = o.getAsJsonObject("entry");
        assertEquals(Output.entry(t.get(0).entry()), entry, "the same view as leaderboard get --json");
        assertEquals(0.86, entry.getAsJsonObject("metrics").get("test_accuracy").getAsDouble());
        JsonObject robust = entry.getAsJsonArray("evaluations").get(1).getAsJsonObject();
        assertEquals("robustness", robust.get("evaluator").getAsString());
        assertEquals(0.0612, robust.getAsJsonObject("metrics").get("apgd_accuracy").getAsDouble(), "which evaluator measured what");
        assertEquals(2, entry.getAsJsonArray("epochs").size());
        JsonObject pending = JsonParser.parseString(TrialTable.jsonLine("exp-1", t.get(3))).getAsJsonObject();
        assertTrue(pending.get("entry").isJsonNull(), pending.toString());
        assertEquals("pending", pending.get("status").getAsString());
    }

    @Test
    void theSummaryCountsEachStatus() {
        Map<Trial.Status, Integer> counts = new java.util.EnumMap<>(Trial.Status.class);
        trials().forEach(t -> counts.merge(t.status(), 1, Integer::sum));
        assertEquals("4 trials: 1 succeeded, 1 early_stopped, 1 failed, 1 pending", TrialExport.summary(counts));
    }

    @Test
    void evaluationStatusIsLowerCase() {
        LeaderboardEntry e = trainedOnly(A).toBuilder().addEvaluations(EvaluationResult.newBuilder()
                .setEvaluator(EvaluatorId.newBuilder().setName("robustness").setVersion("3"))
                .setStatus(EvaluationStatus.EVALUATION_STATUS_FAILED).setFailureReason("out of memory, again")).build();
        Map<String, String> c = TrialTable.cells("e", new Trial(A, Trial.Status.SUCCEEDED, false, e));
        assertEquals("failed", c.get("robustness:status"));
        assertTrue(TrialTable.csvLine(List.of("robustness:failure_reason"), c).equals("\"out of memory, again\""));
    }
}
