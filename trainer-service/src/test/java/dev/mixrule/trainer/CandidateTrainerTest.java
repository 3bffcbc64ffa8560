package dev.mixrule.trainer;

import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.messaging.DeadLetterReason;
import dev.mixrule.kernel.messaging.Topics;
import dev.mixrule.kernel.telemetry.Meter;
import dev.mixrule.kernel.telemetry.MeterLabels;
import dev.mixrule.proto.Candidate;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.TrainingConfig;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.proto.TrainingStatus;
import dev.mixrule.testkit.KafkaAndRedisResource;
import dev.mixrule.testkit.ScrapedMetrics;
import dev.mixrule.testkit.TestKafka;
import dev.mixrule.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(KafkaAndRedisResource.class)
class CandidateTrainerTest {
    static final TrainingConfig QUICK = TrainingConfig.newBuilder().setEpochs(2).setBatchSize(32)
            .setLearningRate(0.05).setMomentum(0.9).setSeed(5).build();

    static Candidate candidate(String canonical) {
        Genome g = GenomeCodec.fromCanonical(canonical);
        return Candidate.newBuilder().setGenomeId(GenomeCodec.id(g)).setGenome(g).setCanonical(canonical)
                .setExperimentId("trainer-test").setDataset("synthetic").setTraining(QUICK).build();
    }

    static TrainingResult awaitResult(String genomeId) throws Exception {
        List<ConsumerRecord<String, byte[]>> got = TopicProbe.await(TestKafka.bootstrapServers(), Topics.TRAINING_RESULTS,
                r -> genomeId.equals(r.key()), 1, Duration.ofSeconds(90));
        assertEquals(1, got.size(), "no training result for " + genomeId);
        return TrainingResult.parseFrom(got.get(0).value());
    }

    @Test
    void trainsACandidateStoresItsWeightsAndPublishesTheResult() throws Exception {
        Candidate c = candidate("chain:pad0|conv3x3-8-p1-relu@bp|conv3x3-8-p1-relu@fa|maxpool2|dense-4@usf"); // the first label is free: canonical fa
        TopicProbe.send(TestKafka.bootstrapServers(), Topics.CANDIDATES, c.getGenomeId(), c.toByteArray());

        TrainingResult r = awaitResult(c.getGenomeId());
        assertEquals(TrainingStatus.TRAINING_STATUS_SUCCEEDED, r.getStatus(), r.getFailureReason());
        assertEquals("cpu", r.getDevice(), "mixrule.trainer.device=auto on a machine without a GPU");
        assertTrue(r.getMetrics().getValidAccuracy() > 0.5, "valid accuracy " + r.getMetrics().getValidAccuracy());
        assertEquals(2, r.getMetrics().getEpochsCompleted());
        assertEquals(0.0, r.getCost().getBpFraction(), 1e-12);
        assertEquals(1.0, r.getCost().getRuleFractionsOrThrow("fa") + r.getCost().getRuleFractionsOrThrow("usf"), 1e-9);
        assertTrue(Files.size(Path.of(URI.create(r.getCheckpointUri()))) > 1000, "checkpoint file too small");

        ScrapedMetrics m = scrape();
        Map<String, String> faUsf = Map.of(MeterLabels.RULES, "fa+usf");
        assertTrue(m.sum(Meter.TRAININGS.prometheusName(), Map.of(MeterLabels.RULES, "fa+usf", MeterLabels.STATUS, "succeeded")) >= 1,
                m.text());
        assertTrue(m.sum(Meter.TRAINING_TIME.prometheusName() + "_count", faUsf) >= 1);
        assertTrue(m.sum(Meter.TRAINING_TIME.prometheusName() + "_sum", faUsf) >= r.getMetrics().getTrainSeconds() - 1e-6);
        assertTrue(m.sum(Meter.TRAINING_THROUGHPUT.prometheusName() + "_count", faUsf) >= 1);
        // Kafka's own client metrics, the consumer lag among them, with the consumer's group (mixrule-kafka's KafkaClientMeters)
        assertTrue(m.has("kafka_consumer_fetch_manager_records_lag_max", Map.of("group", "trainer-service")),
                "no consumer lag of the trainers' group in /q/metrics:\n" + m.text());
    }

    static ScrapedMetrics scrape() {
        return new ScrapedMetrics(given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    @Test
    void publishesProgressEveryEpochAndStopsEarlyWhenTheSamplerAsks() throws Exception {
        Candidate c = candidate("chain:pad0|conv3x3-8-p1-relu@usf|maxpool2|dense-4@fa").toBuilder()
                .setTraining(QUICK.toBuilder().setEpochs(40)).setReportProgress(true).build();
        TopicProbe.send(TestKafka.bootstrapServers(), Topics.CANDIDATES, c.getGenomeId(), c.toByteArray());
        List<ConsumerRecord<String, byte[]>> progress = TopicProbe.await(TestKafka.bootstrapServers(), Topics.TRAINING_PROGRESS,
                r -> c.getGenomeId().equals(r.key()), 1, Duration.ofSeconds(60));
        dev.mixrule.proto.TrainingProgress p = dev.mixrule.proto.TrainingProgress.parseFrom(progress.get(0).value());
        assertEquals(1, p.getEpoch());
        assertEquals(40, p.getEpochs());
        assertTrue(p.getValidAccuracy() > 0 && p.getValidAccuracy() <= 1, "valid accuracy " + p.getValidAccuracy());

        TopicProbe.send(TestKafka.bootstrapServers(), Topics.CONTROL, c.getGenomeId(), dev.mixrule.proto.StopCandidate.newBuilder()
                .setGenomeId(c.getGenomeId()).setExperimentId(c.getExperimentId()).setDataset(c.getDataset())
                .setReason("test").build().toByteArray());
        TrainingResult r = awaitResult(c.getGenomeId());
        assertEquals(TrainingStatus.TRAINING_STATUS_EARLY_STOPPED, r.getStatus(), r.getFailureReason());
        assertTrue(r.getMetrics().getEpochsCompleted() < 40, "stopped after " + r.getMetrics().getEpochsCompleted() + " epochs");
        assertTrue(r.getMetrics().getValidAccuracy() > 0, "keeps the last epoch's metrics");
        assertTrue(Files.size(Path.of(URI.create(r.getCheckpointUri()))) > 1000, "and its weights");
    }

    @Test
    void anInvalidGenomeFailsWithAReasonInsteadOfStoppingTheTrainer() throws Exception {
        // dense-10 on a 4-class dataset
        Candidate c = candidate("chain:pad0|conv3x3-8-p1-relu@bp|dense-10@bp");
        TopicProbe.send(TestKafka.bootstrapServers(), Topics.CANDIDATES, c.getGenomeId(), c.toByteArray());

        TrainingResult r = awaitResult(c.getGenomeId());
        assertEquals(TrainingStatus.TRAINING_STATUS_FAILED, r.getStatus());
        assertEquals("cpu", r.getDevice(), "a failed result reports the device too");
        assertTrue(r.getFailureReason().contains("layers[1].width"), r.getFailureReason());
        assertTrue(r.getCheckpointUri().isEmpty());
    }

    @Test
    void aMalformedRecordGoesToTheDeadLetterTopicAndTrainingGoesOn() throws Exception {
        byte[] junk = "this is not protobuf \u0000\u00ff".getBytes(StandardCharsets.UTF_8);
        TopicProbe.send(TestKafka.bootstrapServers(), Topics.CANDIDATES, "junk-key", junk);
        List<ConsumerRecord<String, byte[]>> dead = TopicProbe.await(TestKafka.bootstrapServers(), Topics.DEAD_LETTER,
                r -> "junk-key".equals(r.key()), 1, Duration.ofSeconds(60));
        assertEquals(1, dead.size(), "malformed record did not reach " + Topics.DEAD_LETTER);
        Header reason = dead.get(0).headers().lastHeader("dead-letter-reason");
        assertTrue(reason != null && new String(reason.value(), StandardCharsets.UTF_8).contains("not valid protobuf"));
        assertTrue(scrape().sum(Meter.DEAD_LETTERS.prometheusName(), Map.of(MeterLabels.TOPIC, Topics.CANDIDATES,
                MeterLabels.REASON, DeadLetterReason.UNPARSEABLE.label())) >= 1);

        Candidate c = candidate("chain:pad0|conv3x3-4-p1-relu@brsf|maxpool2|dense-4@frsf");
        TopicProbe.send(TestKafka.bootstrapServers(), Topics.CANDIDATES, c.getGenomeId(), c.toByteArray());
        assertEquals(TrainingStatus.TRAINING_STATUS_SUCCEEDED, awaitResult(c.getGenomeId()).getStatus());
    }

    @Test
    void theDeviceSettingIsReadAndABadOneIsRefusedNamingIt() {
        assertEquals(dev.mixrule.kernel.device.DeviceSpec.gpu(2), new DeviceSpecConverter().convert("gpu(2)"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new DeviceSpecConverter().convert("cuda:0"));
        assertTrue(e.getMessage().startsWith("mixrule.trainer.device: 'cuda:0' is not a device"), e.getMessage());
    }

    @Test
    void healthEndpointsAnswer() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        given().when().get("/q/health/ready").then().statusCode(200);
    }
}
