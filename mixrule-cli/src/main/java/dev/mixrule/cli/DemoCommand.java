package dev.mixrule.cli;

import dev.mixrule.cli.stack.LocalStack;
import dev.mixrule.cli.stack.StackEvaluation;
import dev.mixrule.core.rules.LearningRules;
import dev.mixrule.kernel.metrics.Metric;
import dev.mixrule.proto.Experiment;
import dev.mixrule.proto.ExperimentSpec;
import dev.mixrule.proto.ExperimentState;
import dev.mixrule.proto.GetExperimentRequest;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.LeaderboardGrpc;
import dev.mixrule.proto.SamplerGrpc;
import dev.mixrule.proto.TopRequest;
import dev.mixrule.proto.TopResponse;
import dev.mixrule.proto.TrainingConfig;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The main job: bring the stack up, run a real search, show it live, print the leaderboard. */
@Command(name = "demo", description = "Bring the local stack up and run a real search (default: 8 candidates on Fashion-MNIST).")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--candidates", defaultValue = "8", description = "genomes to propose (default ${DEFAULT-VALUE})")
    int candidates;
    @Option(names = "--epochs", defaultValue = "1", description = "training epochs per candidate (default ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--train-limit", defaultValue = "12000", description = "training images per candidate, 0 = all 55,000 (default ${DEFAULT-VALUE})")
    int trainLimit;
    @Option(names = "--dataset", defaultValue = "fashion-mnist") String dataset;
    @Option(names = "--rule", description = "rules a layer may use (repeatable; default: every implemented rule)") List<String> rules;
    @Option(names = "--seed", defaultValue = "-1", description = "search seed (default: from the clock)") long seed;
    @Option(names = "--strategy", defaultValue = "random", description = "random, regularized-evolution or nsga2") String strategy;
    @Option(names = "--max-in-flight", defaultValue = "0", description = "most candidates awaiting results at once (0 = no limit)") int maxInFlight;
    @Option(names = "--timeout-minutes", defaultValue = "60") int timeoutMinutes;
    @Option(names = "--json", description = "print the final leaderboard as a JSON array on stdout") boolean json;

    /** How the search ended: candidates evaluated, and failed in the last poll that saw it finish (0 on a time-out). */
    private record Outcome(int evaluated, int failed) {}

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        if (dataset.equals("fashion-mnist")) {
            DatasetCheck.ensureFashionMnist(System.err);
        }
        LocalStack stack = StackCommands.stack();
        System.err.println("[1/3] Starting the local stack (run directory " + stack.config().runDir() + ")");
        stack.up();
        String experimentId = "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        ManagedChannel samplerCh = Grpc.sampler();
        ManagedChannel boardCh = Grpc.leaderboard();
        try {
            var sampler = SamplerGrpc.newBlockingStub(samplerCh);
            var board = LeaderboardGrpc.newBlockingStub(boardCh);
            createExperiment(sampler, experimentId);
            Outcome outcome = awaitResults(sampler, board, experimentId, t0, stack);
            printLeaderboard(board, experimentId, t0, outcome, stack);
            return outcome.evaluated() + outcome.failed() >= candidates ? 0 : 2;
        } catch (StatusRuntimeException ex) {
            System.err.println("error: " + Grpc.explain(ex, "the stack"));
            return 1;
        } finally {
            samplerCh.shutdownNow();
            boardCh.shutdownNow();
        }
    }

    private void createExperiment(SamplerGrpc.SamplerBlockingStub sampler, String experimentId) {
        long s = seed >= 0 ? seed : System.currentTimeMillis() % 100_000;
        ExperimentSpec.Builder spec = ExperimentSpec.newBuilder().setExperimentId(experimentId).setDataset(dataset)
                .setBudget(candidates).setSeed(s).setStrategy(strategy).setMaxInFlight(maxInFlight).setTraining(TrainingConfig.newBuilder().setEpochs(epochs)
                        .setBatchSize(64).setLearningRate(0.05).setMomentum(0.9).setTrainLimit(trainLimit).setSeed(s));
        if (rules != null) {
            spec.addAllRules(rules);
        }
        Experiment e = sampler.withDeadlineAfter(30, TimeUnit.SECONDS).createExperiment(spec.build());
        System.err.printf(Locale.ROOT, "[2/3] Experiment %s: %d candidates, rules %s, %d epoch(s) on %s images each%n",
                experimentId, candidates, e.getSpec().getRulesList().isEmpty() ? LearningRules.implementedNames()
                        : String.join(",", e.getSpec().getRulesList()), epochs, trainLimit == 0 ? "all" : String.valueOf(trainLimit));
    }

    /** Polls once a second, printing progress when it changes, until every candidate is done or the time is up. */
    private Outcome awaitResults(SamplerGrpc.SamplerBlockingStub sampler, LeaderboardGrpc.LeaderboardBlockingStub board,
                                 String experimentId, long t0, LocalStack stack) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(timeoutMinutes);
        String last = "";
        while (true) {
            Experiment ex = sampler.withDeadlineAfter(30, TimeUnit.SECONDS)
                    .getExperiment(GetExperimentRequest.newBuilder().setExperimentId(experimentId).build());
            if (ex.getState() == ExperimentState.EXPERIMENT_STATE_FAILED) {
                throw new IllegalStateException("experiment failed: " + ex.getFailureReason());
            }
            // ranked by validation accuracy (what chooses): every trained candidate, with the evaluations it has so far
            TopResponse trained = top(board, experimentId, Metric.VALID_ACCURACY.key(), listed());
            int evaluated = (int) trained.getEntriesList().stream().filter(this::evaluatedByAll).count();
            int failed = ex.getFailed();
            String line = String.format(Locale.ROOT, "      proposed %d/%d  trained %d/%d  evaluated %d/%d%s%s", ex.getProposed(),
                    candidates, trained.getTotal(), candidates, evaluated, candidates, failed == 0 ? "" : "  failed " + failed,
                    trained.getEntriesCount() == 0 ? "" : best(trained.getEntries(0)));
            if (!line.equals(last)) {
                System.err.printf(Locale.ROOT, "%s  [%s]%n", line, elapsed(t0));
                last = line;
            }
            // done when every candidate trained and evaluated, or failed (a failure is a result too)
            if (evaluated + failed >= candidates && trained.getTotal() + failed >= candidates
                    && ex.getState() != ExperimentState.EXPERIMENT_STATE_RUNNING) {
                return new Outcome(evaluated, failed);
            }
            if (System.nanoTime() > deadline) {
                System.err.println("Timed out after " + timeoutMinutes + " min with " + evaluated + " of " + candidates
                        + " evaluated. Look at " + stack.config().logs() + "/trainer-service.log and evaluator-service.log.");
                return new Outcome(evaluated, 0);
            }
            Thread.sleep(1000);
        }
    }

    /** Entries listed per poll: every candidate of the experiment (a Top call returns at most 1000). */
    private int listed() {
        return Math.max(1, Math.min(candidates, 1000));
    }

    /** Every evaluator of the stack has reported on the entry, successfully or not (a failed evaluation is a result too). */
    private boolean evaluatedByAll(LeaderboardEntry e) {
        return StackEvaluation.evaluators().stream().allMatch(name -> e.getEvaluationsList().stream()
                .anyMatch(r -> r.getEvaluator().getName().equals(name)));
    }

    /** The best entry by validation accuracy, with its robust accuracy on the validation subset once measured. */
    private static String best(LeaderboardEntry e) {
        Double robust = e.getMetricsMap().get(Metric.VALID_APGD_ACCURACY.key());
        return String.format(Locale.ROOT, "  best valid accuracy %.4f (%s%s)", e.getMetricsOrThrow(Metric.VALID_ACCURACY.key()),
                e.getGenomeId(), robust == null ? "" : String.format(Locale.ROOT, ", valid APGD accuracy %.4f", robust));
    }

    private void printLeaderboard(LeaderboardGrpc.LeaderboardBlockingStub board, String experimentId, long t0, Outcome outcome,
                                  LocalStack stack) {
        // ranked by validation accuracy (what chooses); test accuracy is a report column beside it
        TopResponse top = top(board, experimentId, Metric.VALID_ACCURACY.key(), listed());
        List<LeaderboardEntry> entries = top.getEntriesList();
        System.err.println("[3/3] Done in " + elapsed(t0) + ". Final leaderboard of " + experimentId + ":");
        if (json) {
            System.out.println(Output.json(Output.entries(entries)));
        } else {
            System.out.print(Output.table(entries, Metric.VALID_ACCURACY.key()));
            System.out.print(Output.columnNotes(entries));
        }
        if (outcome.failed() > 0) {
            System.err.println(outcome.failed() + " candidate(s) failed to train (the reason is in their training result and in "
                    + stack.config().logs().resolve("trainer-service.log") + "); the search went on without them.");
        }
        System.err.println();
        System.err.println("The stack is still running. Next:");
        System.err.println("  ./mixrule leaderboard top --dataset " + dataset + " --k 5     # the live leaderboard (gRPC 127.0.0.1:"
                + stack.config().leaderboardGrpcPort() + ")");
        System.err.println("  ./mixrule leaderboard pareto --dataset " + dataset + " --experiment " + experimentId
                + "   # valid accuracy against valid APGD accuracy: the front");
        System.err.println("  http://127.0.0.1:" + stack.config().leaderboardHttpPort() + "/?dataset=" + dataset + "&experiment="
                + experimentId + "   # the live page: that front, best so far, learning curves");
        System.err.println("  ./mixrule leaderboard get <genome_id>               # one entry as JSON");
        System.err.println("  ./mixrule status                                    # processes, logs in " + stack.config().logs());
        System.err.println("  ./mixrule down                                      # stop everything");
    }

    /** Top-k of this experiment; empty while the leaderboard has not seen the metric yet. */
    private TopResponse top(LeaderboardGrpc.LeaderboardBlockingStub board, String experimentId, String metric, int k) {
        try {
            return board.withDeadlineAfter(30, TimeUnit.SECONDS).top(TopRequest.newBuilder().setDataset(dataset)
                    .setExperimentId(experimentId).setMetric(metric).setK(k).build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
                return TopResponse.getDefaultInstance();
            }
            throw e;
        }
    }

    private static String elapsed(long t0) {
        long s = (System.nanoTime() - t0) / 1_000_000_000L;
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
