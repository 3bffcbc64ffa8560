package dev.mixrule.it;

import dev.mixrule.cli.Grpc;
import dev.mixrule.cli.stack.LocalStack;
import dev.mixrule.cli.stack.StackConfig;
import dev.mixrule.kernel.messaging.Topics;
import dev.mixrule.proto.Candidate;
import dev.mixrule.proto.Experiment;
import dev.mixrule.proto.ExperimentSpec;
import dev.mixrule.proto.ExperimentState;
import dev.mixrule.proto.GetEntryRequest;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.LeaderboardGrpc;
import dev.mixrule.proto.SamplerGrpc;
import dev.mixrule.proto.TopRequest;
import dev.mixrule.proto.TopResponse;
import dev.mixrule.proto.TrainingConfig;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.testkit.TopicProbe;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault drills: the local stack (a stack of its own, see {@link #up}) loses one of its parts in the middle
 * of an experiment, and the experiment must still end with exactly its budget of distinct genomes, each with
 * one leaderboard entry. Each drill prints what it killed and what it counted ("drill NAME: ...").
 *
 * <p>Training and evaluation are simulated (scores from the synthetic objective) and slowed down on
 * purpose, so a drill can catch a candidate or a training result in flight: an epoch takes
 * {@link #EPOCH_MS}, an evaluation {@link #EVALUATION_MS}. Consumers of the trainer and evaluator groups
 * use a 10 s session timeout (the sampler's own setting), so a killed member's partitions move on in
 * seconds instead of the client default of 45.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultDrillsIT {
    static final long EPOCH_MS = 1500;
    static final long EVALUATION_MS = 6000;
    static final int EPOCHS = 3;
    static final Duration BROKER_DOWN = Duration.ofSeconds(30);

    static LocalStack stack;
    static StackProcesses processes;
    /** Experiments the drills ran, for the Redis drill's snapshot. */
    static final List<String> experiments = new ArrayList<>();
    static ManagedChannel samplerCh;
    static ManagedChannel boardCh;

    /**
     * A stack of its own rather than PipelineIT's: the drills need two trainer replicas, simulated and
     * slowed-down training and evaluation, and debug logs that name the candidate in hand, none of which
     * PipelineIT's real-training stack should have; and killing its parts must not disturb PipelineIT.
     */
    @BeforeAll
    static void up() throws Exception {
        // ports apart from a developer's stack (19092, 5005x, 808x) and PipelineIT's (29092, 2505x-2506x, 1808x), and
        // below Linux's ephemeral range (32768-60999), where a client's outgoing connection can hold one: a leaderboard
        // once failed to start on 38084 that way
        StackConfig config = StackProcesses.config("drills", 27092, 28080, 26000, 2);
        stack = new LocalStack(config, new PrintStream(System.out, true))
                .property("trainer-service", "mixrule.trainer.mode", "simulated")
                .property("trainer-service", "mixrule.trainer.simulated-epoch-ms", String.valueOf(EPOCH_MS))
                .property("trainer-service", "quarkus.log.category.\"dev.mixrule.trainer\".level", "DEBUG")
                .property("trainer-service", "mp.messaging.incoming.mixrule-candidates.session.timeout.ms", "10000")
                .property("trainer-service", "mp.messaging.incoming.mixrule-candidates.heartbeat.interval.ms", "2000")
                .property("evaluator-service", "mixrule.evaluator.mode", "simulated")
                .property("evaluator-service", "mixrule.evaluator.simulated-ms", String.valueOf(EVALUATION_MS))
                .property("evaluator-service", "quarkus.log.category.\"dev.mixrule.evaluator\".level", "DEBUG")
                .property("evaluator-service", "mp.messaging.incoming.mixrule-training-results.session.timeout.ms", "10000")
                .property("evaluator-service", "mp.messaging.incoming.mixrule-training-results.heartbeat.interval.ms", "2000");
        long t0 = System.nanoTime();
        processes = StackProcesses.up(stack);
        System.out.printf("drills: stack up in %d s%n", seconds(t0));
        samplerCh = Grpc.channel("127.0.0.1:" + config.samplerGrpcPort(), config.runDir());
        boardCh = Grpc.channel("127.0.0.1:" + config.leaderboardGrpcPort(), config.runDir());
    }

    @AfterAll
    static void down() throws Exception {
        if (samplerCh != null) {
            samplerCh.shutdownNow();
            boardCh.shutdownNow();
        }
        processes.downAndCheck();
    }

    @Test
    @Order(1)
    void aTrainerKilledMidTrainingLeavesItsCandidateToTheOtherReplica() throws Exception {
        String id = "drill-trainer-kill";
        int budget = 6;
        Map<String, LogWatch> trainers = new LinkedHashMap<>();
        stack.processNames().stream().filter(n -> n.startsWith("trainer-service"))
                .forEach(n -> trainers.put(n, new LogWatch(stack.process(n).logFile())));
        assertEquals(2, trainers.size(), "two trainer replicas");
        long t0 = System.nanoTime();
        create(id, budget, 2, 21);

        // the first replica to say it is training one of the experiment's candidates is killed while it trains
        // it (EPOCHS x EPOCH_MS)
        Map.Entry<String, Matcher> held = LogWatch.awaitAny(trainers, inHand("training", id), Duration.ofSeconds(120));
        String victim = held.getKey();
        String genome = held.getValue().group(1);
        long pid = kill(victim);

        Experiment done = awaitCompleted(id, 240);
        Set<String> onBoard = assertExactlyTheBudgetOnTheBoard(done, budget);
        List<TrainingResult> results = trainingResults(id, budget);
        Map<String, List<String>> trainedBy = results.stream().collect(Collectors.groupingBy(TrainingResult::getGenomeId,
                TreeMap::new, Collectors.mapping(TrainingResult::getTrainerId, Collectors.toList())));
        assertTrue(trainedBy.getOrDefault(genome, List.of()).stream().anyMatch(t -> !t.equals(victim)),
                genome + " was trained by " + trainedBy.get(genome) + ", not by the surviving replica");
        assertEquals(onBoard, trainedBy.keySet(), "training results for exactly the experiment's genomes");
        System.out.printf("drill trainer-kill: killed %s (pid %d) holding %s; %d/%d genomes with exactly one entry, "
                        + "%d duplicate training results (redelivered); %s trained by %s; %d s%n", victim, pid, genome,
                onBoard.size(), budget, results.size() - trainedBy.size(), genome, trainedBy.get(genome), seconds(t0));
    }

    @Test
    @Order(2)
    void anEvaluatorKilledMidEvaluationEvaluatesAgainAfterItsRestart() throws Exception {
        String id = "drill-evaluator-kill";
        int budget = 2;
        LogWatch evaluator = new LogWatch(stack.process("evaluator-service").logFile());
        long t0 = System.nanoTime();
        create(id, budget, 2, 22);

        Matcher held = LogWatch.awaitAny(Map.of("evaluator-service", evaluator), inHand("evaluating", id),
                Duration.ofSeconds(120)).getValue();
        String genome = held.group(1);
        long pid = kill("evaluator-service");
        assertTrue(evaluation(genome).isEmpty(), genome + " was evaluated before the kill: the drill killed nothing in flight");

        long restart = System.nanoTime();
        LogWatch restarted = new LogWatch(stack.process("evaluator-service").logFile());
        stack.start("evaluator-service");
        processes.remember();
        LogWatch.awaitAny(Map.of("evaluator-service", restarted), Pattern.compile("evaluating " + genome),
                Duration.ofSeconds(120));
        LeaderboardEntry e = awaitEntry(genome, x -> evaluation(x).isPresent(), 120);
        double accuracy = e.getMetricsOrThrow("test_accuracy");

        Experiment done = awaitCompleted(id, 120);
        Set<String> onBoard = assertExactlyTheBudgetOnTheBoard(done, budget);
        for (String g : onBoard) {
            awaitEntry(g, x -> evaluation(x).isPresent(), 120);
        }
        System.out.printf("drill evaluator-kill: killed evaluator-service (pid %d) holding %s; after its restart %s was "
                        + "evaluated again in %d s (test_accuracy %.3f); %d/%d entries evaluated; %d s%n", pid, genome, genome,
                seconds(restart), accuracy, onBoard.size(), budget, seconds(t0));
    }

    @Test
    @Order(3)
    void anExperimentOutlivesItsBrokerStoppedForThirtySeconds() throws Exception {
        String id = "drill-broker-stop";
        int budget = 8;
        long t0 = System.nanoTime();
        create(id, budget, 2, 23);
        Experiment before = PipelineIT.awaitExperiment(sampler(), id, e -> e.getProposed() >= 3, 180);
        assertTrue(before.getProposed() < budget, "stopped mid-way: " + before.getProposed() + " of " + budget + " proposed");

        List<String> services = stack.processNames().stream().skip(2).filter(n -> stack.process(n).running().isPresent()).toList();
        long pid = stack.process(LocalStack.KAFKA).running().orElseThrow().pid();
        assertTrue(stack.process(LocalStack.KAFKA).stop(Duration.ofSeconds(20)), "kafka stopped");
        Thread.sleep(BROKER_DOWN.toMillis());
        for (String name : services) {
            assertTrue(stack.process(name).running().isPresent(), name + " died while the broker was away");
        }
        stack.start(LocalStack.KAFKA); // same data directory: the topics, offsets and group state come back
        processes.remember();

        Experiment done = awaitCompleted(id, 240);
        Set<String> onBoard = assertExactlyTheBudgetOnTheBoard(done, budget);
        List<Candidate> candidates = TopicProbe.await(stack.kafka().client("admin"), Topics.CANDIDATES, r -> true,
                        Integer.MAX_VALUE, Duration.ofSeconds(8)).stream().map(r -> parse(Candidate.parser(), r.value()))
                .filter(c -> c.getExperimentId().equals(id)).toList();
        long distinct = candidates.stream().map(Candidate::getGenomeId).distinct().count();
        assertEquals(budget, distinct, "distinct candidates on the topic");
        System.out.printf("drill broker-stop: stopped kafka (pid %d) for %d s with %d of %d proposed; after its restart "
                        + "%d proposed, %d distinct (%d candidate records), %d/%d with an entry, %d failed; %d s%n", pid,
                BROKER_DOWN.toSeconds(), before.getProposed(), budget, done.getProposed(), distinct, candidates.size(),
                onBoard.size(), budget, done.getFailed(), seconds(t0));
    }

    @Test
    @Order(4)
    void aFlushedLeaderboardIsRebuiltFromTheResultTopics() throws Exception {
        Optional<CommandLine> rebuild = Optional.ofNullable(dev.mixrule.cli.Main.commandLine().getSubcommands()
                .get("leaderboard").getSubcommands().get("rebuild"));
        Assumptions.assumeTrue(rebuild.isPresent(), "drill redis-flush skipped: './mixrule leaderboard rebuild' does not "
                + "exist on this branch yet (it replays the result topics into Redis; another change adds it)");
        Map<String, LeaderboardEntry> before = new TreeMap<>();
        for (String id : experiments) {
            for (String g : PipelineIT.awaitExperiment(sampler(), id, e -> true, 10).getGenomeIdsList()) {
                before.put(g, comparable(awaitEntry(g, x -> evaluation(x).isPresent(), 120)));
            }
        }
        assertFalse(before.isEmpty(), "entries to flush");
        long flushed = RedisFlush.leaderboardKeys(stack.redisUrl(), stack.config().redisPrefix());
        for (String g : before.keySet()) {
            assertTrue(entry(g).isEmpty(), g + " survived the flush");
        }

        long t0 = System.nanoTime();
        RedisFlush.Result r = RedisFlush.runRebuild(stack, rebuild.get());
        assertEquals(0, r.exitCode(), "leaderboard rebuild:\n" + r.output());
        int same = 0;
        for (Map.Entry<String, LeaderboardEntry> b : before.entrySet()) {
            LeaderboardEntry after = awaitEntry(b.getKey(), x -> true, 60);
            assertEquals(b.getValue(), comparable(after), "entry " + b.getKey() + " after the rebuild");
            same++;
        }
        System.out.printf("drill redis-flush: flushed %d leaderboard keys under %s (the sampler's kept); rebuild took %d s; "
                + "%d/%d entries as before%n", flushed, stack.config().redisPrefix(), seconds(t0), same, before.size());
    }

    // ------------------------------------------------------------------ helpers

    static void create(String id, int budget, int inFlight, long seed) {
        experiments.add(id);
        sampler().createExperiment(ExperimentSpec.newBuilder().setExperimentId(id).setDataset("synthetic").setBudget(budget)
                .setMaxInFlight(inFlight).addRules("bp").addRules("usf").addRules("fa").setSeed(seed)
                .setTraining(TrainingConfig.newBuilder().setEpochs(EPOCHS).setBatchSize(32).setLearningRate(0.05)
                        .setMomentum(0.9).setSeed(seed)) // a seed of its own: no genome reused from another drill
                .build());
    }

    /** A debug line of a trainer ("training G on D (experiment X)") or the evaluator ("evaluating G (experiment X)"). */
    static Pattern inHand(String verb, String experiment) {
        return Pattern.compile(verb + " ([0-9a-f]{16})( on \\S+)? \\(experiment " + Pattern.quote(experiment) + "\\)");
    }

    /** SIGKILL: no shutdown hook, no offset committed on the way out. */
    static long kill(String name) throws Exception {
        ProcessHandle h = stack.process(name).running().orElseThrow(() -> new AssertionError(name + " is not running"));
        h.destroyForcibly();
        h.onExit().get(30, TimeUnit.SECONDS);
        return h.pid();
    }

    static Experiment awaitCompleted(String id, int seconds) throws InterruptedException {
        return PipelineIT.awaitExperiment(sampler(), id, e -> e.getState() == ExperimentState.EXPERIMENT_STATE_COMPLETED, seconds);
    }

    /**
     * The property every drill keeps: the whole budget proposed and completed, none failed, every genome distinct,
     * and exactly one leaderboard entry per genome, no other. Returns the genome ids on the board.
     */
    static Set<String> assertExactlyTheBudgetOnTheBoard(Experiment done, int budget) throws InterruptedException {
        String id = done.getSpec().getExperimentId();
        assertEquals(budget, done.getProposed(), "proposed");
        assertEquals(budget, done.getCompleted(), "completed");
        assertEquals(0, done.getFailed(), "failed (a lost candidate times out as failed)");
        assertEquals(0, done.getReused(), "reused");
        Set<String> genomes = new HashSet<>(done.getGenomeIdsList());
        assertEquals(budget, genomes.size(), "distinct genomes");
        TopResponse top = TopResponse.getDefaultInstance();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && top.getTotal() < budget) {
            top = board().top(TopRequest.newBuilder().setDataset("synthetic").setExperimentId(id)
                    .setMetric("valid_accuracy").setK(100).build());
            Thread.sleep(300);
        }
        assertEquals(budget, top.getTotal(), "entries of " + id);
        List<String> ids = top.getEntriesList().stream().map(LeaderboardEntry::getGenomeId).toList();
        assertEquals(budget, ids.size(), "listed entries");
        assertEquals(genomes, new HashSet<>(ids), "each genome of the experiment once, no other");
        return new java.util.TreeSet<>(ids);
    }

    /** Every training result of the experiment on the topic (redelivered ones included). */
    static List<TrainingResult> trainingResults(String experiment, int atLeast) throws IOException {
        List<TrainingResult> out = new ArrayList<>();
        TopicProbe.await(stack.kafka().client("admin"), Topics.TRAINING_RESULTS, r -> true, Integer.MAX_VALUE,
                Duration.ofSeconds(8)).forEach(r -> {
                    TrainingResult t = parse(TrainingResult.parser(), r.value());
                    if (t.getExperimentId().equals(experiment)) {
                        out.add(t);
                    }
                });
        assertTrue(out.size() >= atLeast, out.size() + " training results of " + experiment);
        return out;
    }

    static <T> T parse(com.google.protobuf.Parser<T> parser, byte[] bytes) {
        try {
            return parser.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    static Optional<LeaderboardEntry> entry(String genome) {
        try {
            return Optional.of(board().getEntry(GetEntryRequest.newBuilder().setDataset("synthetic").setGenomeId(genome).build()));
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The simulated evaluator's result on the entry of this genome, if any. */
    static Optional<dev.mixrule.proto.EvaluationResult> evaluation(String genome) {
        return entry(genome).flatMap(FaultDrillsIT::evaluation);
    }

    static Optional<dev.mixrule.proto.EvaluationResult> evaluation(LeaderboardEntry e) {
        return e.getEvaluationsList().stream().filter(v -> v.getEvaluator().getName().equals("simulated")).findFirst();
    }

    static LeaderboardEntry awaitEntry(String genome, java.util.function.Predicate<LeaderboardEntry> until, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Optional<LeaderboardEntry> e = Optional.empty();
        while (System.nanoTime() < deadline) {
            e = entry(genome);
            if (e.isPresent() && until.test(e.get())) {
                return e.get();
            }
            Thread.sleep(300);
        }
        throw new AssertionError("entry " + genome + " not there in " + seconds + " s; last: " + e);
    }

    /** An entry without what depends on when and where it was read (write time, rank in a listing). */
    static LeaderboardEntry comparable(LeaderboardEntry e) {
        return e.toBuilder().clearUpdatedAtMs().clearRank().build();
    }

    static SamplerGrpc.SamplerBlockingStub sampler() {
        return SamplerGrpc.newBlockingStub(samplerCh);
    }

    static LeaderboardGrpc.LeaderboardBlockingStub board() {
        return LeaderboardGrpc.newBlockingStub(boardCh);
    }

    static long seconds(long since) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since);
    }
}
