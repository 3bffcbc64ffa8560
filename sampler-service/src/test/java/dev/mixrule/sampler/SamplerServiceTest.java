package dev.mixrule.sampler;

import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.genome.ChainPlan;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.genome.InputShape;
import dev.mixrule.kernel.messaging.Topics;
import dev.mixrule.kernel.telemetry.Meter;
import dev.mixrule.kernel.telemetry.MeterLabels;
import dev.mixrule.proto.Candidate;
import dev.mixrule.proto.Experiment;
import dev.mixrule.proto.ExperimentSpec;
import dev.mixrule.proto.ExperimentState;
import dev.mixrule.proto.GetExperimentRequest;
import dev.mixrule.proto.SamplerGrpc;
import dev.mixrule.proto.TrainingConfig;
import dev.mixrule.testkit.KafkaAndRedisResource;
import dev.mixrule.testkit.ScrapedMetrics;
import dev.mixrule.testkit.TestTls;
import dev.mixrule.testkit.TestKafka;
import dev.mixrule.testkit.TopicProbe;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import dev.mixrule.proto.ListExperimentsRequest;
import dev.mixrule.proto.StopExperimentRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(value = KafkaAndRedisResource.class,
        initArgs = @io.quarkus.test.common.ResourceArg(name = "redis-role", value = "sampler"))
class SamplerServiceTest {
    static ManagedChannel channel;
    static SamplerGrpc.SamplerBlockingStub stub;

    @BeforeAll
    static void connect() {
        channel = TestTls.channel(port(), true);
        stub = SamplerGrpc.newBlockingStub(channel);
    }

    /** The test server's gRPC port (the test resource picks a free one). */
    static int port() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
    }

    @AfterAll
    static void disconnect() {
        channel.shutdownNow();
    }

    @Test
    void changingExperimentsNeedsTheTokenOverTlsWhileReadsNeedOnlyTls() {
        ManagedChannel noToken = TestTls.channel(port(), false);
        ManagedChannel plain = ManagedChannelBuilder.forAddress("127.0.0.1", port()).usePlaintext().build();
        try {
            var open = SamplerGrpc.newBlockingStub(noToken);
            StatusRuntimeException denied = assertThrows(StatusRuntimeException.class, () -> open.createExperiment(
                    ExperimentSpec.newBuilder().setExperimentId("no-token").setDataset("fashion-mnist").setBudget(1)
                            .addRules("bp").build()));
            assertEquals(io.grpc.Status.Code.UNAUTHENTICATED, denied.getStatus().getCode());
            assertTrue(denied.getStatus().getDescription().contains("passwords.properties"), denied.getStatus().getDescription());
            assertThrows(StatusRuntimeException.class, () -> open.stopExperiment(StopExperimentRequest.newBuilder()
                    .setExperimentId("no-token").build()));
            open.listExperiments(ListExperimentsRequest.getDefaultInstance()); // reads: TLS is enough
            StatusRuntimeException clear = assertThrows(StatusRuntimeException.class, () -> SamplerGrpc.newBlockingStub(plain)
                    .withDeadlineAfter(5, java.util.concurrent.TimeUnit.SECONDS).listExperiments(ListExperimentsRequest.getDefaultInstance()));
            assertEquals(io.grpc.Status.Code.UNAVAILABLE, clear.getStatus().getCode(), "plain text must not reach the server");
        } finally {
            noToken.shutdownNow();
            plain.shutdownNow();
        }
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
    void anExactGradientCapHoldsForEveryProposalAndAnUnreachableOneIsRefused() throws Exception {
        stub.createExperiment(ExperimentSpec.newBuilder().setExperimentId("sampler-capped").setDataset("fashion-mnist")
                .setBudget(10).setUniformRules(true).addRules("fa").addRules("dfa").setMaxExactGradientFraction(0.05).setSeed(9).build());
        InputShape shape = Datasets.shape("fashion-mnist");
        List<Candidate> got = candidatesOf("sampler-capped", 10, 30);
        assertEquals(10, got.size());
        for (Candidate c : got) {
            double exact = dev.mixrule.kernel.genome.GenomePlan.of(c.getGenome(), shape).exactGradientFraction();
            assertTrue(exact <= 0.05, c.getCanonical() + " has exact_gradient_fraction " + exact);
        }
        for (double cap : new double[] {1e-9, 1.5, -0.1}) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.createExperiment(ExperimentSpec.newBuilder()
                    .setDataset("fashion-mnist").setBudget(3).setMaxExactGradientFraction(cap).build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().contains("max_exact_gradient_fraction"), e.getStatus().getDescription());
        }
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
            dev.mixrule.kernel.genome.GenomePlan.of(c.getGenome(), Datasets.shape("cifar10"));
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
                ExperimentSpec.newBuilder().setDataset("imagenet-9000").setBudget(-1).addRules("magic").setStrategy("hill-climb").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        String d = e.getStatus().getDescription();
        assertTrue(d.contains("dataset") && d.contains("budget") && d.contains("rules") && d.contains("strategy"), d);

        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class,
                () -> stub.getExperiment(GetExperimentRequest.newBuilder().setExperimentId("nope").build())).getStatus().getCode());

        String endless = assertThrows(StatusRuntimeException.class, () -> stub.createExperiment(ExperimentSpec.newBuilder()
                .setDataset("fashion-mnist").setBudget(0).setEarlyStopping(dev.mixrule.proto.EarlyStoppingSpec.newBuilder()
                        .setRule("hyperband")).setCandidateTimeoutSeconds(-1).build())).getStatus().getDescription();
        assertTrue(endless.contains("max_in_flight") && endless.contains("early_stopping") && endless.contains("hyperband")
                && endless.contains("candidate_timeout_seconds"), endless);
    }

    static Experiment get(String id) {
        return stub.getExperiment(GetExperimentRequest.newBuilder().setExperimentId(id).build());
    }

    static Experiment awaitState(String id, ExperimentState state, int seconds) throws InterruptedException {
        Experiment e = get(id);
        for (int i = 0; i < seconds * 10 && e.getState() != state; i++) {
            Thread.sleep(100);
            e = get(id);
        }
        assertEquals(state, e.getState(), e.toString());
        return e;
    }

    @Test
    void experimentsCanBeListedStoppedAndResumed() throws Exception {
        stub.createExperiment(ExperimentSpec.newBuilder().setExperimentId("sampler-stop").setDataset("fashion-mnist")
                .setBudget(5).setMaxInFlight(2).setSeed(8).build());
        List<Candidate> first = candidatesOf("sampler-stop", 2, 20);
        Experiment stopped = stub.stopExperiment(dev.mixrule.proto.StopExperimentRequest.newBuilder().setExperimentId("sampler-stop").build());
        assertEquals(ExperimentState.EXPERIMENT_STATE_STOPPED, stopped.getState());
        assertEquals(stopped, stub.stopExperiment(dev.mixrule.proto.StopExperimentRequest.newBuilder()
                .setExperimentId("sampler-stop").build()).toBuilder().setUpdatedAtMs(stopped.getUpdatedAtMs()).build(), "idempotent");
        first.forEach(c -> reportResult(c, 0.6, false));
        Thread.sleep(1500);
        Experiment idle = get("sampler-stop");
        assertEquals(2, idle.getCompleted(), "results of candidates in flight still count while stopped");
        assertEquals(2, idle.getProposed(), "a stopped experiment proposes nothing");

        var listed = stub.listExperiments(dev.mixrule.proto.ListExperimentsRequest.newBuilder()
                .setState(ExperimentState.EXPERIMENT_STATE_STOPPED).build()).getExperimentsList();
        assertTrue(listed.stream().anyMatch(e -> e.getSpec().getExperimentId().equals("sampler-stop")), listed.toString());
        assertTrue(listed.stream().allMatch(e -> e.getState() == ExperimentState.EXPERIMENT_STATE_STOPPED && e.getGenomeIdsCount() == 0));

        assertEquals(ExperimentState.EXPERIMENT_STATE_RUNNING, stub.resumeExperiment(
                dev.mixrule.proto.ResumeExperimentRequest.newBuilder().setExperimentId("sampler-stop").build()).getState());
        java.util.Set<String> answered = new java.util.HashSet<>();
        first.forEach(c -> answered.add(c.getGenomeId()));
        for (int round = 0; round < 20 && answered.size() < 5; round++) {
            for (Candidate c : candidatesOf("sampler-stop", answered.size() + 1, 3)) {
                if (answered.add(c.getGenomeId())) {
                    reportResult(c, 0.7, false);
                }
            }
        }
        Experiment done = awaitState("sampler-stop", ExperimentState.EXPERIMENT_STATE_COMPLETED, 20);
        assertEquals(5, done.getProposed());
        assertEquals(5, done.getCompleted());

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.stopExperiment(
                dev.mixrule.proto.StopExperimentRequest.newBuilder().setExperimentId("sampler-stop").build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("completed"), e.getStatus().getDescription());
        assertEquals(Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> stub.resumeExperiment(
                dev.mixrule.proto.ResumeExperimentRequest.newBuilder().setExperimentId("no-such").build())).getStatus().getCode());
    }

    @Test
    void aGenomeTrainedBeforeWithTheSameRecipeIsToldItsKnownScoreAndSpendsBudget() throws Exception {
        ExperimentSpec spec = ExperimentSpec.newBuilder().setDataset("fashion-mnist").setBudget(3).setSeed(21)
                .addRules("fa").addRules("usf").setTraining(TrainingConfig.newBuilder().setEpochs(1).setTrainLimit(500)).build();
        stub.createExperiment(spec.toBuilder().setExperimentId("sampler-known-a").build());
        List<Candidate> a = candidatesOf("sampler-known-a", 3, 20);
        a.forEach(c -> reportResult(c, 0.8, false));
        awaitState("sampler-known-a", ExperimentState.EXPERIMENT_STATE_COMPLETED, 20);
        Set<String> ids = new HashSet<>();
        a.forEach(c -> ids.add(c.getGenomeId()));

        // the same seed draws the same first genomes: with the same recipe they are known now
        stub.createExperiment(spec.toBuilder().setExperimentId("sampler-known-b").setBudget(5).build());
        List<Candidate> b = candidatesOf("sampler-known-b", 3, 20);
        for (Candidate c : b) {
            assertTrue(!ids.contains(c.getGenomeId()), c.getGenomeId() + " was trained by experiment a already");
        }
        Experiment eb = get("sampler-known-b");
        assertEquals(3, eb.getReused(), "the three known genomes were told, not proposed");
        assertEquals(ids, new HashSet<>(eb.getReusedGenomeIdsList()), "and are listed as reused");
        assertEquals(2, eb.getProposed(), "reused genomes spend budget: 5 = 3 reused + 2 proposed");
        assertEquals(2, b.size());

        // another recipe (more epochs) is another experiment of the genome: trained, not told an old score
        stub.createExperiment(spec.toBuilder().setExperimentId("sampler-known-c")
                .setTraining(spec.getTraining().toBuilder().setEpochs(2)).build());
        List<Candidate> c = candidatesOf("sampler-known-c", 3, 20);
        Set<String> cIds = new HashSet<>();
        c.forEach(x -> cIds.add(x.getGenomeId()));
        assertEquals(ids, cIds, "the same draws, retrained under the new recipe");
        assertEquals(0, get("sampler-known-c").getReused());
    }

    @Test
    void testSplitObjectivesAreRefusedNamingTheValidationMetricToUse() {
        for (String[] metricAndUse : new String[][] {{"test_accuracy", "valid_accuracy"}, {"apgd_accuracy", "valid_apgd_accuracy"},
                {"clean_accuracy", "valid_clean_accuracy"}}) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub.createExperiment(ExperimentSpec.newBuilder()
                    .setDataset("fashion-mnist").setBudget(1).addObjectives(dev.mixrule.proto.ObjectiveSpec.newBuilder()
                            .setMetric("valid_accuracy")).addObjectives(dev.mixrule.proto.ObjectiveSpec.newBuilder()
                            .setMetric(metricAndUse[0])).build()));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            String d = e.getStatus().getDescription();
            assertTrue(d.contains("objectives[1].metric: '" + metricAndUse[0] + "'") && d.contains("test split")
                    && d.contains("'" + metricAndUse[1] + "'") && !d.contains("objectives[0]"), d);
        }
        String unknown = assertThrows(StatusRuntimeException.class, () -> stub.createExperiment(ExperimentSpec.newBuilder()
                .setDataset("fashion-mnist").setBudget(1).addObjectives(dev.mixrule.proto.ObjectiveSpec.newBuilder()
                        .setMetric("example_ece")).build())).getStatus().getDescription();
        assertTrue(unknown.contains("objectives[0].metric") && unknown.contains("valid_"), unknown);

        Experiment byDefault = stub.createExperiment(ExperimentSpec.newBuilder().setExperimentId("sampler-default-objective")
                .setDataset("fashion-mnist").setBudget(1).build());
        String metric = byDefault.getSpec().getObjectives(0).getMetric();
        assertEquals("valid_accuracy", metric);
        assertTrue(dev.mixrule.kernel.search.SelectionMetrics.selectable(metric));
    }

    @Test
    void candidatesWithoutAResultTimeOutAsFailuresAndNeverBlockTheExperiment() throws Exception {
        stub.createExperiment(ExperimentSpec.newBuilder().setExperimentId("sampler-timeout").setDataset("fashion-mnist")
                .setBudget(3).setMaxInFlight(2).setCandidateTimeoutSeconds(1).setSeed(5).build());
        Experiment done = awaitState("sampler-timeout", ExperimentState.EXPERIMENT_STATE_COMPLETED, 15);
        assertEquals(3, done.getProposed());
        assertEquals(3, done.getFailed(), "nobody trained them: all three timed out");
    }

    @Test
    void theMedianRuleStopsAHopelessCandidateAndItCountsAsEarlyStopped() throws Exception {
        stub.createExperiment(ExperimentSpec.newBuilder().setExperimentId("sampler-es").setDataset("fashion-mnist")
                .setBudget(4).setSeed(6).setTraining(TrainingConfig.newBuilder().setEpochs(4))
                .setEarlyStopping(dev.mixrule.proto.EarlyStoppingSpec.newBuilder().setRule("median").setMinSamples(2)).build());
        List<Candidate> cs = candidatesOf("sampler-es", 4, 20);
        double[] levels = {0.8, 0.7, 0.75, 0.2};
        for (int i = 0; i < 4; i++) {
            Candidate c = cs.get(i);
            for (int epoch = 1; epoch <= 2; epoch++) {
                TopicProbe.send(TestKafka.bootstrapServers(), Topics.TRAINING_PROGRESS, c.getGenomeId(),
                        dev.mixrule.proto.TrainingProgress.newBuilder().setGenomeId(c.getGenomeId()).setExperimentId("sampler-es")
                                .setDataset("fashion-mnist").setEpoch(epoch).setEpochs(4).setValidAccuracy(levels[i] * epoch / 2)
                                .build().toByteArray());
            }
            Thread.sleep(200); // curves arrive one candidate after another
        }
        String hopeless = cs.get(3).getGenomeId();
        List<ConsumerRecord<String, byte[]>> stops = TopicProbe.await(TestKafka.bootstrapServers(), Topics.CONTROL,
                r -> r.key().equals(hopeless), 1, Duration.ofSeconds(20));
        dev.mixrule.proto.StopCandidate stop = dev.mixrule.proto.StopCandidate.parseFrom(stops.get(0).value());
        assertEquals("sampler-es", stop.getExperimentId());
        assertTrue(stop.getReason().contains("median"), stop.getReason());
        List<ConsumerRecord<String, byte[]>> all = TopicProbe.await(TestKafka.bootstrapServers(), Topics.CONTROL,
                r -> { try { return dev.mixrule.proto.StopCandidate.parseFrom(r.value()).getExperimentId().equals("sampler-es"); }
                       catch (Exception ex) { return false; } }, 2, Duration.ofSeconds(3));
        assertEquals(1, all.size(), "only the hopeless candidate is stopped");

        TopicProbe.send(TestKafka.bootstrapServers(), Topics.TRAINING_RESULTS, hopeless, dev.mixrule.proto.TrainingResult.newBuilder()
                .setGenomeId(hopeless).setExperimentId("sampler-es").setDataset("fashion-mnist").setGenome(cs.get(3).getGenome())
                .setStatus(dev.mixrule.proto.TrainingStatus.TRAINING_STATUS_EARLY_STOPPED)
                .setMetrics(dev.mixrule.proto.TrainingMetrics.newBuilder().setValidAccuracy(0.2).setEpochsCompleted(2)).build().toByteArray());
        Experiment e = get("sampler-es");
        for (int i = 0; i < 100 && e.getEarlyStopped() == 0; i++) {
            Thread.sleep(100);
            e = get("sampler-es");
        }
        assertEquals(1, e.getEarlyStopped());
        assertEquals(3, e.getInFlight());
    }

    @Test
    void aRestartedSamplerRebuildsItsExperimentsFromRedis() throws Exception {
        stub.createExperiment(ExperimentSpec.newBuilder().setExperimentId("sampler-recover").setDataset("fashion-mnist")
                .setStrategy("regularized-evolution").setBudget(6).setMaxInFlight(3).setSeed(9).build());
        List<Candidate> first = candidatesOf("sampler-recover", 3, 20);
        reportResult(first.get(0), 0.9, false);
        reportResult(first.get(1), 0.0, true);
        Experiment before = get("sampler-recover");
        for (int i = 0; i < 100 && (before.getCompleted() < 2 || before.getProposed() < 5); i++) {
            Thread.sleep(100);
            before = get("sampler-recover");
        }
        assertEquals(5, before.getProposed());
        // the live service counted them at /q/metrics, as Prometheus reads them
        ScrapedMetrics live = new ScrapedMetrics(given().get("/q/metrics").then().statusCode(200).extract().asString());
        Map<String, String> ofThis = Map.of(MeterLabels.EXPERIMENT, "sampler-recover");
        assertEquals(5, live.sum(Meter.PROPOSALS.prometheusName(), ofThis), live.text());
        assertEquals(2, live.sum(Meter.COMPLETIONS.prometheusName(), ofThis));
        assertEquals(1, live.sum(Meter.FAILURES.prometheusName(), ofThis));

        var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        List<Candidate> published = new java.util.concurrent.CopyOnWriteArrayList<>();
        CandidatePublisher recorder = recordingInto(published);
        try (SamplerStore store = new SamplerStore(config.getValue("mixrule.redis.url", String.class),
                config.getValue("mixrule.redis.prefix", String.class))) {
            SimpleMeterRegistry replayed = new SimpleMeterRegistry();
            ExperimentRunner restarted = new ExperimentRunner(recorder, store, 60_000, new SamplerMetrics(replayed));
            try {
                Experiment after = restarted.get("sampler-recover").orElseThrow();
                assertEquals(before.getGenomeIdsList(), after.getGenomeIdsList(), "the same proposals, in order");
                assertEquals(2, after.getCompleted());
                assertEquals(1, after.getFailed());
                assertEquals(3, after.getInFlight());
                assertEquals(ExperimentState.EXPERIMENT_STATE_RUNNING, after.getState());
                Thread.sleep(500);
                assertTrue(published.isEmpty(), "all proposals were acknowledged: nothing is published again, nothing new while 3 are in flight");
                for (Meter counted : List.of(Meter.PROPOSALS, Meter.COMPLETIONS, Meter.FAILURES)) {
                    assertEquals(0, replayed.find(counted.key()).tag(MeterLabels.EXPERIMENT, "sampler-recover").counters().stream()
                            .mapToDouble(io.micrometer.core.instrument.Counter::count).sum(), counted + ": a replay counts nothing again");
                }
            } finally {
                restarted.shutdown();
            }
        }
    }

    /** A publisher that only records what it is asked to publish, for a runner started by the test itself. */
    static CandidatePublisher recordingInto(List<Candidate> published) {
        return new CandidatePublisher(null, null) {
            @Override
            public java.util.concurrent.CompletionStage<Void> publish(Candidate c) {
                published.add(c);
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }
        };
    }

    /** A score in [0, 1) fixed by the genome id, so that every experiment scores a genome alike. */
    static double score(String genomeId) {
        return Long.remainderUnsigned(Long.parseUnsignedLong(genomeId, 16), 1000) / 1000.0;
    }

    /**
     * Runs a regularized-evolution experiment (default objective) to its budget on its own runner and store, one
     * candidate at a time, answering each with an evaluation (test-split metrics) before its training result
     * (valid_accuracy); returns the proposals in order.
     */
    static List<String> evolve(String prefix, String id, long trainingSeed, java.util.function.ToDoubleFunction<String> valid,
                               java.util.function.ToDoubleFunction<String> test) throws Exception {
        var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        List<Candidate> published = new java.util.concurrent.CopyOnWriteArrayList<>();
        CandidatePublisher recorder = recordingInto(published);
        int budget = 28; // P = 20 random genomes, then 8 mutations of tournament winners
        // a prefix of its own, outside the service's Redis user: the test Redis's default user
        try (SamplerStore store = new SamplerStore(dev.mixrule.testkit.TestRedis.url(), prefix)) {
            ExperimentRunner runner = new ExperimentRunner(recorder, store, 60_000, new SamplerMetrics(new SimpleMeterRegistry()));
            try {
                runner.create(ExperimentSpec.newBuilder().setExperimentId(id).setDataset("fashion-mnist")
                        .setStrategy("regularized-evolution").setBudget(budget).setMaxInFlight(1).setSeed(13)
                        .setTraining(TrainingConfig.newBuilder().setEpochs(1).setSeed(trainingSeed)).build());
                for (int n = 0; n < budget; n++) {
                    for (int i = 0; i < 200 && published.size() <= n; i++) {
                        Thread.sleep(10);
                    }
                    assertEquals(n + 1, published.size(), "one candidate in flight at a time");
                    Candidate c = published.get(n);
                    double t = test.applyAsDouble(c.getGenomeId());
                    runner.onEvaluation(dev.mixrule.proto.EvaluationResult.newBuilder().setGenomeId(c.getGenomeId())
                            .setExperimentId(id).setDataset(c.getDataset())
                            .setEvaluator(dev.mixrule.proto.EvaluatorId.newBuilder().setName("robustness").setVersion("1"))
                            .setStatus(dev.mixrule.proto.EvaluationStatus.EVALUATION_STATUS_SUCCEEDED).putMetrics("test_accuracy", t)
                            .putMetrics("clean_accuracy", t).putMetrics("apgd_accuracy", t).build());
                    runner.onTraining(dev.mixrule.proto.TrainingResult.newBuilder().setGenomeId(c.getGenomeId()).setExperimentId(id)
                            .setDataset(c.getDataset()).setGenome(c.getGenome())
                            .setStatus(dev.mixrule.proto.TrainingStatus.TRAINING_STATUS_SUCCEEDED)
                            .setMetrics(dev.mixrule.proto.TrainingMetrics.newBuilder().setValidAccuracy(valid.applyAsDouble(c.getGenomeId())))
                            .build());
                }
                Experiment done = runner.get(id).orElseThrow();
                assertEquals(ExperimentState.EXPERIMENT_STATE_COMPLETED, done.getState(), done.toString());
                assertEquals(0, done.getReused(), "each run trains under its own recipe");
                return done.getGenomeIdsList();
            } finally {
                runner.shutdown();
            }
        }
    }

    @Test
    void theSearchFollowsValidationMetricsAndNeverTheTestSplit() throws Exception {
        String prefix = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("mixrule.redis.prefix", String.class)
                + "selection-" + System.nanoTime() + ":";
        // test metrics that contradict validation (best on test = worst on valid) vs test metrics that agree with it
        List<String> adversarialTest = evolve(prefix, "sel-adversarial", 101, SamplerServiceTest::score, g -> 1 - score(g));
        List<String> agreeingTest = evolve(prefix, "sel-agreeing", 102, SamplerServiceTest::score, SamplerServiceTest::score);
        assertEquals(adversarialTest, agreeingTest, "the test split changed what the search chose");
        // the control: the same search does follow its validation metric
        List<String> invertedValid = evolve(prefix, "sel-inverted", 103, g -> 1 - score(g), g -> 1 - score(g));
        assertEquals(adversarialTest.subList(0, 20), invertedValid.subList(0, 20), "the random first population is the same");
        assertTrue(!adversarialTest.equals(invertedValid), "the search did not follow valid_accuracy (is it still the default objective?)");
    }

    @Test
    void healthEndpointsAnswer() {
        given().when().get("/q/health/ready").then().statusCode(200);
    }
}
