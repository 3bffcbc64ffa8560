package dev.mixrule.bench;

import com.google.gson.JsonObject;
import dev.mixrule.cli.Grpc;
import dev.mixrule.cli.Output;
import dev.mixrule.cli.stack.LocalStack;
import dev.mixrule.cli.stack.StackConfig;
import dev.mixrule.leaderboard.store.LeaderboardStore;
import dev.mixrule.proto.Experiment;
import dev.mixrule.proto.ExperimentSpec;
import dev.mixrule.proto.ExperimentState;
import dev.mixrule.proto.GetExperimentRequest;
import dev.mixrule.proto.LeaderboardGrpc;
import dev.mixrule.proto.SamplerGrpc;
import dev.mixrule.proto.StatsRequest;
import dev.mixrule.proto.TrainingConfig;
import dev.mixrule.proto.WatchRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The scale benchmark: the real pipeline (sampler, N trainer replicas in one consumer group, evaluator,
 * leaderboard; real broker and Redis, as processes) with trainer and evaluator in simulated mode, so the
 * messaging, storage and search code is driven at rates no GPU farm reaches. Measures candidates per second
 * end to end and the latency from a candidate's proposal to its complete leaderboard entry (seen on Watch).
 */
@Command(name = "pipeline", description = "Drive the real pipeline with simulated training: candidates/s from sampler to "
        + "leaderboard and proposal-to-entry latency (docs/benchmarks.md).")
final class PipelineBench implements Callable<Integer> {
    @Option(names = "--candidates", defaultValue = "20000") int candidates;
    @Option(names = "--max-in-flight", defaultValue = "400", description = "the experiment's in-flight limit") int maxInFlight;
    @Option(names = "--trainers", defaultValue = "3", description = "trainer replicas (one consumer group)") int trainers;
    @Option(names = "--strategy", defaultValue = "random") String strategy;
    @Option(names = "--warmup", defaultValue = "5000", description = "first candidates left out of the figures (JIT warm-up)") int warmup;
    @Option(names = "--timeout-seconds", defaultValue = "900") int timeoutSeconds;
    @Option(names = "--json") boolean json;

    static final String EXPERIMENT_ID = "bench-pipeline";

    private final PrintStream log = System.err;

    @Override
    public Integer call() throws Exception {
        String prefix = "bench-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        StackConfig config = config(prefix);
        LocalStack stack = new LocalStack(config, log)
                .property("trainer-service", "mixrule.trainer.mode", "simulated")
                .property("trainer-service", "mp.messaging.incoming.mixrule-candidates.max.poll.records", "500")
                .property("evaluator-service", "mixrule.evaluator.mode", "simulated");
        log.printf("[1/3] Starting the stack with %d simulated trainer(s) in %s%n", trainers, config.runDir());
        stack.up();
        ManagedChannel samplerCh = Grpc.channel("127.0.0.1:" + config.samplerGrpcPort(), config.runDir());
        ManagedChannel boardCh = Grpc.channel("127.0.0.1:" + config.leaderboardGrpcPort(), config.runDir());
        try {
            EntryWatch seen = new EntryWatch(log);
            LeaderboardGrpc.newStub(boardCh).watch(WatchRequest.newBuilder().setExperimentId(EXPERIMENT_ID).build(), seen);
            Thread.sleep(500); // the watch is registered before the first entry can exist
            long t0 = System.currentTimeMillis();
            StackCpu atStart = StackCpu.now(stack);
            var sampler = SamplerGrpc.newBlockingStub(samplerCh);
            sampler.withDeadlineAfter(30, TimeUnit.SECONDS).createExperiment(ExperimentSpec.newBuilder().setExperimentId(EXPERIMENT_ID)
                    .setDataset("fashion-mnist").setStrategy(strategy).setBudget(candidates).setMaxInFlight(maxInFlight).setSeed(1)
                    .setTraining(TrainingConfig.newBuilder().setEpochs(1)).build());
            log.printf("[2/3] Experiment %s: %d candidates, at most %d in flight, %s search%n", EXPERIMENT_ID, candidates,
                    maxInFlight, strategy);
            Window w = awaitCandidates(stack, sampler, boardCh, seen, t0);
            StackCpu atEnd = StackCpu.now(stack);
            report(seen, t0, atEnd.minus(w.cpu()), seen.size() - w.seen(), atEnd.minus(atStart));
            return seen.size() == candidates ? 0 : 2;
        } finally {
            samplerCh.shutdownNow();
            boardCh.shutdownNow();
            stack.down();
            try (LeaderboardStore keys = new LeaderboardStore(stack.redisUrl(), prefix)) {
                keys.deleteAll(); // the leaderboard's and the sampler's keys: all under the benchmark's prefix
            }
        }
    }

    /** The local stack on ports of its own (a running ./mixrule up is left alone), in a fresh run folder, under a fresh key prefix. */
    private StackConfig config(String prefix) throws IOException {
        StackConfig d = StackConfig.defaults(StackConfig.findRepoRoot());
        Path run = Files.createTempDirectory("mixrule-bench-");
        return new StackConfig(d.repoRoot(), run, 39092, 39093, d.redisUrlOverride(), d.redisPort(), 38081, 52061,
                38082, 38083, 38084, 52051, prefix, trainers);
    }

    /** Where the measured window began: the stack's CPU then, and how many entries had been seen. */
    private record Window(StackCpu cpu, int seen) {}

    /**
     * Every 2 s, progress on stderr, until every candidate is on the leaderboard or the timeout passes; returns the
     * CPU snapshot taken when the warm-up's entries had been seen (within 2 s).
     */
    private Window awaitCandidates(LocalStack stack, SamplerGrpc.SamplerBlockingStub sampler, ManagedChannel boardCh, EntryWatch seen,
                                   long t0) throws InterruptedException {
        long deadline = t0 + timeoutSeconds * 1000L;
        int lastDone = 0;
        long lastT = t0;
        Window start = warmup == 0 ? new Window(StackCpu.now(stack), 0) : null;
        while (seen.size() < candidates && System.currentTimeMillis() < deadline) {
            Thread.sleep(2000);
            long now = System.currentTimeMillis();
            int done = seen.size();
            if (start == null && done >= warmup) {
                start = new Window(StackCpu.now(stack), done);
            }
            Experiment e = sampler.withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getExperiment(GetExperimentRequest.newBuilder().setExperimentId(EXPERIMENT_ID).build());
            if (e.getState() == ExperimentState.EXPERIMENT_STATE_FAILED) {
                throw new IllegalStateException("experiment failed: " + e.getFailureReason());
            }
            long stored = evaluated(boardCh, EXPERIMENT_ID);
            log.printf(Locale.ROOT, "      %6d/%d on the leaderboard (seen on Watch; %d in Redis)  %6.0f/s now  proposed %d  in flight %d  [%ds]%n",
                    done, candidates, stored, (done - lastDone) * 1000.0 / (now - lastT), e.getProposed(), e.getInFlight(),
                    (now - t0) / 1000);
            lastDone = done;
            lastT = now;
        }
        return start != null ? start : new Window(StackCpu.now(stack), seen.size());
    }

    /**
     * The figures; CPU both over the measured window and over the whole run (warm-up included): with a backlog the
     * window can begin after the sampler, trainers and evaluator are done, so only the latter says what every
     * process spends per candidate.
     */
    private void report(EntryWatch seen, long t0, StackCpu cpu, long cpuCandidates, StackCpu wholeRun) {
        EntryWatch.Figures f = seen.figures(warmup, t0);
        long[] l = f.latencies();
        JsonObject out = new JsonObject();
        out.addProperty("candidates", seen.size());
        out.addProperty("warmup_left_out", f.skipped());
        out.addProperty("measured", l.length);
        out.addProperty("requested", candidates);
        out.addProperty("trainers", trainers);
        out.addProperty("max_in_flight", maxInFlight);
        out.addProperty("strategy", strategy);
        out.addProperty("seconds", f.seconds());
        out.addProperty("candidates_per_second", f.countedAfter() / f.seconds());
        out.addProperty("latency_p50_ms", pct(l, 0.50));
        out.addProperty("latency_p90_ms", pct(l, 0.90));
        out.addProperty("latency_p99_ms", pct(l, 0.99));
        out.addProperty("latency_max_ms", l.length == 0 ? 0 : l[l.length - 1]);
        out.addProperty("cores", Runtime.getRuntime().availableProcessors());
        log.printf(Locale.ROOT, "[3/3] %d candidates (first %d left out as warm-up): %.0f candidates/s over the last %.1f s; "
                        + "proposal-to-entry latency p50 %d ms, p90 %d ms, p99 %d ms, max %d ms%n", seen.size(), f.skipped(),
                f.countedAfter() / f.seconds(), f.seconds(), pct(l, 0.5), pct(l, 0.9), pct(l, 0.99), l.length == 0 ? 0 : l[l.length - 1]);
        log.print(cpu.table(cpuCandidates));
        log.print(wholeRun.table(seen.size()).replaceFirst("CPU over", "CPU over the whole run,"));
        out.add("cpu", cpu.json(cpuCandidates));
        out.add("cpu_whole_run", wholeRun.json(seen.size()));
        if (json) {
            System.out.println(Output.json(out));
        }
    }

    /** Entries of the experiment the leaderboard has stored with an evaluation (its Stats call); 0 before the first. */
    static long evaluated(ManagedChannel boardCh, String experimentId) {
        try {
            return LeaderboardGrpc.newBlockingStub(boardCh).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .stats(StatsRequest.newBuilder().setDataset("fashion-mnist").setExperimentId(experimentId).build())
                    .getDatasetsList().stream().flatMap(ds -> ds.getExperimentsList().stream())
                    .mapToLong(x -> x.getProgress().getEvaluated()).sum();
        } catch (StatusRuntimeException e) {
            return 0; // INVALID_ARGUMENT until the dataset's first result
        }
    }

    static long pct(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
