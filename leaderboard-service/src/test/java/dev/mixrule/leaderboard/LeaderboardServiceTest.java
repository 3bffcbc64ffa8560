package dev.mixrule.leaderboard;

import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.messaging.Topics;
import dev.mixrule.kernel.telemetry.Meter;
import dev.mixrule.kernel.telemetry.MeterLabels;
import dev.mixrule.proto.DatasetStats;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.EvaluatorId;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.EpochMetrics;
import dev.mixrule.proto.GetEntriesRequest;
import dev.mixrule.proto.GetEntriesResponse;
import dev.mixrule.proto.EntryView;
import dev.mixrule.proto.GetEntryRequest;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.LeaderboardGrpc;
import dev.mixrule.proto.ModelCost;
import dev.mixrule.proto.ObjectiveSpec;
import dev.mixrule.proto.ParetoRequest;
import dev.mixrule.proto.ParetoResponse;
import dev.mixrule.proto.Progress;
import dev.mixrule.proto.StatsRequest;
import dev.mixrule.proto.TopRequest;
import dev.mixrule.proto.TopResponse;
import dev.mixrule.proto.TrainingMetrics;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.proto.TrainingStatus;
import dev.mixrule.proto.WatchRequest;
import dev.mixrule.testkit.KafkaAndRedisResource;
import dev.mixrule.testkit.ScrapedMetrics;
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
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(KafkaAndRedisResource.class)
class LeaderboardServiceTest {
    static ManagedChannel channel;
    static LeaderboardGrpc.LeaderboardBlockingStub stub;

    @BeforeAll
    static void connect() {
        // the port the test server listens on: -Dquarkus.grpc.server.test-port moves it off a busy 59051
        int port = ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        channel = dev.mixrule.testkit.TestTls.channel(port, false); // reads: TLS, no token needed by default
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
        Signed.send(Topics.TRAINING_RESULTS, id, t.toByteArray());
    }

    static void publishEvaluation(String dataset, String experiment, Genome g, String version, double acc) {
        String id = GenomeCodec.id(g);
        EvaluationResult e = EvaluationResult.newBuilder().setGenomeId(id).setDataset(dataset).setExperimentId(experiment)
                .setEvaluator(EvaluatorId.newBuilder().setName("accuracy").setVersion(version))
                .setStatus(EvaluationStatus.EVALUATION_STATUS_SUCCEEDED).putMetrics("test_accuracy", acc)
                .setExamples(100).build();
        Signed.send(Topics.EVALUATION_RESULTS, id, e.toByteArray());
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

        TopRequest byTest = TopRequest.newBuilder().setDataset(ds).setMetric("test_accuracy").setK(10).build();
        TopResponse top = awaitTop(byTest, 3);
        assertEquals(3, top.getTotal(), "duplicates must collapse into one entry");
        List<String> ids = top.getEntriesList().stream().map(LeaderboardEntry::getGenomeId).toList();
        assertEquals(List.of(GenomeCodec.id(b), GenomeCodec.id(c), GenomeCodec.id(a)), ids, "test accuracy still ranks when asked, to report");
        assertEquals(1, top.getEntries(0).getRank());
        assertEquals(List.of("fa"), top.getEntries(0).getRulesList().stream().filter(r -> !r.equals("bp")).toList());
        // unasked, the ranking chooses by validation accuracy: c, b, a (test accuracy would say b, c, a)
        TopResponse byDefault = stub.top(TopRequest.newBuilder().setDataset(ds).setK(10).build());
        assertEquals(List.of(GenomeCodec.id(c), GenomeCodec.id(b), GenomeCodec.id(a)),
                byDefault.getEntriesList().stream().map(LeaderboardEntry::getGenomeId).toList());

        // the summary view: the same listing without genome, training curves, evaluations and checkpoint
        TopResponse summary = stub.top(byTest.toBuilder().setView(EntryView.ENTRY_VIEW_SUMMARY).build());
        assertEquals(ids, summary.getEntriesList().stream().map(LeaderboardEntry::getGenomeId).toList());
        for (int i = 0; i < 3; i++) {
            LeaderboardEntry full = top.getEntries(i);
            assertTrue(full.hasGenome() && full.getEvaluationsCount() > 0, "the default view is the full entry");
            assertEquals(full.toBuilder().clearGenome().clearTraining().clearEvaluations().clearCheckpointUri()
                    .clearCheckpointSha256().build(), summary.getEntries(i));
        }
        assertEquals(top, stub.top(byTest.toBuilder().setView(EntryView.ENTRY_VIEW_FULL).build()), "FULL is what unspecified answers");

        // a newer evaluator version replaces the old score, and the ranking follows
        publishEvaluation(ds, "e1", a, "2", 0.95);
        TopResponse after = null;
        for (int i = 0; i < 100; i++) {
            after = stub.top(byTest.toBuilder().setK(1).build());
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
        assertEquals(GenomeCodec.id(b), e1.getEntries(0).getGenomeId(), "e1's best by valid accuracy");

        ScrapedMetrics m = scrape();
        assertTrue(m.sum(Meter.LEADERBOARD_WRITES.prometheusName(), Map.of(MeterLabels.TOPIC, Topics.TRAINING_RESULTS,
                MeterLabels.OUTCOME, "applied")) >= 3, m.text());
        assertTrue(m.sum(Meter.LEADERBOARD_WRITES.prometheusName(), Map.of(MeterLabels.TOPIC, Topics.EVALUATION_RESULTS,
                MeterLabels.OUTCOME, "unchanged")) >= 1, "the late old version changes nothing");
        assertTrue(m.sum(Meter.LEADERBOARD_QUERY_TIME.prometheusName() + "_count",
                Map.of(MeterLabels.METHOD, "Top", MeterLabels.STATUS, "OK")) >= 3);
        assertTrue(m.sum(Meter.LEADERBOARD_QUERY_TIME.prometheusName() + "_bucket",
                Map.of(MeterLabels.METHOD, "GetEntry", MeterLabels.STATUS, "OK", "le", "+Inf")) >= 1, "histogram buckets for p99");
    }

    static ScrapedMetrics scrape() {
        return new ScrapedMetrics(given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    @Test
    void badArgumentsGetInvalidArgumentAndMissingEntriesNotFound() {
        Genome g = genome(64, "bp");
        publishTraining("metric-test", "e", g, 0.5);
        for (int i = 0; i < 100 && stats("metric-test") == null; i++) {
            sleep(100);
        }
        assertInvalid("dataset", () -> stub.top(TopRequest.newBuilder().build()));
        assertInvalid("unknown dataset 'nowhere'", () -> stub.top(TopRequest.newBuilder().setDataset("nowhere").build()));
        assertInvalid("k must be in 1..1000, got 5000", () -> stub.top(TopRequest.newBuilder().setDataset("metric-test").setK(5000).build()));
        assertInvalid("k must be in 1..1000, got -1", () -> stub.top(TopRequest.newBuilder().setDataset("metric-test").setK(-1).build()));
        assertInvalid("experiment_id", () -> stub.top(TopRequest.newBuilder().setDataset("metric-test").setExperimentId("Bad Name").build()));
        assertInvalid("view must be ENTRY_VIEW_FULL or ENTRY_VIEW_SUMMARY, got the unknown value 9",
                () -> stub.top(TopRequest.newBuilder().setDataset("metric-test").setViewValue(9).build()));
        StatusRuntimeException e = assertInvalid("unknown metric 'no_such_metric'",
                () -> stub.top(TopRequest.newBuilder().setDataset("metric-test").setMetric("no_such_metric").build()));
        assertTrue(e.getStatus().getDescription().contains("valid_accuracy"), "names the known metrics: " + e.getStatus().getDescription());

        assertInvalid("genome_id must be 16 lower-case hex digits, got 'not-an-id'",
                () -> stub.getEntry(GetEntryRequest.newBuilder().setDataset("metric-test").setGenomeId("not-an-id").build()));
        assertInvalid("genome_id", () -> stub.getEntry(GetEntryRequest.newBuilder().setDataset("metric-test").setGenomeId("0123456789ABCDEF").build()));
        assertInvalid("unknown dataset 'x'", () -> stub.getEntry(GetEntryRequest.newBuilder().setDataset("x").setGenomeId("0123456789abcdef").build()));
        assertCode(Status.Code.NOT_FOUND, () -> stub.getEntry(GetEntryRequest.newBuilder().setDataset("metric-test").setGenomeId("0123456789abcdef").build()));

        assertInvalid("unknown objective metric 'valid_apgd_accuracy'", () -> stub.pareto(ParetoRequest.newBuilder().setDataset("metric-test").build()));
        assertInvalid("listed twice", () -> stub.pareto(ParetoRequest.newBuilder().setDataset("metric-test")
                .addObjectives(ObjectiveSpec.newBuilder().setMetric("valid_accuracy")).addObjectives(ObjectiveSpec.newBuilder().setMetric("valid_accuracy")).build()));
        assertInvalid("limit must be in 1..1000, got 1001", () -> stub.pareto(ParetoRequest.newBuilder().setDataset("metric-test")
                .addObjectives(ObjectiveSpec.newBuilder().setMetric("valid_accuracy")).setLimit(1001).build()));
        assertInvalid("layers must be in 1..100, got 101", () -> stub.pareto(ParetoRequest.newBuilder().setDataset("metric-test")
                .addObjectives(ObjectiveSpec.newBuilder().setMetric("valid_accuracy")).setLayers(101).build()));
        assertInvalid("unknown dataset 'nowhere'", () -> stub.stats(StatsRequest.newBuilder().setDataset("nowhere").build()));
        assertInvalid("unknown metric 'nope'", () -> stub.stats(StatsRequest.newBuilder().setDataset("metric-test").setMetric("nope").build()));
        assertInvalid("dataset must match", () -> stub.watch(WatchRequest.newBuilder().setDataset("Not/A/Name").build()).hasNext());
        assertTrue(scrape().sum(Meter.LEADERBOARD_QUERY_TIME.prometheusName() + "_count",
                Map.of(MeterLabels.METHOD, "Top", MeterLabels.STATUS, "INVALID_ARGUMENT")) >= 5, "refused calls are timed too");
    }

    @Test
    void paretoFrontFollowsUpdatesThatDominateEarlierPoints() throws Exception {
        String ds = "pareto-test";
        Genome a = genome(8, "fa"), b = genome(16, "fa"), c = genome(32, "bp");
        publishRobustness(ds, "e1", a, "1", 0.80, 0.30);
        publishRobustness(ds, "e1", b, "1", 0.70, 0.40);
        publishRobustness(ds, "e2", c, "1", 0.60, 0.20);
        ParetoRequest twoLayers = ParetoRequest.newBuilder().setDataset(ds).setLayers(3).build();
        Map<String, Integer> before = Map.of(GenomeCodec.id(a), 0, GenomeCodec.id(b), 0, GenomeCodec.id(c), 1);
        ParetoResponse r = awaitPareto(twoLayers, resp -> resp.getSorted() == 3 && layers(resp).equals(before));
        assertEquals(before, layers(r));
        assertTrue(r.getMaintained());
        assertEquals("+valid_accuracy,+valid_apgd_accuracy", r.getMetricSet(), "the default front is over validation metrics");

        publishRobustness(ds, "e2", c, "2", 0.90, 0.50); // c now dominates both
        Map<String, Integer> dominated = Map.of(GenomeCodec.id(c), 0, GenomeCodec.id(a), 1, GenomeCodec.id(b), 1);
        r = awaitPareto(twoLayers, resp -> layers(resp).equals(dominated)); // training and evaluation may land apart
        assertEquals(dominated, layers(r));
        ParetoResponse front = stub.pareto(ParetoRequest.newBuilder().setDataset(ds).build());
        assertEquals(List.of(GenomeCodec.id(c)), front.getPointsList().stream().map(p -> p.getEntry().getGenomeId()).toList());
        // per experiment: e1 alone still has both of its entries on its front
        ParetoResponse e1 = stub.pareto(ParetoRequest.newBuilder().setDataset(ds).setExperimentId("e1").build());
        assertEquals(Map.of(GenomeCodec.id(a), 0, GenomeCodec.id(b), 0), layers(e1));
        // a set that is not kept is sorted on request; minimising test accuracy turns the order around
        ParetoResponse worst = stub.pareto(ParetoRequest.newBuilder().setDataset(ds)
                .addObjectives(ObjectiveSpec.newBuilder().setMetric("test_accuracy").setMinimize(true)).build());
        assertEquals(false, worst.getMaintained());
        assertEquals(List.of(GenomeCodec.id(b)), worst.getPointsList().stream().map(p -> p.getEntry().getGenomeId()).toList());
    }

    @Test
    void statsCountEachGenomeOnceAndTellFailures() throws Exception {
        String ds = "stats-test";
        Genome a = genome(8, "fa"), b = genome(16, "bp"), failed = genome(24, "fa");
        publishTraining(ds, "s1", a, 0.5);
        publishEvaluation(ds, "s1", a, "1", 0.61);
        publishTraining(ds, "s1", b, 0.6);
        publishTraining(ds, "s1", b, 0.6); // duplicate
        TrainingResult f = TrainingResult.newBuilder().setGenomeId(GenomeCodec.id(failed)).setDataset(ds).setExperimentId("s1")
                .setStatus(TrainingStatus.TRAINING_STATUS_FAILED).setFailureReason("diverged").build();
        Signed.send(Topics.TRAINING_RESULTS, GenomeCodec.id(failed), f.toByteArray());
        // "best" is by valid accuracy unless asked: b (0.6), although only a has a test accuracy (0.61)
        Progress expected = Progress.newBuilder().setEntries(2).setTrained(2).setEvaluated(1).setFailed(1)
                .setBestGenomeId(GenomeCodec.id(b)).setBestValue(0.6).build();
        DatasetStats s = null;
        for (int i = 0; i < 200; i++) {
            s = stats(ds);
            if (s != null && s.getProgress().equals(expected)) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(expected, s.getProgress());
        assertEquals(1, s.getExperimentsCount());
        assertEquals("s1", s.getExperiments(0).getExperimentId());
        assertEquals(expected, s.getExperiments(0).getProgress());
        publishEvaluation(ds, "s1", a, "1", 0.61); // redelivered: nothing moves
        Thread.sleep(1000);
        assertEquals(expected, stats(ds).getProgress());
    }

    static DatasetStats stats(String dataset) {
        try {
            return stub.stats(StatsRequest.newBuilder().setDataset(dataset).build()).getDatasets(0);
        } catch (StatusRuntimeException e) {
            return null; // INVALID_ARGUMENT until the first result names the dataset
        }
    }

    /** Trained to valid accuracy `clean`, evaluated with APGD accuracy `apgd` on a validation subset (and test metrics beside). */
    static void publishRobustness(String dataset, String experiment, Genome g, String version, double clean, double apgd) {
        String id = GenomeCodec.id(g);
        publishTraining(dataset, experiment, g, clean);
        EvaluationResult e = EvaluationResult.newBuilder().setGenomeId(id).setDataset(dataset).setExperimentId(experiment)
                .setEvaluator(EvaluatorId.newBuilder().setName("both").setVersion(version))
                .setStatus(EvaluationStatus.EVALUATION_STATUS_SUCCEEDED).putMetrics("test_accuracy", clean)
                .putMetrics("apgd_accuracy", apgd).putMetrics("valid_apgd_accuracy", apgd).build();
        Signed.send(Topics.EVALUATION_RESULTS, id, e.toByteArray());
    }

    static ParetoResponse awaitPareto(ParetoRequest req, java.util.function.Predicate<ParetoResponse> done) throws InterruptedException {
        ParetoResponse r = null;
        for (int i = 0; i < 200; i++) {
            try {
                r = stub.pareto(req);
                if (done.test(r)) {
                    return r;
                }
            } catch (StatusRuntimeException e) {
                // INVALID_ARGUMENT until the dataset and its metrics exist
            }
            Thread.sleep(100);
        }
        return r;
    }

    static Map<String, Integer> layers(ParetoResponse r) {
        Map<String, Integer> out = new java.util.HashMap<>();
        r.getPointsList().forEach(p -> out.put(p.getEntry().getGenomeId(), p.getLayer()));
        return out;
    }

    static StatusRuntimeException assertInvalid(String messagePart, Runnable call) {
        StatusRuntimeException e = assertCode(Status.Code.INVALID_ARGUMENT, call);
        assertTrue(e.getStatus().getDescription().contains(messagePart),
                "expected the message to name '" + messagePart + "': " + e.getStatus().getDescription());
        return e;
    }

    @Test
    void watchStreamsEveryChangeOfItsDataset() throws Exception {
        LinkedBlockingQueue<LeaderboardEntry> seen = new LinkedBlockingQueue<>();
        // connect first: when the service's consumers are warm (another test ran before), results are
        // applied within a few hundred ms, sooner than a cold channel's first call subscribes
        // (the dataset has no results yet, so the call is refused as an unknown dataset)
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub.getEntry(GetEntryRequest.newBuilder().setDataset("watch-test")
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

        // successive versions arrive in the order they were applied
        for (int v = 2; v <= 6; v++) {
            publishEvaluation("watch-test", "e", g, String.valueOf(v), 0.70 + v / 100.0);
        }
        // (two versions applied before the first is read may come as one: the newer)
        double last = 0;
        while (Math.abs(last - 0.76) > 1e-9) {
            LeaderboardEntry next = seen.poll(30, TimeUnit.SECONDS);
            assertTrue(next != null, "no update after " + last);
            double acc = next.getMetricsOrThrow("test_accuracy");
            assertTrue(acc > last, "went back from " + last + " to " + acc);
            last = acc;
        }
        assertEquals(0.76, last, 1e-9);
    }

    @Test
    void getEntriesAnswersAPageOfGenomesInRequestOrderAndNamesTheFailedOnes() {
        String ds = "batch-test";
        Genome a = genome(8, "fa"), b = genome(16, "fa"), failed = genome(32, "fa"), pending = genome(64, "fa");
        String ia = GenomeCodec.id(a), ib = GenomeCodec.id(b), ifailed = GenomeCodec.id(failed), ipending = GenomeCodec.id(pending);
        Signed.send(Topics.TRAINING_RESULTS, ia, TrainingResult.newBuilder().setGenomeId(ia).setGenome(a).setDataset(ds)
                .setExperimentId("x").setStatus(TrainingStatus.TRAINING_STATUS_SUCCEEDED).setCheckpointUri("file:///tmp/" + ia)
                .setMetrics(TrainingMetrics.newBuilder().setValidAccuracy(0.6).setEpochsCompleted(2)
                        .addEpochs(EpochMetrics.newBuilder().setEpoch(1).setValidAccuracy(0.4))
                        .addEpochs(EpochMetrics.newBuilder().setEpoch(2).setValidAccuracy(0.6))).build().toByteArray());
        publishTraining(ds, "x", b, 0.7);
        Signed.send(Topics.TRAINING_RESULTS, ifailed, TrainingResult.newBuilder().setGenomeId(ifailed).setGenome(failed).setDataset(ds)
                .setExperimentId("x").setStatus(TrainingStatus.TRAINING_STATUS_FAILED).setFailureReason("out of memory").build().toByteArray());
        GetEntriesRequest req = GetEntriesRequest.newBuilder().setDataset(ds).addGenomeIds(ipending).addGenomeIds(ib).addGenomeIds(ia)
                .addGenomeIds(ifailed).addGenomeIds(ia).build();
        GetEntriesResponse r = null;
        for (int i = 0; i < 200 && (r == null || r.getEntriesCount() < 2 || r.getFailedGenomeIdsCount() < 1); i++) {
            sleep(r == null ? 0 : 100);
            r = stub.getEntries(req);
        }
        assertEquals(List.of(ib, ia), r.getEntriesList().stream().map(LeaderboardEntry::getGenomeId).toList(),
                "entries in request order, each once, the pending genome absent");
        assertEquals(List.of(ifailed), r.getFailedGenomeIdsList());
        assertEquals(List.of(0.4, 0.6), r.getEntries(1).getTraining().getEpochsList().stream().map(EpochMetrics::getValidAccuracy).toList(),
                "the learning curve comes with the entry");
        assertEquals(0, stub.getEntries(GetEntriesRequest.newBuilder().setDataset("no-results-yet").addGenomeIds(ia).build())
                .getEntriesCount(), "a dataset without results has no entries yet (not an error)");

        assertInvalid("genome_ids must hold 1..1000 ids, got 0", () -> stub.getEntries(GetEntriesRequest.newBuilder().setDataset(ds).build()));
        GetEntriesRequest.Builder tooMany = GetEntriesRequest.newBuilder().setDataset(ds);
        for (int i = 0; i < 1001; i++) {
            tooMany.addGenomeIds(ia);
        }
        assertInvalid("got 1001", () -> stub.getEntries(tooMany.build()));
        assertInvalid("genome_ids[1] must be 16 lower-case hex digits, got 'nope'",
                () -> stub.getEntries(GetEntriesRequest.newBuilder().setDataset(ds).addGenomeIds(ia).addGenomeIds("nope").build()));
        assertInvalid("dataset must match", () -> stub.getEntries(GetEntriesRequest.newBuilder().setDataset("Bad Name").addGenomeIds(ia).build()));
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
