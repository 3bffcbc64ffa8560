package dev.mixrule.leaderboard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.proto.EpochMetrics;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.EvaluatorId;
import dev.mixrule.proto.LayerAlignment;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.ModelCost;
import dev.mixrule.proto.TrainingMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EntryJsonTest {
    /** A trained, costed and evaluated chain genome on a known dataset: every optional field present. */
    static LeaderboardEntry full() {
        var genome = GenomeCodec.fromCanonical("chain:pad0|conv3x3-12-p1-relu@fa|maxpool2|dense-10@bp");
        return LeaderboardEntry.newBuilder().setGenomeId(GenomeCodec.id(genome)).setDataset("cifar10").setExperimentId("e")
                .setCanonical(GenomeCodec.toCanonical(genome)).setGenome(genome).addRules("bp").addRules("fa").setRank(1)
                .setTraining(TrainingMetrics.newBuilder().setValidAccuracy(0.7).setTrainSeconds(3)
                        .addLayerAlignment(LayerAlignment.newBuilder().setLayer("conv1").setRule("fa").addAngleDegrees(40))
                        .addEpochs(EpochMetrics.newBuilder().setEpoch(1).setTrainLoss(1.2).setTrainAccuracy(0.5).setValidAccuracy(0.55))
                        .addEpochs(EpochMetrics.newBuilder().setEpoch(2).setTrainLoss(0.8).setTrainAccuracy(0.68).setValidAccuracy(0.7)))
                .setCost(ModelCost.newBuilder().setParameters(1234).setMacs(5678).setBpFraction(0.25)
                        .putRuleFractions("fa", 0.75).putRuleFractions("bp", 0.25))
                .addEvaluations(EvaluationResult.newBuilder().setEvaluator(EvaluatorId.newBuilder().setName("accuracy").setVersion("1"))
                        .setStatus(EvaluationStatus.EVALUATION_STATUS_SUCCEEDED).putMetrics("test_accuracy", 0.69))
                .putMetrics("test_accuracy", 0.69).putMetrics("valid_accuracy", 0.7).build();
    }

    /** What users and the web page's app.js read. */
    static final List<String> RELIED_ON = List.of("genome_id", "test_accuracy", "valid_accuracy", "rules", "rule_fractions",
            "bp_fraction", "parameters", "dataset", "experiment_id", "canonical", "metrics", "unreliable", "updated_at_ms",
            "genome", "shapes", "layer_alignment", "epochs");

    @Test
    void holdsTheUnionOfTheWebAndCliFields() {
        Map<String, Object> o = EntryJson.of(full());
        assertTrue(o.keySet().containsAll(RELIED_ON), o.keySet().toString());
        assertEquals(List.of(List.of(3, 32, 32), List.of(12, 32, 32), List.of(12, 16, 16), List.of(10, 1, 1)), o.get("shapes"));
        assertEquals(40.0, ((List<Map<String, Object>>) o.get("layer_alignment")).get(0).get("angle_degrees"));
        assertEquals(Map.of("bp", 0.25, "fa", 0.75), o.get("rule_fractions"));
        List<Map<String, Object>> epochs = (List<Map<String, Object>>) o.get("epochs");
        assertEquals(List.of(1, 2), epochs.stream().map(m -> m.get("epoch")).toList());
        assertEquals(0.55, epochs.get(0).get("valid_accuracy"));
        assertEquals(0.8, epochs.get(1).get("train_loss"));
        Map<String, Object> accuracy = ((List<Map<String, Object>>) o.get("evaluations")).get(0);
        assertEquals(Map.of("test_accuracy", 0.69), accuracy.get("metrics"), "each evaluation says which metrics it measured");
        assertEquals("fa", ((List<Map<String, Object>>) ((Map<String, Object>) o.get("genome")).get("layers")).get(0).get("rule"));
    }

    @Test
    void anEvaluationAloneHasNoGenomeOrShapes() {
        Map<String, Object> o = EntryJson.of(LeaderboardEntry.newBuilder().setGenomeId("0123456789abcdef").setDataset("x").build());
        assertNull(o.get("genome"));
        assertNull(o.get("shapes"));
        assertTrue(o.containsKey("genome") && o.containsKey("rule_fractions"));
    }
}
