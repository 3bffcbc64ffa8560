package dev.mixrule.cli;

import dev.mixrule.proto.GetEntryRequest;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.LeaderboardGrpc;
import dev.mixrule.proto.TopRequest;
import dev.mixrule.proto.TopResponse;
import dev.mixrule.proto.WatchRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Queries of the live leaderboard over gRPC. */
@Command(name = "leaderboard", description = "Query the live leaderboard (gRPC, MIXRULE_LEADERBOARD=host:port, default 127.0.0.1:50051).",
        subcommands = {LeaderboardCommand.Top.class, LeaderboardCommand.Get.class, LeaderboardCommand.Watch.class})
final class LeaderboardCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    /** Runs one call on a fresh channel; a gRPC error becomes a message for people and exit code 1. */
    static int withLeaderboard(java.util.function.Function<LeaderboardGrpc.LeaderboardBlockingStub, Integer> call) {
        ManagedChannel ch = Grpc.leaderboard();
        try {
            return call.apply(LeaderboardGrpc.newBlockingStub(ch));
        } catch (StatusRuntimeException e) {
            System.err.println("error: " + Grpc.explain(e, "the leaderboard"));
            return 1;
        } finally {
            ch.shutdownNow();
        }
    }

    @Command(name = "top", description = "The best k entries by a metric.")
    static final class Top implements Callable<Integer> {
        @Option(names = "--k", defaultValue = "10") int k;
        @Option(names = "--metric", defaultValue = "test_accuracy") String metric;
        @Option(names = "--dataset", defaultValue = "fashion-mnist") String dataset;
        @Option(names = "--experiment", defaultValue = "") String experiment;
        @Option(names = "--rule", description = "only entries using this rule (repeatable)") List<String> rules;
        @Option(names = "--ascending", description = "lowest first") boolean ascending;
        @Option(names = "--json") boolean json;

        @Override
        public Integer call() {
            return withLeaderboard(stub -> {
                TopRequest.Builder req = TopRequest.newBuilder().setDataset(dataset).setMetric(metric).setK(k)
                        .setExperimentId(experiment).setAscending(ascending);
                if (rules != null) {
                    req.addAllRules(rules);
                }
                TopResponse r = stub.withDeadlineAfter(30, TimeUnit.SECONDS).top(req.build());
                if (json) {
                    System.out.println(Output.json(Output.entries(r.getEntriesList())));
                } else {
                    System.out.print(Output.table(r.getEntriesList(), metric));
                    System.out.println(r.getEntriesCount() + " of " + r.getTotal() + " ranked entries on " + dataset);
                }
                return 0;
            });
        }
    }

    @Command(name = "get", description = "One entry, by genome id.")
    static final class Get implements Callable<Integer> {
        @Parameters(index = "0", description = "genome id (16 hex digits)") String id;
        @Option(names = "--dataset", defaultValue = "fashion-mnist") String dataset;

        @Override
        public Integer call() {
            return withLeaderboard(stub -> {
                LeaderboardEntry e = stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                        .getEntry(GetEntryRequest.newBuilder().setGenomeId(id).setDataset(dataset).build());
                System.out.println(Output.json(Output.entry(e)));
                return 0;
            });
        }
    }

    @Command(name = "watch", description = "Stream entries as results arrive (one JSON object per line). Ctrl-C stops.")
    static final class Watch implements Callable<Integer> {
        @Option(names = "--dataset", defaultValue = "") String dataset;
        @Option(names = "--experiment", defaultValue = "") String experiment;

        @Override
        public Integer call() {
            return withLeaderboard(stub -> {
                Iterator<LeaderboardEntry> it = stub.watch(WatchRequest.newBuilder().setDataset(dataset).setExperimentId(experiment).build());
                while (it.hasNext()) {
                    System.out.println(new com.google.gson.Gson().toJson(Output.entry(it.next())));
                    System.out.flush();
                }
                return 0;
            });
        }
    }
}
