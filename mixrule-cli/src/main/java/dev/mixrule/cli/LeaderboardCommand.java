package dev.mixrule.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import dev.mixrule.kernel.search.SelectionMetrics;
import dev.mixrule.proto.DatasetStats;
import dev.mixrule.proto.ExperimentStats;
import dev.mixrule.proto.GetEntryRequest;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.LeaderboardGrpc;
import dev.mixrule.proto.ObjectiveSpec;
import dev.mixrule.proto.ParetoPoint;
import dev.mixrule.proto.ParetoRequest;
import dev.mixrule.proto.ParetoResponse;
import dev.mixrule.proto.EntryView;
import dev.mixrule.proto.Progress;
import dev.mixrule.proto.StatsRequest;
import dev.mixrule.proto.StatsResponse;
import dev.mixrule.proto.TopRequest;
import dev.mixrule.proto.TopResponse;
import dev.mixrule.proto.WatchRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Queries of the live leaderboard over gRPC. --json prints the gRPC response itself (protobuf JSON,
 * snake_case field names as in proto/), so scripts see exactly the fields of the contract.
 */
@Command(name = "leaderboard", description = "Query the live leaderboard (gRPC, MIXRULE_LEADERBOARD=host:port, default 127.0.0.1:50051).",
        subcommands = {LeaderboardCommand.Top.class, LeaderboardCommand.Get.class, LeaderboardCommand.Watch.class,
                LeaderboardCommand.Pareto.class, LeaderboardCommand.Stats.class, ExportCommand.class, RebuildCommand.class})
final class LeaderboardCommand extends CommandGroup {

    private static final JsonFormat.Printer PRETTY = JsonFormat.printer().preservingProtoFieldNames().alwaysPrintFieldsWithNoPresence();
    private static final JsonFormat.Printer LINE = PRETTY.omittingInsignificantWhitespace();


    /** Runs one call on a fresh channel; a gRPC error becomes a one-line message for people and exit code 1. */
    static int withLeaderboard(Function<LeaderboardGrpc.LeaderboardBlockingStub, Integer> call) {
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

    static String json(MessageOrBuilder m) {
        try {
            return PRETTY.print(m);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    static String jsonLine(MessageOrBuilder m) {
        try {
            return LINE.print(m);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    @Command(name = "top", description = "The best k entries by a metric.")
    static final class Top implements Callable<Integer> {
        @Option(names = "--k", defaultValue = "10", description = "1..1000") int k;
        @Option(names = "--metric",
                description = "rank by this metric (default: ${DEFAULT-VALUE}; test_accuracy and other test-split metrics rank only when asked, to report)")
        String metric = SelectionMetrics.VALID_ACCURACY; // an initial value: the constant is no compile-time constant

        @Option(names = "--dataset", defaultValue = "fashion-mnist") String dataset;
        @Option(names = "--experiment", defaultValue = "") String experiment;
        @Option(names = "--rule", description = "only entries using this rule (repeatable)") List<String> rules;
        @Option(names = "--ascending", description = "lowest first") boolean ascending;
        @Option(names = "--json", description = "the TopResponse as JSON") boolean json;
        @Option(names = "--view", description = "${COMPLETION-CANDIDATES}: summary entries carry no genome, training curves, "
                + "evaluations or checkpoint (half the bytes or less); default: full with --json, summary for the table")
        View view;

        /** The entry views a listing can ask for. */
        enum View { full, summary }

        @Override
        public Integer call() {
            boolean summary = view == null ? !json : view == View.summary;
            EntryView v = summary ? EntryView.ENTRY_VIEW_SUMMARY : EntryView.ENTRY_VIEW_FULL;
            return withLeaderboard(stub -> {
                TopRequest.Builder req = TopRequest.newBuilder().setDataset(dataset).setMetric(metric).setK(k)
                        .setExperimentId(experiment).setAscending(ascending).setView(v);
                if (rules != null) {
                    req.addAllRules(rules);
                }
                TopResponse r = stub.withDeadlineAfter(30, TimeUnit.SECONDS).top(req.build());
                if (json) {
                    System.out.println(json(r));
                } else {
                    System.out.print(Output.table(r.getEntriesList(), metric));
                    System.out.println(r.getEntriesCount() + " of " + r.getTotal() + " ranked entries on " + dataset);
                }
                return 0;
            });
        }
    }

    @Command(name = "get", description = "One entry, by genome id, as JSON (the LeaderboardEntry message).")
    static final class Get implements Callable<Integer> {
        @Parameters(index = "0", description = "genome id (16 hex digits)") String id;
        @Option(names = "--dataset", defaultValue = "fashion-mnist") String dataset;

        @Override
        public Integer call() {
            return withLeaderboard(stub -> {
                LeaderboardEntry e = stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                        .getEntry(GetEntryRequest.newBuilder().setGenomeId(id).setDataset(dataset).build());
                System.out.println(json(e));
                return 0;
            });
        }
    }

    @Command(name = "watch", description = "Stream entries as results arrive (one LeaderboardEntry JSON object per line). Ctrl-C stops.")
    static final class Watch implements Callable<Integer> {
        @Option(names = "--dataset", defaultValue = "") String dataset;
        @Option(names = "--experiment", defaultValue = "") String experiment;

        @Override
        public Integer call() {
            return withLeaderboard(stub -> {
                Iterator<LeaderboardEntry> it = stub.watch(WatchRequest.newBuilder().setDataset(dataset).setExperimentId(experiment).build());
                while (it.hasNext()) {
                    System.out.println(jsonLine(it.next()));
                    System.out.flush();
                }
                return 0;
            });
        }
    }

    @Command(name = "pareto", description = "Pareto layers over a set of metrics (layer 0 = the front).")
    static final class Pareto implements Callable<Integer> {
        @Option(names = "--dataset", defaultValue = "fashion-mnist") String dataset;
        @Option(names = "--metrics",
                description = "comma-separated; prefix '-' to minimise, e.g. valid_accuracy,-parameters (default: ${DEFAULT-VALUE})")
        String metrics = SelectionMetrics.DEFAULT_PARETO;
        @Option(names = "--experiment", defaultValue = "") String experiment;
        @Option(names = "--layers", defaultValue = "1", description = "layers from the front, 1..100") int layers;
        @Option(names = "--limit", defaultValue = "100", description = "most entries, 1..1000") int limit;
        @Option(names = "--json", description = "the ParetoResponse as JSON") boolean json;

        @Override
        public Integer call() {
            ParetoRequest.Builder req = ParetoRequest.newBuilder().setDataset(dataset).setExperimentId(experiment)
                    .setLayers(layers).setLimit(limit);
            List<String> names = new ArrayList<>();
            for (String m : metrics.split(",")) {
                String t = m.strip();
                if (!t.isEmpty()) {
                    boolean min = t.startsWith("-");
                    String name = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
                    names.add(name);
                    req.addObjectives(ObjectiveSpec.newBuilder().setMetric(name).setMinimize(min));
                }
            }
            return withLeaderboard(stub -> {
                ParetoResponse r = stub.withDeadlineAfter(30, TimeUnit.SECONDS).pareto(req.build());
                if (json) {
                    System.out.println(json(r));
                    return 0;
                }
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%5s  %-16s", "layer", "genome_id"));
                for (String n : names) { // heads say the split: valid_acc, valid_apgd_acc
                    sb.append(String.format(Locale.ROOT, "  %" + Output.width(n) + "s", Output.head(n)));
                }
                sb.append(String.format(Locale.ROOT, "  %-14s  %s%n", "rules", "architecture"));
                for (ParetoPoint p : r.getPointsList()) {
                    LeaderboardEntry e = p.getEntry();
                    sb.append(String.format(Locale.ROOT, "%5d  %-16s", p.getLayer(), e.getGenomeId()));
                    for (String n : names) {
                        sb.append(String.format(Locale.ROOT, "  %" + Output.width(n) + "s", Output.fmt(e.getMetricsMap().get(n))));
                    }
                    sb.append(String.format(Locale.ROOT, "  %-14s  %s%n", String.join(",", e.getRulesList()), e.getCanonical()));
                }
                System.out.print(sb);
                System.out.printf(Locale.ROOT, "%d entries in layers 0..%d of %d sorted entries (%d layers) over %s on %s%s%n",
                        r.getPointsCount(), layers - 1, r.getSorted(), r.getLayerCount(), r.getMetricSet(), dataset,
                        r.getMaintained() ? "" : " (sorted on request: this set is not kept up to date)");
                return 0;
            });
        }
    }

    @Command(name = "stats", description = "Entry counts per dataset and progress per experiment.")
    static final class Stats implements Callable<Integer> {
        @Option(names = "--dataset", defaultValue = "", description = "one dataset (default: all)") String dataset;
        @Option(names = "--experiment", defaultValue = "") String experiment;
        @Option(names = "--metric", description = "what 'best' refers to (default: ${DEFAULT-VALUE})") String metric = SelectionMetrics.VALID_ACCURACY;
        @Option(names = "--json", description = "the StatsResponse as JSON") boolean json;

        @Override
        public Integer call() {
            return withLeaderboard(stub -> {
                StatsResponse r = stub.withDeadlineAfter(30, TimeUnit.SECONDS).stats(StatsRequest.newBuilder()
                        .setDataset(dataset).setExperimentId(experiment).setMetric(metric).build());
                if (json) {
                    System.out.println(json(r));
                    return 0;
                }
                System.out.printf(Locale.ROOT, "%-28s  %8s  %8s  %9s  %6s  %-11s  %s%n", "dataset / experiment", "entries",
                        "trained", "evaluated", "failed", "best " + (metric.length() > 6 ? metric.substring(0, 6) : metric), "best genome");
                for (DatasetStats d : r.getDatasetsList()) {
                    System.out.print(row(d.getDataset(), d.getProgress()));
                    for (ExperimentStats e : d.getExperimentsList()) {
                        System.out.print(row("  " + e.getExperimentId(), e.getProgress()));
                    }
                }
                if (r.getDatasetsCount() == 0) {
                    System.out.println("no results yet");
                }
                return 0;
            });
        }

        static String row(String name, Progress p) {
            boolean best = !p.getBestGenomeId().isEmpty();
            return String.format(Locale.ROOT, "%-28s  %8d  %8d  %9d  %6d  %-11s  %s%n", name, p.getEntries(), p.getTrained(),
                    p.getEvaluated(), p.getFailed(), best ? String.format(Locale.ROOT, "%.4f", p.getBestValue()) : "-",
                    best ? p.getBestGenomeId() : "-");
        }
    }

    static void write(Path file, String text) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }
}
