package dev.mixrule.leaderboard;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mixrule.core.genome.GenomeCodec;
import dev.mixrule.core.messaging.Topics;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.EvaluatorId;
import dev.mixrule.proto.GetEntryRequest;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.LeaderboardGrpc;
import dev.mixrule.proto.ModelCost;
import dev.mixrule.proto.TopRequest;
import dev.mixrule.proto.TopResponse;
import dev.mixrule.proto.TrainingMetrics;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.proto.TrainingStatus;
import dev.mixrule.proto.WatchRequest;
import dev.mixrule.testkit.KafkaAndRedisResource;
import dev.mixrule.testkit.TestKafka;
import dev.mixrule.testkit.TopicProbe;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaAndRedisResource.class)
class LeaderboardServiceTest {
    static ManagedChannel channel;
    static LeaderboardGrpc.LeaderboardBlockingStub stub;

    @BeforeAll
    static void connect() {
        // the port the test server listens on: -Dquarkus.grpc.server.test-port moves it off a busy 59051
        int port = ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        stub = LeaderboardGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void disconnect() {
        channel.shutdownNow();
    }

    static Genome genome(int width, String rule) {
        return GenomeCodec.fromCanonical("chain:pad0|conv3x3-" + width + "-p1-relu@" + rule + "|maxpool2|dense-10@bp");
    }

    static void publishTraining(String dataset, String experiment, Genome g, double valid) {
        String id = GenomeCodec.id(g);
        TrainingResult t = TrainingResult.newBuilder().setGenomeId(id).setGenome(g).setCanonical(GenomeCodec.toCanonical(g))
                .setDataset(dataset).setExperimentId(experiment).setStatus(TrainingStatus.TRAINING_STATUS_SUCCEEDED)
                .setCheckpointUri("file:///tmp/" + id).setMetrics(TrainingMetrics.newBuilder().setValidAccuracy(valid))
                .setCost(ModelCost.newBuilder().setParameters(1000).setBpFraction(0.5)
                        .putRuleFractions("bp", 0.5).putRuleFractions(g.getChain().getLayers(0).getRule() == dev.mixrule.proto.LearningRule.LEARNING_RULE_BP ? "bp" : "fa", 0.5))
                .build();
        TopicProbe.send(TestKafka.bootstrapServers(), Topics.TRAINING_RESULTS, id, t.toByteArray());
    }

    static void publishEvaluation(String dataset, String experiment, Genome g, String version, double acc) {
        String id = GenomeCodec.id(g);
        EvaluationResult e = EvaluationResult.newBuilder().setGenomeId(id).setDataset(dataset).setExperimentId(experiment)
                .setEvaluator(EvaluatorId.newBuilder().setName("accuracy").setVersion(version))
                .setStatus(EvaluationStatus.EVALUATION_STATUS_SUCCEEDED).putMetrics("test_accuracy", acc)
                .setExamples(100).build();
        TopicProbe.send(TestKafka.bootstrapServers(), Topics.EVALUATION_RESULTS, id, e.toByteArray());
    }

    static TopResponse awaitTop(TopRequest req, int entries) throws InterruptedException {
        TopResponse r = null;
        for (int i = 0; i < 200; i++) {
            r = stub.top(req);
            if (r.getEntriesCount() >= entries) {
                return r;
            }
            Thread.sleep(100);
        }
        return r;
    }

    @Test
    void ranksEntriesByMetricAndCollapsesDuplicates() throws Exception {
        String ds = "rank-test";
        Genome a = genome(8, "fa"), b = genome(16, "fa"), c = genome(32, "bp");
        publishTraining(ds, "e1", a, 0.5);
        publishTraining(ds, "e1", b, 0.6);
        publishTraining(ds, "e2", c, 0.7);
        publishEvaluation(ds, "e1", a, "1", 0.80);
        publishEvaluation(ds, "e1", b, "1", 0.90);
        publishEvaluation(ds, "e2", c, "1", 0.85);
        publishEvaluation(ds, "e1", b, "1", 0.90); // redelivered duplicate

        TopResponse top = awaitTop(TopRequest.newBuilder().setDataset(ds).setK(10).build(), 3);
        assertEquals(3, top.getTotal(), "duplicates must collapse into one entry");
        List<String> ids = top.getEntriesList().stream().map(LeaderboardEntry::getGenomeId).toList();
        assertEquals(List.of(GenomeCodec.id(b), GenomeCodec.id(c), GenomeCodec.id(a)), ids);
        assertEquals(1, top.getEntries(0).getRank());
        assertEquals(List.of("fa"), top.getEntries(0).getRulesList().stream().filter(r -> !r.equals("bp")).toList());

        // a newer evaluator version replaces the old score, and the ranking follows
        publishEvaluation(ds, "e1", a, "2", 0.95);
        TopResponse after = null;
        for (int i = 0; i < 100; i++) {
            after = stub.top(TopRequest.newBuilder().setDataset(ds).setK(1).build());
            if (after.getEntries(0).getGenomeId().equals(GenomeCodec.id(a))) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(GenomeCodec.id(a), after.getEntries(0).getGenomeId());
        assertEquals(0.95, after.getEntries(0).getMetricsOrThrow("test_accuracy"), 1e-12);
        // an older version arriving late changes nothing
        publishEvaluation(ds, "e1", a, "1", 0.10);
        Thread.sleep(1500);
        assertEquals(0.95, stub.getEntry(GetEntryRequest.newBuilder().setDataset(ds).setGenomeId(GenomeCodec.id(a)).build())
                .getMetricsOrThrow("test_accuracy"), 1e-12);

        TopResponse e1 = stub.top(TopRequest.newBuilder().setDataset(ds).setExperimentId("e1").setK(10).build());
        assertEquals(2, e1.getTotal());
        TopResponse byValid = stub.top(TopRequest.newBuilder().setDataset(ds).setMetric("valid_accuracy").setK(1).build());
        assertEquals(GenomeCodec.id(c), byValid.getEntries(0).getGenomeId());
    }

    @Test
    void badArgumentsGetInvalidArgumentAndMissingEntriesNotFound() {
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub.top(TopRequest.newBuilder().build()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub.top(TopRequest.newBuilder().setDataset("x").setK(5000).build()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub.getEntry(GetEntryRequest.newBuilder().setDataset("x").setGenomeId("not-an-id").build()));
        assertCode(Status.Code.NOT_FOUND, () -> stub.getEntry(GetEntryRequest.newBuilder().setDataset("x").setGenomeId("0123456789abcdef").build()));
        Genome g = genome(64, "bp");
        publishTraining("metric-test", "e", g, 0.5);
        for (int i = 0; i < 100 && stub.top(TopRequest.newBuilder().setDataset("metric-test").setMetric("valid_accuracy").build()).getTotal() == 0; i++) {
            sleep(100);
        }
        StatusRuntimeException e = assertCode(Status.Code.INVALID_ARGUMENT,
                () -> stub.top(TopRequest.newBuilder().setDataset("metric-test").setMetric("no_such_metric").build()));
        assertTrue(e.getStatus().getDescription().contains("valid_accuracy"), e.getStatus().getDescription());
    }

    @Test
    void watchStreamsEveryChangeOfItsDataset() throws Exception {
        LinkedBlockingQueue<LeaderboardEntry> seen = new LinkedBlockingQueue<>();
        // connect first: when the service's consumers are warm (another test ran before), results are
        // applied within a few hundred ms, sooner than a cold channel's first call subscribes
        assertCode(Status.Code.NOT_FOUND, () -> stub.getEntry(GetEntryRequest.newBuilder().setDataset("watch-test")
                .setGenomeId("0123456789abcdef").build()));
        LeaderboardGrpc.newStub(channel).watch(WatchRequest.newBuilder().setDataset("watch-test").build(),
                new StreamObserver<>() {
                    public void onNext(LeaderboardEntry e) { seen.add(e); }
                    public void onError(Throwable t) { }
                    public void onCompleted() { }
                });
        Thread.sleep(1000);
        Genome g = genome(8, "bp");
        publishTraining("other-dataset", "e", g, 0.4);
        publishTraining("watch-test", "e", g, 0.4);
        LeaderboardEntry first = seen.poll(30, TimeUnit.SECONDS);
        assertEquals("watch-test", first.getDataset(), "other datasets are filtered out");
        assertEquals(0.4, first.getMetricsOrThrow("valid_accuracy"), 1e-12);
        assertTrue(!first.containsMetrics("test_accuracy"));

        publishEvaluation("watch-test", "e", g, "1", 0.77);
        LeaderboardEntry second = seen.poll(30, TimeUnit.SECONDS);
        assertEquals(0.77, second.getMetricsOrThrow("test_accuracy"), 1e-12);
        assertEquals(0.4, second.getMetricsOrThrow("valid_accuracy"), 1e-12, "the update carries the whole entry");
        assertTrue(second.getUpdatedAtMs() >= first.getUpdatedAtMs());

        publishEvaluation("watch-test", "e", g, "1", 0.77); // a duplicate changes nothing: no notification
        assertEquals(null, seen.poll(2, TimeUnit.SECONDS));
    }

    @Test
    void readinessIncludesRedis() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", org.hamcrest.Matchers.hasItem("redis"));
    }

    static StatusRuntimeException assertCode(Status.Code code, Runnable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().getDescription());
        return e;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
