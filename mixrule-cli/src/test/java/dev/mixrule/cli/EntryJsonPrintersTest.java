package dev.mixrule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.leaderboard.store.EntryJson;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.EvaluatorId;
import dev.mixrule.proto.LayerAlignment;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.ModelCost;
import dev.mixrule.proto.TrainingMetrics;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** demo --json, the CLI's Output and the web API print one entry with the same fields: all are EntryJson. */
class EntryJsonPrintersTest {
    @Test
    void demoOutputAndWebShowTheSameFieldSet() {
        var genome = GenomeCodec.fromCanonical("chain:pad0|conv3x3-12-p1-relu@fa|maxpool2|dense-10@bp");
        LeaderboardEntry e = LeaderboardEntry.newBuilder().setGenomeId(GenomeCodec.id(genome)).setDataset("cifar10")
                .setExperimentId("e").setCanonical(GenomeCodec.toCanonical(genome)).setGenome(genome).addRules("bp").addRules("fa")
                .setTraining(TrainingMetrics.newBuilder().setValidAccuracy(0.7)
                        .addLayerAlignment(LayerAlignment.newBuilder().setLayer("conv1").setRule("fa").addAngleDegrees(40)))
                .setCost(ModelCost.newBuilder().setParameters(1234).setBpFraction(0.25).putRuleFractions("fa", 0.75))
                .addEvaluations(EvaluationResult.newBuilder().setEvaluator(EvaluatorId.newBuilder().setName("accuracy"))
                        .setStatus(EvaluationStatus.EVALUATION_STATUS_SUCCEEDED))
                .putMetrics("test_accuracy", 0.69).build();
        Set<String> web = EntryJson.of(e).keySet(); // LeaderboardWebApi's entries, front and watch
        JsonObject top = Output.entry(e); // Output, as the CLI prints entries
        JsonObject demo = Output.entries(List.of(e)).get(0).getAsJsonObject(); // ./mixrule demo --json
        assertEquals(web, top.keySet());
        assertEquals(web, demo.keySet());
        assertTrue(web.containsAll(List.of("genome_id", "test_accuracy", "valid_accuracy", "rules", "rule_fractions",
                "bp_fraction", "parameters", "metrics", "genome", "shapes", "layer_alignment")), web.toString());
        assertEquals(1234, demo.get("parameters").getAsLong());
        assertEquals("fa", demo.getAsJsonObject("genome").getAsJsonArray("layers").get(0).getAsJsonObject().get("rule").getAsString());
    }
}
