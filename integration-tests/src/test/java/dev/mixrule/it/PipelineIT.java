package dev.mixrule.it;

import dev.mixrule.cli.stack.ExternalEvaluators;
import dev.mixrule.cli.stack.LocalStack;
import dev.mixrule.cli.stack.StackEvaluation;
import dev.mixrule.cli.stack.StackException;
import dev.mixrule.cli.stack.StackConfig;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.kernel.messaging.Topics;
import dev.mixrule.proto.Candidate;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.Experiment;
import dev.mixrule.proto.ExperimentSpec;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.GetEntryRequest;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.LeaderboardGrpc;
import dev.mixrule.proto.ParetoPoint;
import dev.mixrule.proto.ParetoRequest;
import dev.mixrule.proto.ParetoResponse;
import dev.mixrule.proto.SamplerGrpc;
import dev.mixrule.proto.TopRequest;
import dev.mixrule.proto.TopResponse;
import dev.mixrule.proto.TrainingConfig;
import dev.mixrule.testkit.TestRedis;
import dev.mixrule.testkit.TopicProbe;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole system as a user runs it: ./mixrule up's LocalStack starts a real KRaft broker and the
 * four packaged services as processes; genomes go in (through the sampler, and straight onto the
 * candidates topic), get trained and evaluated, and are read back through the leaderboard's gRPC API; each service's
 * metrics at /q/metrics count what went through it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {
    static LocalStack stack;
    static StackProcesses processes;

    @BeforeAll
    static void up() throws Exception {
        // ports apart from a developer's own stack (19092, 5005x, 808x)
        StackConfig config = StackProcesses.config("it", 29092, 18080, 25000, 1); // below the ephemeral range (FaultDrillsIT)
        stack = new LocalStack(config, new PrintStream(System.out, true));
        processes = StackProcesses.up(stack);
    }

    @AfterAll
    static void down() throws Exception {
        processes.downAndCheck();
    }

    @Test
    @Order(1)
    void genomesGoInAndComeBackTrainedAndEvaluatedThroughTheLeaderboard() throws Exception {
        StackConfig c = stack.config();
        stack.status().forEach(s -> {
            if (!s.name().equals("redis")) {
                assertEquals("UP", s.state(), s.name() + " at " + s.address());
            }
        });
        ManagedChannel samplerCh = channel(c.samplerGrpcPort());
        ManagedChannel boardCh = channel(c.leaderboardGrpcPort());
        try {
            TrainingConfig quick = TrainingConfig.newBuilder().setEpochs(2).setBatchSize(32).setLearningRate(0.05)
                    .setMomentum(0.9).setSeed(2).build();
            SamplerGrpc.newBlockingStub(samplerCh).createExperiment(ExperimentSpec.newBuilder().setExperimentId("it-sampled")
                    .setDataset("synthetic").setBudget(3).addRules("bp").addRules("usf").addRules("fa")
                    .setTraining(quick).setSeed(9).build());

            Genome g = GenomeCodec.fromCanonical("chain:pad0|conv3x3-8-p1-relu@fa|conv3x3-8-p1-relu@fa|maxpool2|dense-32-relu@frsf|dense-4@bp"); // labels in canonical form
            String direct = GenomeCodec.id(g);
            TopicProbe.send(stack.kafka().client("admin"), Topics.CANDIDATES, direct, Candidate.newBuilder().setGenomeId(direct)
                    .setGenome(g).setCanonical(GenomeCodec.toCanonical(g)).setExperimentId("it-direct")
                    .setDataset("synthetic").setTraining(quick).build().toByteArray());

            LeaderboardGrpc.LeaderboardBlockingStub board = LeaderboardGrpc.newBlockingStub(boardCh);
            TopResponse top = awaitTop(board, "it-sampled", 3, 240);
            assertEquals(3, top.getTotal(), "all 3 sampled genomes on the leaderboard");
            for (LeaderboardEntry e : top.getEntriesList()) {
                assertTrue(e.getMetricsOrThrow("test_accuracy") > 0.4, e.getGenomeId() + " " + e.getMetricsMap());
                assertEquals("accuracy", e.getEvaluations(0).getEvaluator().getName());
                assertTrue(e.getCheckpointUri().startsWith("file:"), e.getCheckpointUri());
                assertEquals(e.getGenomeId(), GenomeCodec.id(e.getGenome()));
                // the learning curve the page draws: one point per epoch, the last one the entry's valid accuracy
                assertEquals(2, e.getTraining().getEpochsCount(), e.getTraining().toString());
                assertEquals(e.getTraining().getValidAccuracy(), e.getTraining().getEpochs(1).getValidAccuracy(), 1e-12);
                assertTrue(e.getTrainedAtMs() >= e.getProposedAtMs() && e.getTrainedAtMs() > 0, "trained_at_ms " + e.getTrainedAtMs());
            }
            assertTrue(top.getEntries(0).getMetricsOrThrow("test_accuracy") > 0.6, "best sampled genome barely learned");
            assertTheDefaultFrontComesFromTheStacksValidationRobustness(board, "it-sampled");

            awaitTop(board, "it-direct", 1, 120);
            LeaderboardEntry d = board.getEntry(GetEntryRequest.newBuilder().setDataset("synthetic").setGenomeId(direct).build());
            assertEquals(List.of("bp", "fa", "frsf"), d.getRulesList());
            assertTrue(d.getMetricsOrThrow("test_accuracy") > 0.5, d.getMetricsMap().toString());
            assertTrue(d.getCost().getBpFraction() > 0 && d.getCost().getBpFraction() < 0.1, "bp share " + d.getCost().getBpFraction());

            // what Prometheus reads from each service's /q/metrics moved by the same 3 + 1 candidates
            MetricsChecks.afterPipeline(stack, "it-sampled", 3, 4, "bp+fa+frsf");
        } finally {
            samplerCh.shutdownNow();
            boardCh.shutdownNow();
        }
    }

    @Test
    @Order(2)
    void aClientBuiltOnlyFromTheProtoFileListsTheLeaderboard() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(pythonGrpcAvailable(),
                "/usr/bin/python3 with grpc_tools missing (./mixrule test installs python3-grpc-tools as root)");
        Path script = stack.config().repoRoot().resolve("examples/clients/python/leaderboard_top.py");
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), "--target",
                "127.0.0.1:" + stack.config().leaderboardGrpcPort(), "--dataset", "synthetic", "--k", "10",
                "--ca", stack.config().runDir().resolve("secrets/ca.pem").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        ManagedChannel boardCh = channel(stack.config().leaderboardGrpcPort());
        try {
            TopResponse top = LeaderboardGrpc.newBlockingStub(boardCh).top(TopRequest.newBuilder().setDataset("synthetic")
                    .setK(10).build());
            assertTrue(top.getTotal() >= 4);
            for (LeaderboardEntry e : top.getEntriesList()) {
                assertTrue(out.contains(e.getGenomeId()), "python client output lacks " + e.getGenomeId() + ":\n" + out);
            }
            assertTrue(out.contains(top.getEntriesCount() + " of " + top.getTotal() + " entries"), out);
        } finally {
            boardCh.shutdownNow();
        }
    }

    @Test
    @Order(3)
    void evaluatorsWrittenOutsideTheServiceShowUpBesideOurs() throws Exception {
        StackConfig c = stack.config();
        // each external evaluator is onboarded in one step (./mixrule principals add-evaluator): a Kafka user of its own,
        // a signing key registered as a principal of the same name owning that evaluator name, one settings file
        var onboarding = new ExternalEvaluators(stack);
        java.util.Properties pluginClient = new java.util.Properties();
        try (var in = Files.newBufferedReader(onboarding.add("example-calibration", null, List.of()).clientSettings())) {
            pluginClient.load(in);
        }
        var plugin = new dev.mixrule.example.StandaloneEvaluator(pluginClient, c.checkpoints(), new dev.mixrule.example.CalibrationEvaluator());
        // a name another principal owns is refused before anything is made: no Kafka user, no principal
        var taken = assertThrows(StackException.class, () -> onboarding.add("intruder", null, List.of("accuracy")));
        assertTrue(taken.getMessage().contains("'accuracy' belongs to principal 'evaluator'"), taken.getMessage());
        assertFalse(Files.exists(c.runDir().resolve("secrets/intruder.client.properties")), "no settings for a refused onboarding");
        Thread t = new Thread(plugin, "example-evaluator");
        t.start();
        Process py = null;
        boolean python = pythonKafkaAvailable();
        if (python) {
            py = new ProcessBuilder("/usr/bin/python3", c.repoRoot().resolve("examples/evaluators/python/size_evaluator.py").toString(),
                    "--client-config", onboarding.add("py-size", null, List.of()).clientSettings().toString(), "--idle-exit", "20")
                    .redirectErrorStream(true)
                    .redirectOutput(c.logs().resolve("py-size.log").toFile()).start();
        }
        ManagedChannel boardCh = channel(c.leaderboardGrpcPort());
        try {
            LeaderboardGrpc.LeaderboardBlockingStub board = LeaderboardGrpc.newBlockingStub(boardCh);
            String id = board.top(TopRequest.newBuilder().setDataset("synthetic").setExperimentId("it-sampled").setK(1).build())
                    .getEntries(0).getGenomeId();
            LeaderboardEntry e = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                e = board.getEntry(GetEntryRequest.newBuilder().setDataset("synthetic").setGenomeId(id).build());
                boolean calibration = e.getEvaluationsList().stream().anyMatch(v -> v.getEvaluator().getName().equals("example-calibration"));
                boolean size = !python || e.getEvaluationsList().stream().anyMatch(v -> v.getEvaluator().getName().equals("py-size"));
                if (calibration && size) {
                    break;
                }
                Thread.sleep(500);
            }
            List<String> names = e.getEvaluationsList().stream().map(v -> v.getEvaluator().getName()).toList();
            assertTrue(names.contains("accuracy") && names.contains("example-calibration"), names.toString());
            assertTrue(e.getMetricsOrThrow("example_ece") >= 0 && e.containsMetrics("test_accuracy"), e.getMetricsMap().toString());
            if (python) {
                assertTrue(names.contains("py-size"), names + " (python log: " + c.logs().resolve("py-size.log") + ")");
                assertEquals(e.getCost().getParameters() / 1e6, e.getMetricsOrThrow("py_parameters_millions"), 1e-9);
            } else {
                System.out.println("python3-kafka missing: the Python evaluator part of this test was skipped");
            }
            TopResponse byEce = board.top(TopRequest.newBuilder().setDataset("synthetic").setMetric("example_ece")
                    .setAscending(true).setK(10).build());
            assertTrue(byEce.getTotal() >= 1, "external metrics rank like built-in ones");
        } finally {
            plugin.stop();
            t.join(10_000);
            if (py != null) {
                py.destroy();
            }
            boardCh.shutdownNow();
        }
    }

    @Test
    @Order(4)
    void anExperimentSurvivesASamplerCrashAndEndsWithExactlyItsBudgetOfDistinctGenomes() throws Exception {
        StackConfig c = stack.config();
        String id = "it-resume";
        int budget = 8;
        ManagedChannel boardCh = channel(c.leaderboardGrpcPort());
        ManagedChannel samplerCh = channel(c.samplerGrpcPort());
        try {
            var sampler = SamplerGrpc.newBlockingStub(samplerCh);
            sampler.createExperiment(ExperimentSpec.newBuilder().setExperimentId(id).setDataset("synthetic").setBudget(budget)
                    .setMaxInFlight(2).setStrategy("regularized-evolution").addRules("bp").addRules("usf").addRules("fa").setSeed(11)
                    .setEarlyStopping(dev.mixrule.proto.EarlyStoppingSpec.newBuilder().setRule("median").setMinSamples(2))
                    .setTraining(TrainingConfig.newBuilder().setEpochs(3).setBatchSize(32).setLearningRate(0.05).setMomentum(0.9).setSeed(3))
                    .build());
            Experiment before = awaitExperiment(sampler, id, e -> e.getCompleted() >= 3, 240);
            assertTrue(before.getProposed() < budget, "killed mid-way: " + before.getProposed() + " of " + budget + " proposed");

            ProcessHandle old = stack.process("sampler-service").running().orElseThrow();
            old.destroyForcibly(); // a crash: no shutdown hooks, no offsets committed on the way out
            old.onExit().get(30, TimeUnit.SECONDS);
            Thread.sleep(2000); // trainers go on meanwhile; their results wait in Kafka
            stack.up(); // starts only what is not running: the sampler
            processes.remember();

            Experiment done = awaitExperiment(SamplerGrpc.newBlockingStub(samplerCh), id,
                    e -> e.getState() == dev.mixrule.proto.ExperimentState.EXPERIMENT_STATE_COMPLETED, 300);
            assertEquals(budget, done.getProposed());
            assertEquals(budget, done.getCompleted());
            assertEquals(budget, new java.util.HashSet<>(done.getGenomeIdsList()).size(), "distinct genomes");
            assertEquals(before.getGenomeIdsList(), done.getGenomeIdsList().subList(0, before.getGenomeIdsCount()),
                    "the proposals made before the crash are kept, in order");

            LeaderboardGrpc.LeaderboardBlockingStub board = LeaderboardGrpc.newBlockingStub(boardCh);
            TopResponse onBoard = TopResponse.getDefaultInstance();
            for (int i = 0; i < 60; i++) {
                onBoard = board.top(TopRequest.newBuilder().setDataset("synthetic").setExperimentId(id).setMetric("valid_accuracy")
                        .setK(100).build());
                if (onBoard.getTotal() >= budget - done.getFailed()) {
                    break;
                }
                Thread.sleep(500);
            }
            java.util.Set<String> ids = new java.util.HashSet<>();
            onBoard.getEntriesList().forEach(e -> ids.add(e.getGenomeId()));
            assertEquals(budget - done.getFailed(), onBoard.getTotal(), "exactly the budget on the leaderboard (failures aside)");
            assertTrue(done.getGenomeIdsList().containsAll(ids), "only the experiment's own genomes");
            long stopped = onBoard.getEntriesList().stream()
                    .filter(e -> e.getTrainingStatus() == dev.mixrule.proto.TrainingStatus.TRAINING_STATUS_EARLY_STOPPED).count();
            assertEquals(done.getEarlyStopped(), stopped, "early-stopped candidates keep their entry, marked EARLY_STOPPED");
            System.out.printf("it-resume: %d proposed before the crash, %d after; %d stopped early, %d failed%n",
                    before.getProposed(), budget - before.getProposed(), done.getEarlyStopped(), done.getFailed());
        } finally {
            samplerCh.shutdownNow();
            boardCh.shutdownNow();
        }
    }

    @Test
    @Order(5)
    void anOutsideClientNeedsTlsAndTheTokenAndRedisUsersKeepToTheirKeys() throws Exception {
        OutsideClientChecks.run(stack.config(), TestRedis.url());
    }

    @Test
    @Order(6)
    void anOutsideKafkaClientGetsOnlyWhatItsPrincipalAllows() throws Exception {
        KafkaSecurityChecks checks = new KafkaSecurityChecks(stack);
        checks.withoutCredentialsNothingWorks();
        checks.theEvaluatorMayWriteEvaluationsOnly();
    }

    @Test
    @Order(7)
    void anExperimentsTrialsExportWithTheirMetricsAndLearningCurves() throws Exception {
        ManagedChannel samplerCh = channel(stack.config().samplerGrpcPort());
        ManagedChannel boardCh = channel(stack.config().leaderboardGrpcPort());
        try {
            TrialExportChecks.exportMatchesTheLeaderboard(samplerCh, boardCh, "it-sampled");
        } finally {
            samplerCh.shutdownNow();
            boardCh.shutdownNow();
        }
    }

    /** A TLS channel trusting the stack's local CA, sending its token: what ./mixrule uses. */
    static ManagedChannel channel(int port) {
        return dev.mixrule.cli.Grpc.channel("127.0.0.1:" + port, stack.config().runDir());
    }

    static Experiment awaitExperiment(SamplerGrpc.SamplerBlockingStub sampler, String id,
                                      java.util.function.Predicate<Experiment> until, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Experiment e = null;
        while (System.nanoTime() < deadline) {
            try {
                e = sampler.getExperiment(dev.mixrule.proto.GetExperimentRequest.newBuilder().setExperimentId(id).build());
                if (until.test(e)) {
                    return e;
                }
            } catch (StatusRuntimeException ex) {
                // the sampler is starting
            }
            Thread.sleep(300);
        }
        throw new AssertionError("experiment " + id + " did not get there in " + seconds + " s; last: " + e);
    }

    static boolean pythonKafkaAvailable() {
        try {
            return new ProcessBuilder("/usr/bin/python3", "-c", "import kafka, grpc_tools.protoc, cryptography").start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    static boolean pythonGrpcAvailable() {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import grpc, grpc_tools.protoc").start();
            return p.waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * What `./mixrule leaderboard pareto` asks after a demo (no objectives: the contract's default, valid_accuracy and
     * valid_apgd_accuracy) answers a non-empty front once the stack's evaluator has run robustness with the demo's
     * settings (StackEvaluation): the screening protocol, cut down, on the validation split.
     */
    static void assertTheDefaultFrontComesFromTheStacksValidationRobustness(LeaderboardGrpc.LeaderboardBlockingStub board,
                                                                            String experiment) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        ParetoResponse front = ParetoResponse.getDefaultInstance();
        while (front.getPointsCount() == 0 && System.nanoTime() < deadline) {
            try {
                front = board.pareto(ParetoRequest.newBuilder().setDataset("synthetic").setExperimentId(experiment).build());
            } catch (StatusRuntimeException e) {
                // INVALID_ARGUMENT until the first valid_apgd_accuracy exists
            }
            if (front.getPointsCount() == 0) {
                Thread.sleep(500);
            }
        }
        assertTrue(front.getPointsCount() > 0, "no Pareto front of the default objectives for " + experiment);
        assertEquals("+valid_accuracy,+valid_apgd_accuracy", front.getMetricSet());
        for (ParetoPoint p : front.getPointsList()) {
            LeaderboardEntry e = p.getEntry();
            assertEquals(0, p.getLayer());
            assertFalse(e.containsMetrics("apgd_accuracy"), "robustness must measure the validation split: " + e.getMetricsMap());
            EvaluationResult robustness = e.getEvaluationsList().stream()
                    .filter(r -> r.getEvaluator().getName().equals("robustness")).findFirst().orElseThrow();
            assertTrue(robustness.getProtocol().startsWith("screening:valid:" + StackEvaluation.ROBUSTNESS_EXAMPLES + ":")
                    && !robustness.getProtocol().contains("transfer"), robustness.getProtocol());
            assertTrue(e.getMetricsOrThrow("valid_apgd_accuracy") <= e.getMetricsOrThrow("valid_clean_accuracy"), e.getMetricsMap().toString());
        }
    }

    static TopResponse awaitTop(LeaderboardGrpc.LeaderboardBlockingStub board, String experiment, int n, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        TopResponse r = TopResponse.getDefaultInstance();
        while (System.nanoTime() < deadline) {
            try {
                r = board.top(TopRequest.newBuilder().setDataset("synthetic").setExperimentId(experiment)
                        .setMetric("test_accuracy").setK(10).build());
                // training and evaluation results arrive on two topics, in either order: wait for both
                if (r.getTotal() >= n && r.getEntriesList().stream().allMatch(e -> !e.getCheckpointUri().isEmpty())) {
                    return r;
                }
            } catch (StatusRuntimeException e) {
                // INVALID_ARGUMENT until the first test_accuracy exists
            }
            Thread.sleep(500);
        }
        return r;
    }
}
