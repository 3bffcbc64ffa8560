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

        Experiment done = stub.getExperiment(GetExperimentRequest.newBuilder().setExperimentId("sampler-test").build());
        assertEquals(ExperimentState.EXPERIMENT_STATE_COMPLETED, done.getState());
        assertEquals(12, done.getProposed());
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

    @Test
    void invalidExperimentsAreRefusedNamingTheField() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.createExperiment(
                ExperimentSpec.newBuilder().setDataset("imagenet-9000").setBudget(0).addRules("magic").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        String d = e.getStatus().getDescription();
        assertTrue(d.contains("dataset") && d.contains("budget") && d.contains("rules"), d);

        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class,
                () -> stub.getExperiment(GetExperimentRequest.newBuilder().setExperimentId("nope").build())).getStatus().getCode());
    }

    @Test
    void healthEndpointsAnswer() {
        given().when().get("/q/health/ready").then().statusCode(200);
    }
}
