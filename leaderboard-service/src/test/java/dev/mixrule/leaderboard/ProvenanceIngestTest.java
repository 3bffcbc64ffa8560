package dev.mixrule.leaderboard;

import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.messaging.DeadLetterReason;
import dev.mixrule.kernel.messaging.Topics;
import dev.mixrule.kernel.signing.RecordSignatures;
import dev.mixrule.kernel.signing.RecordSigner;
import dev.mixrule.kernel.telemetry.Meter;
import dev.mixrule.kernel.telemetry.MeterLabels;
import dev.mixrule.leaderboard.store.EntryJson;
import dev.mixrule.leaderboard.store.LeaderboardStore;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.EvaluatorId;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.testkit.KafkaAndRedisResource;
import dev.mixrule.testkit.ScrapedMetrics;
import dev.mixrule.testkit.TestKafka;
import dev.mixrule.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ingestion rules against the real broker and Redis: contracts, signatures, registry, pending evaluations. */
@QuarkusTest
@QuarkusTestResource(KafkaAndRedisResource.class)
class ProvenanceIngestTest {
    static final KeyPair INTRUDER = RecordSignatures.generate();

    static EvaluationResult evaluation(String dataset, Genome g, String evaluator, String version, String metric, double value) {
        return EvaluationResult.newBuilder().setGenomeId(GenomeCodec.id(g)).setDataset(dataset).setExperimentId("p")
                .setEvaluator(EvaluatorId.newBuilder().setName(evaluator).setVersion(version))
                .setStatus(EvaluationStatus.EVALUATION_STATUS_SUCCEEDED).putMetrics(metric, value).setExamples(10).build();
    }

    static void sendEvaluation(EvaluationResult e) {
        Signed.send(Topics.EVALUATION_RESULTS, e.getGenomeId(), e.toByteArray());
    }

    /** Waits for a dead letter of this genome whose reason contains every part; returns the reason. */
    static String awaitDeadLetter(String genomeId, String... parts) {
        List<ConsumerRecord<String, byte[]>> dead = TopicProbe.await(TestKafka.bootstrapServers(), Topics.DEAD_LETTER,
                r -> genomeId.equals(r.key()) && List.of(parts).stream().allMatch(reason(r)::contains), 1, Duration.ofSeconds(30));
        assertEquals(1, dead.size(), "no dead letter for " + genomeId + " naming " + List.of(parts));
        return reason(dead.get(0));
    }

    static String reason(ConsumerRecord<String, byte[]> r) {
        Header h = r.headers().lastHeader("dead-letter-reason");
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    static LeaderboardEntry awaitEntry(String dataset, Genome g, java.util.function.Predicate<LeaderboardEntry> done) {
        try (LeaderboardStore store = Signed.store()) {
            LeaderboardEntry e = null;
            for (int i = 0; i < 300 && (e == null || !done.test(e)); i++) {
                LeaderboardServiceTest.sleep(100);
                e = store.get(dataset, GenomeCodec.id(g));
            }
            return e;
        }
    }

    @Test
    void evaluationsBreakingTheMetricContractsAreDeadLetteredAndChangeNothing() {
        String ds = "contract-test";
        Genome g = LeaderboardServiceTest.genome(8, "fa");
        LeaderboardServiceTest.publishTraining(ds, "p", g, 0.5);
        sendEvaluation(evaluation(ds, g, "accuracy", "1", "test_accuracy", 0.6));
        LeaderboardEntry before = awaitEntry(ds, g, e -> e.containsMetrics("test_accuracy"));
        sendEvaluation(evaluation(ds, g, "accuracy", "2", "test_accuracy", 1.7));
        sendEvaluation(evaluation(ds, g, "accuracy", "3", "test_accuracy", Double.NaN));
        assertTrue(awaitDeadLetter(GenomeCodec.id(g), "test_accuracy", "1.7").contains("range"));
        awaitDeadLetter(GenomeCodec.id(g), "test_accuracy", "NaN");
        assertEquals(before, awaitEntry(ds, g, e -> true), "a refused result leaves the entry as it was");
    }

    @Test
    void unsignedUnknownAndForgedRecordsAreRefused() {
        String ds = "signature-test";
        Genome unsigned = LeaderboardServiceTest.genome(10, "fa");
        Genome unknown = LeaderboardServiceTest.genome(12, "fa");
        Genome forged = LeaderboardServiceTest.genome(14, "fa");
        EvaluationResult a = evaluation(ds, unsigned, "accuracy", "1", "test_accuracy", 0.5);
        TopicProbe.send(TestKafka.bootstrapServers(), Topics.EVALUATION_RESULTS, a.getGenomeId(), a.toByteArray());
        awaitDeadLetter(a.getGenomeId(), "is not signed");
        EvaluationResult b = evaluation(ds, unknown, "accuracy", "1", "test_accuracy", 0.5);
        TopicProbe.send(TestKafka.bootstrapServers(), Topics.EVALUATION_RESULTS, b.getGenomeId(), b.toByteArray(),
                new RecordSigner("nobody", INTRUDER.getPrivate()).headers(Topics.EVALUATION_RESULTS, b.getGenomeId(), b.toByteArray()));
        awaitDeadLetter(b.getGenomeId(), "principal 'nobody'", "not registered");
        // signed by someone else's key under the evaluator principal's name
        EvaluationResult c = evaluation(ds, forged, "accuracy", "1", "test_accuracy", 0.5);
        TopicProbe.send(TestKafka.bootstrapServers(), Topics.EVALUATION_RESULTS, c.getGenomeId(), c.toByteArray(),
                new RecordSigner(Signed.EVALUATOR, INTRUDER.getPrivate()).headers(Topics.EVALUATION_RESULTS, c.getGenomeId(), c.toByteArray()));
        awaitDeadLetter(c.getGenomeId(), "does not verify", Signed.EVALUATOR);
        // each refusal counted under its own reason, for the dashboard's dead letters by reason
        ScrapedMetrics m = LeaderboardServiceTest.scrape();
        for (DeadLetterReason r : List.of(DeadLetterReason.UNSIGNED, DeadLetterReason.UNKNOWN_PRINCIPAL, DeadLetterReason.BAD_SIGNATURE)) {
            assertTrue(m.sum(Meter.DEAD_LETTERS.prometheusName(), Map.of(MeterLabels.TOPIC, Topics.EVALUATION_RESULTS,
                    MeterLabels.REASON, r.label())) >= 1, r + " not counted:\n" + m.text());
        }
    }

    @Test
    void evaluatorNamesAndMetricsBelongToTheirOwners() {
        String ds = "owner-test";
        Signed.register();
        try (LeaderboardStore store = Signed.store()) {
            store.registry().addPrincipal("intruder", INTRUDER.getPublic(), false);
            assertEquals(Signed.EVALUATOR, store.registry().registerEvaluator("accuracy", "intruder"), "the first owner stays");
            store.registry().registerEvaluator("intruder-eval", "intruder");
        }
        Genome g = LeaderboardServiceTest.genome(20, "fa");
        LeaderboardServiceTest.publishTraining(ds, "p", g, 0.5);
        sendEvaluation(evaluation(ds, g, "accuracy", "1", "test_accuracy", 0.6));
        awaitEntry(ds, g, e -> e.containsMetrics("test_accuracy"));
        // the forged higher version under our evaluator's name, signed by another registered principal
        EvaluationResult forged = evaluation(ds, g, "accuracy", "99", "test_accuracy", 0.99);
        TopicProbe.send(TestKafka.bootstrapServers(), Topics.EVALUATION_RESULTS, forged.getGenomeId(), forged.toByteArray(),
                new RecordSigner("intruder", INTRUDER.getPrivate()).headers(Topics.EVALUATION_RESULTS, forged.getGenomeId(), forged.toByteArray()));
        awaitDeadLetter(GenomeCodec.id(g), "evaluator 'accuracy' belongs to principal '" + Signed.EVALUATOR + "'", "'intruder'");
        // its own evaluator may not publish a metric another evaluator owns on this dataset
        EvaluationResult squat = evaluation(ds, g, "intruder-eval", "1", "test_accuracy", 0.98);
        TopicProbe.send(TestKafka.bootstrapServers(), Topics.EVALUATION_RESULTS, squat.getGenomeId(), squat.toByteArray(),
                new RecordSigner("intruder", INTRUDER.getPrivate()).headers(Topics.EVALUATION_RESULTS, squat.getGenomeId(), squat.toByteArray()));
        awaitDeadLetter(GenomeCodec.id(g), "metric 'test_accuracy'", "belongs to evaluator 'accuracy'");
        LeaderboardEntry e = awaitEntry(ds, g, x -> true);
        assertEquals(0.6, e.getMetricsOrThrow("test_accuracy"), 1e-12);
        assertEquals("1", e.getEvaluations(0).getEvaluator().getVersion());
        // evaluators of one principal may share a metric name ("both" is the test evaluator's too)
        sendEvaluation(evaluation(ds, g, "both", "1", "test_accuracy", 0.6));
        assertEquals(2, awaitEntry(ds, g, x -> x.getEvaluationsCount() == 2).getEvaluationsCount());
    }

    @Test
    void evaluationsWaitForTheirTrainingResultAndEntriesShowWhoProducedWhat() {
        String ds = "pending-test";
        Genome g = LeaderboardServiceTest.genome(24, "fa");
        Genome never = LeaderboardServiceTest.genome(26, "fa");
        sendEvaluation(evaluation(ds, g, "accuracy", "1", "test_accuracy", 0.7));
        sendEvaluation(evaluation(ds, never, "accuracy", "1", "test_accuracy", 0.9));
        LeaderboardServiceTest.sleep(2000);
        try (LeaderboardStore store = Signed.store()) {
            assertNull(store.get(ds, GenomeCodec.id(g)), "no entry before a trainer's result");
            assertNull(store.get(ds, GenomeCodec.id(never)));
        }
        // a training result signed by a principal that is not a trainer is refused
        Genome notTrainer = LeaderboardServiceTest.genome(28, "fa");
        var t = dev.mixrule.proto.TrainingResult.newBuilder().setGenomeId(GenomeCodec.id(notTrainer)).setDataset(ds)
                .setGenome(notTrainer).setStatus(dev.mixrule.proto.TrainingStatus.TRAINING_STATUS_SUCCEEDED).build();
        TopicProbe.send(TestKafka.bootstrapServers(), Topics.TRAINING_RESULTS, t.getGenomeId(), t.toByteArray(),
                new RecordSigner(Signed.EVALUATOR, Signed.EVALUATOR_KEYS.getPrivate()).headers(Topics.TRAINING_RESULTS, t.getGenomeId(), t.toByteArray()));
        awaitDeadLetter(t.getGenomeId(), "'" + Signed.EVALUATOR + "'", "not a trainer");
        LeaderboardServiceTest.publishTraining(ds, "p", g, 0.65);
        LeaderboardEntry e = awaitEntry(ds, g, x -> x.containsMetrics("test_accuracy"));
        assertNotNull(e);
        assertEquals(0.65, e.getMetricsOrThrow("valid_accuracy"), 1e-12);
        assertEquals(0.7, e.getMetricsOrThrow("test_accuracy"), 1e-12);
        assertEquals(Signed.TRAINER, e.getTrainingPrincipal());
        assertEquals(Signed.EVALUATOR, e.getEvaluations(0).getProducerPrincipal());
        Map<String, Object> json = EntryJson.of(e);
        assertEquals(Signed.TRAINER, json.get("training_principal"));
        assertEquals(Signed.EVALUATOR, ((List<Map<String, Object>>) json.get("evaluations")).get(0).get("principal"));
        try (LeaderboardStore store = Signed.store()) {
            assertNull(store.get(ds, GenomeCodec.id(never)), "an evaluation of a genome nobody trained makes no entry");
        }
    }
}
