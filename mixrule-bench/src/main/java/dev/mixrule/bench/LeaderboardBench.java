package dev.mixrule.bench;

import com.google.gson.JsonObject;
import dev.mixrule.cli.Grpc;
import dev.mixrule.cli.Output;
import dev.mixrule.kernel.metrics.Metric;
import dev.mixrule.leaderboard.store.LeaderboardStore;
import dev.mixrule.proto.EntryView;
import dev.mixrule.proto.GetEntryRequest;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.LeaderboardGrpc;
import dev.mixrule.proto.TopRequest;
import dev.mixrule.proto.TopResponse;
import io.grpc.ManagedChannel;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Load test of the leaderboard: fills Redis with N entries under a prefix of its own (the store's
 * bulk path: the keys and rankings of LeaderboardStore.update, pipelined, no Pareto layers), starts the
 * packaged leaderboard-service on free ports over that prefix (or uses --target), then measures Top and
 * GetEntry over real gRPC from concurrent clients, and deletes its keys.
 */
@Command(name = "leaderboard", description = "Fill Redis with N leaderboard entries, then measure Top(k) and GetEntry over gRPC "
        + "(latency p50/p99, queries/s) with concurrent clients; cleans up its keys afterwards.")
final class LeaderboardBench implements Callable<Integer> {
    @Option(names = "--entries", defaultValue = "1000000") int entries;
    @Option(names = "--queries", defaultValue = "100000", description = "per measured call kind") int queries;
    @Option(names = "--concurrency", defaultValue = "8", description = "concurrent client calls in flight") int concurrency;
    @Option(names = "--k", defaultValue = "100") int k;
    @Option(names = "--evaluators", defaultValue = "accuracy,robustness", split = ",",
            description = "evaluations each entry carries: accuracy, robustness, noise, cost (every metric is ranked, "
                    + "so more evaluators mean more sorted-set members per entry)") List<String> evaluators;
    @Option(names = "--redis", defaultValue = "redis://127.0.0.1:6379") String redis;
    @Option(names = "--target", description = "host:port of a running leaderboard over the same Redis and --prefix; "
            + "default: start leaderboard-service/target/quarkus-app/quarkus-run.jar") String target;
    @Option(names = "--prefix", description = "key prefix (default: a fresh bench-<random>:)") String prefix;
    @Option(names = "--server-heap", defaultValue = "512m") String serverHeap;
    @Option(names = "--top-cache", defaultValue = "1000", description = "the started server's mixrule.leaderboard.top-cache; "
            + "0 makes every Top read Redis (the cache is what a leaderboard serves between result arrivals)") int topCache;
    /** The run directory whose CA and token the channels use: the started server's own, else the local stack's. */
    private Path runDir;
    @Option(names = "--keep", description = "leave the entries in Redis") boolean keep;
    @Option(names = "--no-fill", description = "measure entries an earlier --keep run left under --prefix") boolean noFill;
    @Option(names = "--parse-responses", description = "clients parse every response (their CPU then competes with the server's "
            + "on a small machine); default: they receive the bytes unparsed") boolean parseResponses;
    @Option(names = "--view", defaultValue = "summary", description = "Top's entry view, ${COMPLETION-CANDIDATES}: summary is "
            + "what a listing shows (default), full carries every evaluation, curve and the genome of every entry") View view;

    /** Top's entry views. */
    enum View { summary, full }
    @Option(names = "--json") boolean json;

    @Override
    public Integer call() throws Exception {
        String px = prefix != null ? prefix : "bench-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        JsonObject out = new JsonObject();
        out.addProperty("entries", entries);
        out.addProperty("concurrency", concurrency);
        out.addProperty("k", k);
        out.addProperty("top_cache", topCache);
        out.addProperty("view", view.name());
        out.addProperty("prefix", px);
        Process[] server = new Process[1];
        Runnable cleanup = cleanup(server, px);
        Thread hook = new Thread(cleanup, "bench-cleanup"); // Ctrl-C or a timeout must not leave a million keys behind
        Runtime.getRuntime().addShutdownHook(hook);
        try (LeaderboardStore store = new LeaderboardStore(redis, px, List.of())) {
            if (!noFill) {
                fill(store, out);
            }
            String where = target;
            if (where == null) {
                int port = LeaderboardServer.freePort();
                runDir = Files.createTempDirectory("mixrule-bench-run"); // its own CA and key store
                server[0] = LeaderboardServer.start(new LeaderboardServer.Settings(redis, px, serverHeap, topCache), port, runDir);
                where = "127.0.0.1:" + port;
            }
            measure(where, server[0], out);
        } finally {
            cleanup.run();
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        return 0;
    }

    /** Stops the started server and (unless --keep) deletes the bench's keys; once, from whichever runs it first. */
    private Runnable cleanup(Process[] server, String px) {
        AtomicBoolean cleaned = new AtomicBoolean();
        return () -> {
            if (!cleaned.compareAndSet(false, true)) {
                return;
            }
            LeaderboardServer.stop(server[0]);
            if (!keep) {
                try (LeaderboardStore store = new LeaderboardStore(redis, px, List.of())) {
                    System.err.printf(Locale.ROOT, "deleted %,d keys under %s%n", store.deleteAll(), px);
                }
            }
        };
    }

    private void fill(LeaderboardStore store, JsonObject out) throws Exception {
        long memBefore = Cpu.RedisInfo.usedMemory(redis);
        long t0 = System.nanoTime();
        LeaderboardEntry sample = new LeaderboardFill(entries, evaluators).fill(store);
        double fillSeconds = (System.nanoTime() - t0) / 1e9;
        long memAfter = Cpu.RedisInfo.usedMemory(redis);
        out.addProperty("entry_bytes", sample.getSerializedSize());
        out.addProperty("fill_seconds", fillSeconds);
        out.addProperty("fill_entries_per_second", entries / fillSeconds);
        out.addProperty("redis_used_memory_mb", (memAfter - memBefore) / 1048576.0);
        System.err.printf(Locale.ROOT, "filled %,d entries of %d bytes in %.1f s (%.0f/s); Redis used %.0f MB more%n",
                entries, sample.getSerializedSize(), fillSeconds, entries / fillSeconds, (memAfter - memBefore) / 1048576.0);
    }

    /** Warms up, checks Top's answer, then measures Top and GetEntry from concurrent clients and prints the figures. */
    private void measure(String where, Process server, JsonObject out) throws Exception {
        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 0; i < Math.max(1, concurrency / 4); i++) {
            channels.add(runDir == null ? Grpc.channel(where) : Grpc.channel(where, runDir));
        }
        try {
            LeaderboardServer.await(channels.get(0), server);
            LeaderboardCalls calls = new LeaderboardCalls(parseResponses);
            List<String> ids = new LeaderboardFill(entries, evaluators).sampleIds();
            TopRequest top = TopRequest.newBuilder().setDataset(LeaderboardFill.DATASET).setMetric(Metric.TEST_ACCURACY.key()).setK(k)
                    .setView(entryView()).build();
            LoadStats.Call topCall = ch -> calls.top(ch, top);
            LoadStats.Call getCall = ch -> calls.get(ch, GetEntryRequest.newBuilder()
                    .setDataset(LeaderboardFill.DATASET).setGenomeId(ids.get(ThreadLocalRandom.current().nextInt(ids.size()))).build());
            // warm-up: JIT, connection pools, Redis caches
            LoadStats.run(channels, concurrency, Math.min(20_000, queries), topCall);
            LoadStats.run(channels, concurrency, Math.min(20_000, queries), getCall);
            out.addProperty("top_response_bytes", checkTop(channels.get(0), top).getSerializedSize());
            Cpu before = Cpu.now(server, redis);
            LoadStats topStats = LoadStats.run(channels, concurrency, queries, topCall);
            Cpu mid = Cpu.now(server, redis);
            LoadStats getStats = LoadStats.run(channels, concurrency, queries, getCall);
            Cpu after = Cpu.now(server, redis);
            report(out, topStats.withCpu(mid.minus(before)), getStats.withCpu(after.minus(mid)));
        } finally {
            channels.forEach(ManagedChannel::shutdownNow);
        }
    }

    private EntryView entryView() {
        return view == View.full ? EntryView.ENTRY_VIEW_FULL : EntryView.ENTRY_VIEW_SUMMARY;
    }

    /** Top answers k of all the entries, or the figures would measure something else. */
    private TopResponse checkTop(ManagedChannel ch, TopRequest top) {
        TopResponse check = LeaderboardGrpc.newBlockingStub(ch).top(top);
        if (check.getEntriesCount() != k || check.getTotal() != entries) {
            throw new IllegalStateException("Top answered " + check.getEntriesCount() + " of " + check.getTotal()
                    + " entries; expected " + k + " of " + entries);
        }
        return check;
    }

    private void report(JsonObject out, LoadStats topStats, LoadStats getStats) {
        out.addProperty("load_average_1m", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        out.add("top", topStats.json());
        out.add("get_entry", getStats.json());
        if (json) {
            System.out.println(Output.json(out));
        } else {
            System.out.printf(Locale.ROOT, "load average during the run: %.1f on %d cores%n",
                    out.get("load_average_1m").getAsDouble(), Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "Top(k=%d, %s view, %,d bytes) over %,d entries, %d concurrent: %s%n", k, view,
                    out.get("top_response_bytes").getAsInt(), entries, concurrency, topStats);
            System.out.printf(Locale.ROOT, "GetEntry, %d concurrent:                    %s%n", concurrency, getStats);
        }
    }
}
