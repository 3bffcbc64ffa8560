package dev.mixrule.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import dev.mixrule.kernel.recipe.TrainingOptions;
import dev.mixrule.proto.EarlyStoppingSpec;
import dev.mixrule.proto.Experiment;
import dev.mixrule.proto.ExperimentSpec;
import dev.mixrule.proto.ExperimentState;
import dev.mixrule.proto.GetExperimentRequest;
import dev.mixrule.proto.ListExperimentsRequest;
import dev.mixrule.proto.ObjectiveSpec;
import dev.mixrule.proto.ResumeExperimentRequest;
import dev.mixrule.proto.SamplerGrpc;
import dev.mixrule.proto.StopExperimentRequest;
import dev.mixrule.proto.TrainingConfig;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Experiments on the sampler over gRPC: create, list, get, stop, resume. */
@Command(name = "experiment", description = "Create, list, stop and resume searches (gRPC, MIXRULE_SAMPLER=host:port, default 127.0.0.1:50061).",
        subcommands = {ExperimentCommand.Create.class, ExperimentCommand.ListCmd.class, ExperimentCommand.Get.class,
                ExperimentCommand.Stop.class, ExperimentCommand.Resume.class})
final class ExperimentCommand extends CommandGroup {


    static int withSampler(Function<SamplerGrpc.SamplerBlockingStub, Integer> call) {
        ManagedChannel ch = Grpc.sampler();
        try {
            return call.apply(SamplerGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS));
        } catch (StatusRuntimeException e) {
            System.err.println("error: " + Grpc.explain(e, "the sampler"));
            return 1;
        } finally {
            ch.shutdownNow();
        }
    }

    /** The gRPC message as JSON with the proto's snake_case field names, defaults included. */
    static String json(MessageOrBuilder m) {
        try {
            return JsonFormat.printer().preservingProtoFieldNames().alwaysPrintFieldsWithNoPresence().print(m);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    static String state(ExperimentState s) {
        return s.name().replace("EXPERIMENT_STATE_", "").toLowerCase(Locale.ROOT);
    }

    static String line(Experiment e) {
        ExperimentSpec s = e.getSpec();
        return String.format(Locale.ROOT, "%-24s %-9s %-22s %-6s %-14s %9s %9d %9d %7d %7d %s", s.getExperimentId(), state(e.getState()),
                s.getStrategy(), s.getSpace() + (s.getUniformRules() ? "/1" : ""), s.getDataset(),
                e.getProposed() + "/" + (s.getBudget() == 0 ? "inf" : s.getBudget()), e.getCompleted(), e.getInFlight(),
                e.getFailed(), e.getEarlyStopped(), Instant.ofEpochMilli(e.getCreatedAtMs()).toString().substring(0, 19) + "Z");
    }

    static final String HEADER = String.format(Locale.ROOT, "%-24s %-9s %-22s %-6s %-14s %9s %9s %9s %7s %7s %s", "experiment",
            "state", "strategy", "space", "dataset", "proposed", "completed", "in_flight", "failed", "stopped", "created");

    static int print(Experiment e, boolean json) {
        if (json) {
            System.out.println(json(e));
        } else {
            System.out.println(HEADER);
            System.out.println(line(e));
            if (!e.getFailureReason().isEmpty()) {
                System.out.println("failure: " + e.getFailureReason());
            }
            if (e.getReused() > 0) {
                System.out.println("reused: " + e.getReused() + " genome(s) told their known score (same dataset and training recipe)"
                        + " instead of training again; they count against the budget");
            }
        }
        return 0;
    }

    @Command(name = "create", description = "Start a search; prints the experiment (its id is needed for stop and resume).")
    static final class Create implements Callable<Integer> {
        @Option(names = "--id", defaultValue = "", description = "experiment id ([a-z0-9-], default: generated)") String id;
        @Option(names = "--dataset", defaultValue = "fashion-mnist") String dataset;
        @Option(names = "--space", defaultValue = "chain", description = "chain or nb201") String space;
        @Option(names = "--strategy", defaultValue = "regularized-evolution", description = "random, regularized-evolution or nsga2") String strategy;
        @Option(names = "--rule", description = "rules a layer may use (repeatable; default every implemented rule)") List<String> rules;
        @Option(names = "--uniform-rules", description = "one rule per network (single-rule search)") boolean uniform;
        @Option(names = "--max-exact-gradient-fraction", defaultValue = "0", description = "propose only genomes whose"
                + " exact_gradient_fraction (share of parameters trained by the true gradient) is at most this, in (0, 1];"
                + " give two searches compared at equal backprop the same cap (default 0: no cap)") double maxExact;
        @Option(names = "--budget", defaultValue = "100", description = "candidates to train; 0 = endless, until stopped") int budget;
        @Option(names = "--max-in-flight", defaultValue = "4", description = "most candidates awaiting results at once (0 = no limit)") int maxInFlight;
        @Option(names = "--objective", description = "metric[:max|:min], repeatable (default valid_accuracy:max); several make nsga2"
                + " multi-objective. Validation (valid_*) or genome/cost metrics only: selection never sees the test split")
        List<String> objectives;
        @Option(names = "--epochs", defaultValue = TrainingOptions.DEFAULT_EPOCHS) int epochs;
        @Option(names = "--train-limit", defaultValue = TrainingOptions.SEARCH_TRAIN_LIMIT, description = "training images per candidate, 0 = all") int trainLimit;
        @Option(names = "--lr", defaultValue = TrainingOptions.BIO_RULES_LEARNING_RATE) double lr;
        @Option(names = "--seed", defaultValue = TrainingOptions.DEFAULT_SEED) long seed;
        @Option(names = "--early-stopping", defaultValue = "none", description = "none, median or halving") String earlyStopping;
        @Option(names = "--grace-epochs", defaultValue = "1") int grace;
        @Option(names = "--candidate-timeout", defaultValue = "3600", description = "seconds before a candidate without result counts as failed") int timeout;
        @Option(names = "--json") boolean json;

        @Override
        public Integer call() {
            ExperimentSpec.Builder spec = ExperimentSpec.newBuilder().setExperimentId(id).setDataset(dataset).setSpace(space)
                    .setStrategy(strategy).setUniformRules(uniform).setBudget(budget).setMaxInFlight(maxInFlight).setSeed(seed)
                    .setCandidateTimeoutSeconds(timeout).setMaxExactGradientFraction(maxExact)
                    .setEarlyStopping(EarlyStoppingSpec.newBuilder().setRule(earlyStopping).setGraceEpochs(grace))
                    .setTraining(TrainingConfig.newBuilder().setEpochs(epochs).setBatchSize(TrainingOptions.DEFAULT.batchSize())
                            .setLearningRate(lr).setMomentum(TrainingOptions.DEFAULT.momentum()).setTrainLimit(trainLimit)
                            .setSeed(seed));
            if (rules != null) {
                spec.addAllRules(rules);
            }
            for (String o : objectives == null ? List.<String>of() : objectives) {
                String[] parts = o.split(":");
                if (parts.length > 2 || (parts.length == 2 && !parts[1].equals("max") && !parts[1].equals("min"))) {
                    System.err.println("error: --objective '" + o + "' must be metric, metric:max or metric:min");
                    return 2;
                }
                // the sampler refuses it too; saying so here needs no running stack
                var refusal = dev.mixrule.kernel.search.SelectionMetrics.refusal(parts[0]);
                if (refusal.isPresent()) {
                    System.err.println("error: --objective: " + refusal.get());
                    return 2;
                }
                spec.addObjectives(ObjectiveSpec.newBuilder().setMetric(parts[0]).setMinimize(parts.length == 2 && parts[1].equals("min")));
            }
            return withSampler(stub -> {
                Experiment e = stub.createExperiment(spec.build());
                if (!json) {
                    System.err.println("created; follow it with ./mixrule experiment get " + e.getSpec().getExperimentId()
                            + " and ./mixrule leaderboard top --experiment " + e.getSpec().getExperimentId());
                }
                return print(e, json);
            });
        }
    }

    @Command(name = "list", description = "Every experiment, newest first.")
    static final class ListCmd implements Callable<Integer> {
        @Option(names = "--state", description = "running, completed, failed or stopped") String stateName;
        @Option(names = "--json") boolean json;

        @Override
        public Integer call() {
            ExperimentState filter = ExperimentState.EXPERIMENT_STATE_UNSPECIFIED;
            if (stateName != null) {
                try {
                    filter = ExperimentState.valueOf("EXPERIMENT_STATE_" + stateName.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    System.err.println("error: --state '" + stateName + "' is not one of running, completed, failed, stopped");
                    return 2;
                }
            }
            ListExperimentsRequest req = ListExperimentsRequest.newBuilder().setState(filter).build();
            return withSampler(stub -> {
                var r = stub.listExperiments(req);
                if (json) {
                    System.out.println(json(r));
                } else {
                    System.out.println(HEADER);
                    r.getExperimentsList().forEach(e -> System.out.println(line(e)));
                    System.out.println(r.getExperimentsCount() + " experiment(s)");
                }
                return 0;
            });
        }
    }

    /** A call on one experiment by id, printed like `get`. */
    abstract static class ById implements Callable<Integer> {
        @Parameters(index = "0", description = "experiment id") String id;
        @Option(names = "--json") boolean json;

        abstract Experiment call(SamplerGrpc.SamplerBlockingStub stub);

        @Override
        public Integer call() {
            return withSampler(stub -> print(call(stub), json));
        }
    }

    @Command(name = "get", description = "One experiment with its proposed genome ids.")
    static final class Get extends ById {
        @Override
        Experiment call(SamplerGrpc.SamplerBlockingStub stub) {
            return stub.getExperiment(GetExperimentRequest.newBuilder().setExperimentId(id).build());
        }
    }

    @Command(name = "stop", description = "Stop proposing; candidates in flight still finish and count. Resume later.")
    static final class Stop extends ById {
        @Override
        Experiment call(SamplerGrpc.SamplerBlockingStub stub) {
            return stub.stopExperiment(StopExperimentRequest.newBuilder().setExperimentId(id).build());
        }
    }

    @Command(name = "resume", description = "Continue a stopped (or failed) experiment where it stood.")
    static final class Resume extends ById {
        @Override
        Experiment call(SamplerGrpc.SamplerBlockingStub stub) {
            return stub.resumeExperiment(ResumeExperimentRequest.newBuilder().setExperimentId(id).build());
        }
    }
}
