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

/** Experiments on the sampler over gRPC: create, list, get, stop, resume; their trials exported and drawn (with the leaderboard). */
@Command(name = "experiment", description = "Create, list, stop and resume searches; export their trials and draw their learning curves (gRPC, MIXRULE_SAMPLER=host:port, default 127.0.0.1:50061).",
        subcommands = {ExperimentCreate.class, ExperimentCommand.ListCmd.class, ExperimentCommand.Get.class,
                ExperimentCommand.Stop.class, ExperimentCommand.Resume.class, ExperimentExport.class, ExperimentCurves.class})
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
