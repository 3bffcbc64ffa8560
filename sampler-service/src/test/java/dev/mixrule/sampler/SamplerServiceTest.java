package dev.mixrule.sampler;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mixrule.core.genome.ChainPlan;
import dev.mixrule.core.genome.GenomeCodec;
import dev.mixrule.core.genome.InputShape;
import dev.mixrule.core.data.Datasets;
import dev.mixrule.core.messaging.Topics;
import dev.mixrule.proto.Candidate;
import dev.mixrule.proto.Experiment;
import dev.mixrule.proto.ExperimentSpec;
import dev.mixrule.proto.ExperimentState;
import dev.mixrule.proto.GetExperimentRequest;
import dev.mixrule.proto.SamplerGrpc;
import dev.mixrule.proto.TrainingConfig;
import dev.mixrule.testkit.KafkaAndRedisResource;
import dev.mixrule.testkit.TestKafka;
import dev.mixrule.testkit.TopicProbe;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaAndRedisResource.class)
class SamplerServiceTest {
    static ManagedChannel channel;
    static SamplerGrpc.SamplerBlockingStub stub;

    @BeforeAll
    static void connect() {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", 59061).usePlaintext().build();
        stub = SamplerGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void disconnect() {
        channel.shutdownNow();
    }

    @Test
    void anExperimentPublishesItsBudgetOfDistinctValidCandidates() throws Exception {
        Experiment e = stub.createExperiment(ExperimentSpec.newBuilder().setExperimentId("sampler-test")
                .setDataset("fashion-mnist").setBudget(12).addRules("fa").addRules("bp").setSeed(4)
                .setTraining(TrainingConfig.newBuilder().setEpochs(1)).build());
        assertEquals("random", e.getSpec().getStrategy());

        List<ConsumerRecord<String, byte[]>> got = TopicProbe.await(TestKafka.bootstrapServers(), Topics.CANDIDATES,
                r -> { try { return Candidate.parseFrom(r.value()).getExperimentId().equals("sampler-test"); }
                       catch (Exception ex) { return false; } }, 12, Duration.ofSeconds(30));
        Set<String> ids = new HashSet<>();
        InputShape shape = Datasets.shape("fashion-mnist");
        for (ConsumerRecord<String, byte[]> r : got) {
            Candidate c = Candidate.parseFrom(r.value());
            assertEquals("sampler-test", c.getExperimentId());
            assertEquals(r.key(), c.getGenomeId());
            assertEquals(GenomeCodec.id(c.getGenome()), c.getGenomeId(), "key must be the content hash");
            ChainPlan plan = ChainPlan.of(c.getGenome(), shape); // throws if invalid
            assertTrue(plan.rulesUsed().stream().allMatch(rule -> rule.equals("fa") || rule.equals("bp")));
            ids.add(c.getGenomeId());
        }
        assertEquals(12, ids.size(), "12 distinct genomes");

        Experiment running = stub.getExperiment(GetExperimentRequest.newBuilder().setExperimentId("sampler-test").build());
        assertEquals(ExperimentState.EXPERIMENT_STATE_RUNNING, running.getState(), "no results came back yet");
        assertEquals(12, running.getProposed());
        assertEquals(12, running.getInFlight());
    }

    @Test
    void theCellSpaceProposesValidNasBench201Genomes() throws Exception {
        stub.createExperiment(ExperimentSpec.newBuilder().setExperimentId("sampler-nb201").setSpace("nb201")
                .setDataset("cifar10").setBudget(5).setSeed(2).build());
        List<ConsumerRecord<String, byte[]>> got = TopicProbe.await(TestKafka.bootstrapServers(), Topics.CANDIDATES,
                r -> { try { return Candidate.parseFrom(r.value()).getExperimentId().equals("sampler-nb201"); }
                       catch (Exception e) { return false; } }, 5, Duration.ofSeconds(30));
        assertEquals(5, got.size());
        for (ConsumerRecord<String, byte[]> r : got) {
            Candidate c = Candidate.parseFrom(r.value());
            assertTrue(c.getGenome().hasNb201(), c.getCanonical());
            dev.mixrule.core.genome.GenomePlan.of(c.getGenome(), Datasets.shape("cifar10"));
            assertTrue(c.getCanonical().startsWith("nb201:"), c.getCanonical());
        }
    }

    static List<Candidate> candidatesOf(String experiment, int count, int seconds) throws Exception {
        List<Candidate> out = new java.util.ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : TopicProbe.await(TestKafka.bootstrapServers(), Topics.CANDIDATES,
                r -> { try { return Candidate.parseFrom(r.value()).getExperimentId().equals(experiment); }
                       catch (Exception ex) { return false; } }, count, Duration.ofSeconds(seconds))) {
            out.add(Candidate.parseFrom(r.value()));
        }
        return out;
    }

    static void reportResult(Candidate c, double accuracy, boolean fail) {
        dev.mixrule.proto.TrainingResult t = dev.mixrule.proto.TrainingResult.newBuilder().setGenomeId(c.getGenomeId())
                .setExperimentId(c.getExperimentId()).setDataset(c.getDataset()).setGenome(c.getGenome())
                .setStatus(fail ? dev.mixrule.proto.TrainingStatus.TRAINING_STATUS_FAILED : dev.mixrule.proto.TrainingStatus.TRAINING_STATUS_SUCCEEDED)
                .setFailureReason(fail ? "diverged" : "").build();
        TopicProbe.send(TestKafka.bootstrapServers(), Topics.TRAINING_RESULTS, c.getGenomeId(), t.toByteArray());
        if (!fail) {
            dev.mixrule.proto.EvaluationResult e = dev.mixrule.proto.EvaluationResult.newBuilder().setGenomeId(c.getGenomeId())
                    .setExperimentId(c.getExperimentId()).setDataset(c.getDataset())
                    .setEvaluator(dev.mixrule.proto.EvaluatorId.newBuilder().setName("accuracy").setVersion("1"))
                    .setStatus(dev.mixrule.proto.EvaluationStatus.EVALUATION_STATUS_SUCCEEDED).putMetrics("test_accuracy", accuracy).build();
            TopicProbe.send(TestKafka.bootstrapServers(), Topics.EVALUATION_RESULTS, c.getGenomeId(), e.toByteArray());
        }
    }

    @Test
    void evolutionNeverExceedsItsInFlightLimitAndFinishesOnResultsAndFailures() throws Exception {
        stub.createExperiment(ExperimentSpec.newBuilder().setExperimentId("sampler-evo").setDataset("fashion-mnist")
                .setStrategy("regularized-evolution").setBudget(6).setMaxInFlight(2).setSeed(3).build());
        List<Candidate> first = candidatesOf("sampler-evo", 3, 4);
        assertEquals(2, first.size(), "only max_in_flight candidates before any result");
        Experiment e = stub.getExperiment(GetExperimentRequest.newBuilder().setExperimentId("sampler-evo").build());
        assertEquals(2, e.getInFlight());

        java.util.Set<String> answered = new java.util.HashSet<>();
        int round = 0;
        while (answered.size() < 6 && round++ < 20) {
            List<Candidate> all = candidatesOf("sampler-evo", answered.size() + 2, 3);
            for (Candidate c : all) {
                if (answered.add(c.getGenomeId())) {
                    reportResult(c, 0.5 + answered.size() / 100.0, answered.size() == 3); // the third fails
                }
            }
            Thread.sleep(300);
            Experiment now = stub.getExperiment(GetExperimentRequest.newBuilder().setExperimentId("sampler-evo").build());
            assertTrue(now.getInFlight() <= 2, "in flight " + now.getInFlight());
        }
        Experiment done = null;
        for (int i = 0; i < 50; i++) {
            done = stub.getExperiment(GetExperimentRequest.newBuilder().setExperimentId("sampler-evo").build());
            if (done.getState() == ExperimentState.EXPERIMENT_STATE_COMPLETED) {
                break;
            }
            Thread.sleep(200);
        }
        assertEquals(ExperimentState.EXPERIMENT_STATE_COMPLETED, done.getState());
        assertEquals(6, done.getProposed());
        assertEquals(6, new java.util.HashSet<>(done.getGenomeIdsList()).size(), "distinct genomes");
        assertEquals(6, done.getCompleted());
        assertEquals(1, done.getFailed());
    }

    @Test
    void invalidExperimentsAreRefusedNamingTheField() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.createExperiment(
                ExperimentSpec.newBuilder().setDataset("imagenet-9000").setBudget(0).addRules("magic").setStrategy("hill-climb").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        String d = e.getStatus().getDescription();
        assertTrue(d.contains("dataset") && d.contains("budget") && d.contains("rules") && d.contains("strategy"), d);

        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class,
                () -> stub.getExperiment(GetExperimentRequest.newBuilder().setExperimentId("nope").build())).getStatus().getCode());
    }

    @Test
    void healthEndpointsAnswer() {
        given().when().get("/q/health/ready").then().statusCode(200);
    }
}
