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
import java.security.MessageDigest;
import java.util.HexFormat;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    static LeaderboardEntry stored(Path store, byte[] bytes, String sha256) throws Exception {
        Path ckpt = store.resolve("abc/fashion-mnist.ckpt");
        Files.createDirectories(ckpt.getParent());
        Files.write(ckpt, bytes);
        return entry(ckpt.toUri().toString()).toBuilder().setCheckpointSha256(sha256).build();
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void weightsAreCopiedFromInsideTheStoreWhenTheirHashMatches(@TempDir Path dir) throws Exception {
        byte[] bytes = {1, 2, 3};
        LeaderboardEntry e = stored(dir.resolve("store"), bytes, sha256(bytes));
        Path copied = ExportCommand.copyCheckpoint(e, dir.resolve("store"), dir.resolve("out"));
        assertArrayEquals(bytes, Files.readAllBytes(copied));
        assertEquals(e.getGenomeId() + "-fashion-mnist.ckpt", copied.getFileName().toString());
    }

    @Test
    void aCheckpointWhoseHashDoesNotMatchIsNotCopied(@TempDir Path dir) throws Exception {
        LeaderboardEntry e = stored(dir.resolve("store"), new byte[] {1, 2, 3}, sha256(new byte[] {9}));
        ExportCommand.CheckpointException ex = assertThrows(ExportCommand.CheckpointException.class,
                () -> ExportCommand.copyCheckpoint(e, dir.resolve("store"), dir.resolve("out")));
        assertTrue(ex.getMessage().contains("does not match its checkpoint_sha256"), ex.getMessage());
        assertFalse(Files.exists(dir.resolve("out").resolve(e.getGenomeId() + "-fashion-mnist.ckpt")));
    }

    @Test
    void aFileOutsideTheStoreIsRefusedWithoutReadingIt(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "password=hunter2");
        for (String uri : new String[] {secret.toUri().toString(), dir.resolve("store/../secret.txt").toUri().toString()}) {
            LeaderboardEntry e = entry(uri).toBuilder().setCheckpointSha256(sha256("x".getBytes())).build();
            ExportCommand.CheckpointException ex = assertThrows(ExportCommand.CheckpointException.class,
                    () -> ExportCommand.copyCheckpoint(e, dir.resolve("store"), dir.resolve("out")));
            assertTrue(ex.getMessage().contains("outside the checkpoint store"), ex.getMessage());
            assertFalse(ex.getMessage().contains("hunter2"));
        }
    }

    @Test
    void anUnreachableCheckpointIsAnErrorNamingItsUri(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("store"));
        String uri = dir.resolve("store/missing.ckpt").toUri().toString();
        ExportCommand.CheckpointException ex = assertThrows(ExportCommand.CheckpointException.class,
                () -> ExportCommand.copyCheckpoint(entry(uri), dir.resolve("store"), dir.resolve("out")));
        assertTrue(ex.getMessage().contains(uri), ex.getMessage());
        ExportCommand.CheckpointException s3 = assertThrows(ExportCommand.CheckpointException.class,
                () -> ExportCommand.copyCheckpoint(entry("s3://bucket/x.ckpt"), dir.resolve("store"), dir.resolve("out")));
        assertTrue(s3.getMessage().contains("s3://bucket/x.ckpt"), s3.getMessage());
    }
}
