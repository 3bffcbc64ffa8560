package dev.mixrule.evaluator;

import dev.mixrule.core.training.ComputeThread;
import dev.mixrule.core.training.GenomeTrainer;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.kernel.checkpoint.Checkpoint;
import dev.mixrule.kernel.checkpoint.FileCheckpointStore;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.data.SyntheticShapes;
import dev.mixrule.kernel.genome.ChainPlan;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.messaging.DeadLetterReason;
import dev.mixrule.kernel.messaging.Topics;
import dev.mixrule.kernel.recipe.TrainingListener;
import dev.mixrule.kernel.recipe.TrainingOptions;
import dev.mixrule.kernel.telemetry.Meter;
import dev.mixrule.kernel.telemetry.MeterLabels;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.proto.TrainingStatus;
import dev.mixrule.testkit.KafkaAndRedisResource;
import dev.mixrule.testkit.ScrapedMetrics;
import dev.mixrule.testkit.TestKafka;
import dev.mixrule.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(KafkaAndRedisResource.class)
class TrainingResultEvaluatorTest {

    static EvaluationResult awaitEvaluation(String genomeId) throws Exception {
        return awaitEvaluation(genomeId, "accuracy");
    }

    static EvaluationResult awaitEvaluation(String genomeId, String evaluator) throws Exception {
        List<ConsumerRecord<String, byte[]>> got = TopicProbe.await(TestKafka.bootstrapServers(),
                Topics.EVALUATION_RESULTS, r -> genomeId.equals(r.key()) && evaluatorOf(r.value()).equals(evaluator), 1,
                Duration.ofSeconds(60));
        assertEquals(1, got.size(), "no evaluation result for " + genomeId);
        return EvaluationResult.parseFrom(got.get(0).value());
    }

    static String evaluatorOf(byte[] value) {
        try {
            return EvaluationResult.parseFrom(value).getEvaluator().getName();
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    void measuresTestAccuracyOfTheStoredWeights() throws Exception {
        Genome g = GenomeCodec.fromCanonical("chain:pad0|conv3x3-8-p1-relu@bp|maxpool2|dense-4@fa");
        String id = GenomeCodec.id(g);
        DataSplits data = Datasets.load(SyntheticShapes.NAME);
        FileCheckpointStore store = new FileCheckpointStore(Path.of("target/test-checkpoints"));
        double[] expected = new double[1];
        Checkpoint ck = ComputeThread.call(() -> {
            try (TrainedModel m = GenomeTrainer.train(ChainPlan.of(g, SyntheticShapes.SHAPE), data,
                    new TrainingOptions(2, 32, 0.05, 0.9, 5e-4, 0, 0, 3), TrainingListener.NONE).model()) {
                expected[0] = m.accuracy(data.test(), 200);
                return store.write(id, SyntheticShapes.NAME, m::save);
            }
        });
        TrainingResult t = TrainingResult.newBuilder().setGenomeId(id).setGenome(g).setDataset(SyntheticShapes.NAME)
                .setExperimentId("eval-test").setStatus(TrainingStatus.TRAINING_STATUS_SUCCEEDED)
                .setCheckpointUri(ck.uri().toString()).setCheckpointSha256(ck.sha256())
                .setTraining(new TrainingOptions(2, 32, 0.05, 0.9, 5e-4, 0, 200, 3).toProto()).build();
        TopicProbe.send(TestKafka.bootstrapServers(), Topics.TRAINING_RESULTS, id, t.toByteArray());

        EvaluationResult r = awaitEvaluation(id);
        assertEquals(EvaluationStatus.EVALUATION_STATUS_SUCCEEDED, r.getStatus(), r.getFailureReason());
        assertEquals("accuracy", r.getEvaluator().getName());
        assertEquals(200, r.getExamples());
        assertEquals(expected[0], r.getMetricsOrThrow("test_accuracy"), 1e-12);
        assertTrue(expected[0] > 0.5, "model barely learned: " + expected[0]);
        ScrapedMetrics m = scrape();
        assertTrue(m.sum(Meter.EVALUATION_TIME.prometheusName() + "_count",
                Map.of(MeterLabels.EVALUATOR, "accuracy", MeterLabels.STATUS, "succeeded")) >= 1, m.text());
        assertTrue(m.sum(Meter.EVALUATION_TIME.prometheusName() + "_sum", Map.of(MeterLabels.EVALUATOR, "accuracy")) > 0);
        // %test config also names the retired "cost": the service starts, skips it and says why (Evaluators.RETIRED)
    }

    /** Publishes a SUCCEEDED training result of the genome with this checkpoint and waits for its evaluation. */
    static EvaluationResult evaluationOf(Genome g, String checkpointUri, String checkpointSha256) throws Exception {
        String id = GenomeCodec.id(g);
        TrainingResult t = TrainingResult.newBuilder().setGenomeId(id).setGenome(g).setDataset(SyntheticShapes.NAME)
                .setStatus(TrainingStatus.TRAINING_STATUS_SUCCEEDED).setCheckpointUri(checkpointUri)
                .setCheckpointSha256(checkpointSha256).build();
        TopicProbe.send(TestKafka.bootstrapServers(), Topics.TRAINING_RESULTS, id, t.toByteArray());
        return awaitEvaluation(id);
    }

    /** The evaluation failed, for a reason that says {@code cause} and does not repeat {@code unsaid} (null: anything goes). */
    static void assertFailedFor(EvaluationResult r, String cause, String unsaid) {
        assertEquals(EvaluationStatus.EVALUATION_STATUS_FAILED, r.getStatus());
        assertTrue(r.getFailureReason().contains(cause), r.getFailureReason());
        if (unsaid != null) {
            assertFalse(r.getFailureReason().contains(unsaid), r.getFailureReason());
        }
    }

    @Test
    void aMissingCheckpointGivesAFailedEvaluationNamingIt() throws Exception {
        Genome g = GenomeCodec.fromCanonical("chain:pad0|dense-4@bp");
        EvaluationResult r = evaluationOf(g, "file:///nonexistent/" + GenomeCodec.id(g) + "/synthetic.ckpt", "");
        assertFailedFor(r, "/nonexistent/", null);
    }

    @Test
    void aCheckpointUriOutsideTheStoreIsRefusedWithoutReadingIt() throws Exception {
        Path secret = Files.createTempFile("not-a-checkpoint", ".txt");
        Files.writeString(secret, "SECRET-CONTENT-12345");
        EvaluationResult r = evaluationOf(GenomeCodec.fromCanonical("chain:pad0|dense-5@bp"), secret.toUri().toString(), "0".repeat(64));
        assertFailedFor(r, "outside the checkpoint store", "SECRET");
    }

    @Test
    void aCheckpointWhoseHashDoesNotMatchIsRefused() throws Exception {
        Genome g = GenomeCodec.fromCanonical("chain:pad0|dense-6@bp");
        FileCheckpointStore store = new FileCheckpointStore(Path.of("target/test-checkpoints"));
        Checkpoint ck = store.write(GenomeCodec.id(g), SyntheticShapes.NAME, out -> out.write("pretend weights".getBytes()));
        EvaluationResult r = evaluationOf(g, ck.uri().toString(), "f".repeat(64));
        assertFailedFor(r, "does not match its checkpoint_sha256", "pretend");
    }

    @Test
    void aRecordWhoseKeyIsNotItsGenomeIdIsDeadLettered() {
        TrainingResult t = TrainingResult.newBuilder().setGenomeId("0123456789abcdef").build();
        TopicProbe.send(TestKafka.bootstrapServers(), Topics.TRAINING_RESULTS, "wrong-key", t.toByteArray());
        assertEquals(1, TopicProbe.await(TestKafka.bootstrapServers(), Topics.DEAD_LETTER,
                r -> "wrong-key".equals(r.key()), 1, Duration.ofSeconds(60)).size());
        assertTrue(scrape().sum(Meter.DEAD_LETTERS.prometheusName(), Map.of(MeterLabels.TOPIC, Topics.TRAINING_RESULTS,
                MeterLabels.REASON, DeadLetterReason.BAD_KEY.label())) >= 1);
    }

    static ScrapedMetrics scrape() {
        return new ScrapedMetrics(given().get("/q/metrics").then().statusCode(200).extract().asString());
    }
}
