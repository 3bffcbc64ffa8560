package dev.mixrule.cli;

import com.google.gson.JsonObject;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.EvaluatorId;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.ModelCost;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExportCommandTest {
    static final String CANONICAL = "chain:pad0|conv3x3-8-p1-relu@fa|maxpool2|dense-10@bp";

    static LeaderboardEntry entry(String checkpointUri) {
        Genome g = GenomeCodec.fromCanonical(CANONICAL);
        EvaluationResult robust = EvaluationResult.newBuilder().setEvaluator(EvaluatorId.newBuilder().setName("robustness").setVersion("1"))
                .setStatus(EvaluationStatus.EVALUATION_STATUS_SUCCEEDED).setExamples(500)
                .setProtocol("screening:test[0:500]:linf:eps=0.1000:fgsm;pgd-10;apgd-ce-20")
                .putMetrics("clean_accuracy", 0.8512).putMetrics("fgsm_accuracy", 0.21).putMetrics("pgd_accuracy", 0.08)
                .putMetrics("apgd_accuracy", 0.0612).putMetrics("pgd_accuracy_eps0.0500", 0.4).build();
        EvaluationResult acc = EvaluationResult.newBuilder().setEvaluator(EvaluatorId.newBuilder().setName("accuracy").setVersion("2"))
                .setStatus(EvaluationStatus.EVALUATION_STATUS_SUCCEEDED).setProtocol("test:10000").putMetrics("test_accuracy", 0.86).build();
        return LeaderboardEntry.newBuilder().setGenomeId(GenomeCodec.id(g)).setDataset("fashion-mnist").setGenome(g)
                .setCanonical(CANONICAL).addRules("bp").addRules("fa").setCost(ModelCost.newBuilder().setBpFraction(0.25).setParameters(1000))
                .addEvaluations(acc).addEvaluations(robust).putMetrics("test_accuracy", 0.86).putAllMetrics(robust.getMetricsMap())
                .setCheckpointUri(checkpointUri).build();
    }

    @Test
    void recordCarriesRobustBenchFieldsInPercentAndTheGenome() {
        JsonObject r = RobustBenchRecord.of(entry("file:///nowhere.ckpt"));
        assertEquals("Linf", r.get("threat_model").getAsString());
        assertEquals(0.1, r.get("eps").getAsDouble(), 1e-12);
        assertEquals("85.12", r.get("clean_acc").getAsString());
        assertEquals("86.00", r.get("test_acc").getAsString());
        assertTrue(r.get("autoattack_acc").isJsonNull(), "AutoAttack is not run, so it is not claimed");
        JsonObject attacks = r.getAsJsonObject("attack_acc");
        assertEquals("6.12", attacks.get("apgd-ce").getAsString());
        assertEquals("21.00", attacks.get("fgsm").getAsString());
        assertEquals(3, attacks.size(), "the eps ladder is not an attack of its own: " + attacks);
        assertEquals("6.12", r.get("robust_acc").getAsString());
        assertEquals(CANONICAL, r.get("architecture").getAsString());
        assertEquals(GenomeCodec.id(GenomeCodec.fromCanonical(CANONICAL)), r.getAsJsonObject("genome").getAsJsonObject("json").get("genome_id").getAsString());
        assertEquals(0.25, r.get("bp_fraction").getAsDouble());
        assertEquals("2", r.getAsJsonArray("evaluators").get(0).getAsJsonObject().get("version").getAsString());
    }

    @Test
    void weightsAreCopiedFromTheCheckpointUri(@TempDir Path dir) throws Exception {
        Path ckpt = dir.resolve("store/abc/fashion-mnist.ckpt");
        Files.createDirectories(ckpt.getParent());
        Files.write(ckpt, new byte[] {1, 2, 3});
        LeaderboardEntry e = entry(ckpt.toUri().toString());
        Path copied = ExportCommand.copyCheckpoint(e, dir.resolve("out"));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(copied));
        assertEquals(e.getGenomeId() + "-fashion-mnist.ckpt", copied.getFileName().toString());
    }

    @Test
    void anUnreachableCheckpointIsAnErrorNamingItsUri(@TempDir Path dir) {
        String uri = dir.resolve("missing.ckpt").toUri().toString();
        ExportCommand.CheckpointException ex = assertThrows(ExportCommand.CheckpointException.class,
                () -> ExportCommand.copyCheckpoint(entry(uri), dir.resolve("out")));
        assertTrue(ex.getMessage().contains(uri), ex.getMessage());
        ExportCommand.CheckpointException s3 = assertThrows(ExportCommand.CheckpointException.class,
                () -> ExportCommand.copyCheckpoint(entry("s3://bucket/x.ckpt"), dir.resolve("out")));
        assertTrue(s3.getMessage().contains("s3://bucket/x.ckpt"), s3.getMessage());
    }
}
