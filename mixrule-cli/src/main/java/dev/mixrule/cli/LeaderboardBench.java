package dev.mixrule.cli;

import com.google.gson.JsonObject;
import dev.mixrule.cli.stack.StackConfig;
import dev.mixrule.kernel.genome.GenomeCodec;
import dev.mixrule.leaderboard.store.BulkLoader;
import dev.mixrule.leaderboard.store.EntryMerge;
import dev.mixrule.leaderboard.store.LeaderboardStore;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluationStatus;
import dev.mixrule.proto.EvaluatorId;
import dev.mixrule.proto.GetEntryRequest;
import dev.mixrule.proto.LeaderboardEntry;
import dev.mixrule.proto.LeaderboardGrpc;
import dev.mixrule.proto.ModelCost;
import dev.mixrule.proto.TopRequest;
import dev.mixrule.proto.TopResponse;
import dev.mixrule.proto.TrainingMetrics;
import dev.mixrule.proto.TrainingResult;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.Jedis;

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
    @Option(names = "--keep", description = "leave the entries in Redis") boolean keep;
    @Option(names = "--no-fill", description = "measure entries an earlier --keep run left under --prefix") boolean noFill;
    @Option(names = "--parse-responses", description = "clients parse every response (their CPU then competes with the server's "
            + "on a small machine); default: they receive the bytes unparsed") boolean parseResponses;
    @Option(names = "--json") boolean json;

    /** Responses as bytes: the load generator measures the server and the wire, not its own parsing. */
    static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream in) {
            try {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    static final MethodDescriptor<TopRequest, byte[]> TOP_RAW = LeaderboardGrpc.getTopMethod()
            .toBuilder(ProtoUtils.marshaller(TopRequest.getDefaultInstance()), RAW).build();
    static final MethodDescriptor<GetEntryRequest, byte[]> GET_RAW = LeaderboardGrpc.getGetEntryMethod()
            .toBuilder(ProtoUtils.marshaller(GetEntryRequest.getDefaultInstance()), RAW).build();

    void top(Channel ch, TopRequest req) {
        if (parseResponses) {
            LeaderboardGrpc.newBlockingStub(ch).top(req);
        } else {
            ClientCalls.blockingUnaryCall(ch, TOP_RAW, CallOptions.DEFAULT, req);
        }
    }

    void get(Channel ch, GetEntryRequest req) {
        if (parseResponses) {
            LeaderboardGrpc.newBlockingStub(ch).getEntry(req);
        } else {
            ClientCalls.blockingUnaryCall(ch, GET_RAW, CallOptions.DEFAULT, req);
        }
    }

    static final String DATASET = "bench";

    @Override
    public Integer call() throws Exception {
        String px = prefix != null ? prefix : "bench-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        JsonObject out = new JsonObject();
        out.addProperty("entries", entries);
        out.addProperty("concurrency", concurrency);
        out.addProperty("k", k);
        out.addProperty("top_cache", topCache);
        out.addProperty("prefix", px);
        Process[] server = new Process[1];
        java.util.concurrent.atomic.AtomicBoolean cleaned = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable cleanup = () -> {
            if (!cleaned.compareAndSet(false, true)) {
                return;
            }
            if (server[0] != null) {
                server[0].destroy();
                try {
                    if (!server[0].waitFor(10, TimeUnit.SECONDS)) {
                        server[0].destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    server[0].destroyForcibly();
                }
            }
            if (!keep) {
                try (LeaderboardStore store = new LeaderboardStore(redis, px, List.of())) {
                    System.err.printf(Locale.ROOT, "deleted %,d keys under %s%n", store.deleteAll(), px);
                }
            }
        };
        Thread hook = new Thread(cleanup, "bench-cleanup"); // Ctrl-C or a timeout must not leave a million keys behind
        Runtime.getRuntime().addShutdownHook(hook);
        try (LeaderboardStore store = new LeaderboardStore(redis, px, List.of())) {
            if (!noFill) {
                long memBefore = usedMemory();
                long t0 = System.nanoTime();
                LeaderboardEntry sample = fill(store);
                double fillSeconds = (System.nanoTime() - t0) / 1e9;
                long memAfter = usedMemory();
                out.addProperty("entry_bytes", sample.getSerializedSize());
                out.addProperty("fill_seconds", fillSeconds);
                out.addProperty("fill_entries_per_second", entries / fillSeconds);
                out.addProperty("redis_used_memory_mb", (memAfter - memBefore) / 1048576.0);
                System.err.printf(Locale.ROOT, "filled %,d entries of %d bytes in %.1f s (%.0f/s); Redis used %.0f MB more%n",
                        entries, sample.getSerializedSize(), fillSeconds, entries / fillSeconds, (memAfter - memBefore) / 1048576.0);
            }
            String where = target;
            if (where == null) {
                int port = freePort();
                server[0] = startServer(px, port);
                where = "127.0.0.1:" + port;
            }
            List<ManagedChannel> channels = new ArrayList<>();
            for (int i = 0; i < Math.max(1, concurrency / 4); i++) {
                channels.add(ManagedChannelBuilder.forTarget(where).usePlaintext().build());
            }
            try {
                awaitServer(channels.get(0), server[0]);
                List<String> ids = sampleIds();
                TopRequest top = TopRequest.newBuilder().setDataset(DATASET).setMetric("test_accuracy").setK(k).build();
                // warm-up: JIT, connection pools, Redis caches
                run(channels, Math.min(20_000, queries), ch -> top(ch, top));
                run(channels, Math.min(20_000, queries), ch -> get(ch, GetEntryRequest.newBuilder()
                        .setDataset(DATASET).setGenomeId(ids.get(ThreadLocalRandom.current().nextInt(ids.size()))).build()));
                TopResponse check = LeaderboardGrpc.newBlockingStub(channels.get(0)).top(top);
                if (check.getEntriesCount() != k || check.getTotal() != entries) {
                    throw new IllegalStateException("Top answered " + check.getEntriesCount() + " of " + check.getTotal()
                            + " entries; expected " + k + " of " + entries);
                }
                out.addProperty("top_response_bytes", check.getSerializedSize());
                Cpu before = cpu(server[0]);
                Stats topStats = run(channels, queries, ch -> top(ch, top));
                Cpu mid = cpu(server[0]);
                Stats getStats = run(channels, queries, ch -> get(ch, GetEntryRequest.newBuilder()
                        .setDataset(DATASET).setGenomeId(ids.get(ThreadLocalRandom.current().nextInt(ids.size()))).build()));
                Cpu after = cpu(server[0]);
                topStats = topStats.withCpu(mid.minus(before));
                getStats = getStats.withCpu(after.minus(mid));
                out.addProperty("load_average_1m", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                out.add("top", topStats.json());
                out.add("get_entry", getStats.json());
                if (json) {
                    System.out.println(Output.json(out));
                } else {
                    System.out.printf(Locale.ROOT, "load average during the run: %.1f on %d cores%n",
                            out.get("load_average_1m").getAsDouble(), Runtime.getRuntime().availableProcessors());
                    System.out.printf(Locale.ROOT, "Top(k=%d) over %,d entries, %d concurrent: %s%n", k, entries, concurrency, topStats);
                    System.out.printf(Locale.ROOT, "GetEntry, %d concurrent:                    %s%n", concurrency, getStats);
                }
            } finally {
                channels.forEach(ManagedChannel::shutdownNow);
            }
        } finally {
            cleanup.run();
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        return 0;
    }

    /** Entries as the pipeline makes them: training, then accuracy, robustness, noise and cost evaluations. */
    LeaderboardEntry fill(LeaderboardStore store) throws Exception {
        List<String> genomes = List.of(
                "chain:pad2|conv5x5-6-p0-relu@bp|maxpool2|conv5x5-16-p0-relu@fa|maxpool2|dense-120-relu@usf|dense-84-relu@fa|dense-10@bp",
                "chain:pad0|conv3x3-32-p1-relu@fa|maxpool2|conv3x3-64-p1-relu@frsf|maxpool2|dense-10@bp",
                "chain:pad2|conv5x5-6-p0-tanh@dfa|avgpool2|conv5x5-16-p0-tanh@dfa|avgpool2|dense-84-tanh@dfa|dense-10@bp",
                "chain:pad0|conv3x3-16-p1-relu@brsf|maxpool2|conv3x3-32-p1-relu@usf|maxpool2|dense-64-relu@fa|dense-10@bp");
        List<LeaderboardEntry> templates = new ArrayList<>();
        for (String c : genomes) {
            templates.add(template(c));
        }
        int threads = 2;
        int batch = 5000;
        AtomicLong next = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    Random r = new Random();
                    List<LeaderboardEntry> buf = new ArrayList<>(batch);
                    for (long from; (from = next.getAndAdd(batch)) < entries; ) {
                        buf.clear();
                        for (long i = from; i < Math.min(entries, from + batch); i++) {
                            buf.add(variant(templates.get((int) (i % templates.size())), i, r));
                        }
                        new BulkLoader(store).load(buf);
                        if ((from / batch) % 40 == 0) {
                            System.err.printf(Locale.ROOT, "\rfilling %,d / %,d", from, entries);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            System.err.print("\r");
        } finally {
            pool.shutdownNow();
        }
        return variant(templates.get(0), 0, new Random(0));
    }

    LeaderboardEntry template(String canonical) {
        var g = GenomeCodec.fromCanonical(canonical);
        String id = GenomeCodec.id(g);
        TrainingResult t = TrainingResult.newBuilder().setGenomeId(id).setGenome(g).setCanonical(canonical).setDataset(DATASET)
                .setExperimentId("bench-exp").setCheckpointUri("file:///var/lib/mixrule/checkpoints/" + id + "/" + DATASET + ".ckpt")
                .setMetrics(TrainingMetrics.newBuilder().setTrainLoss(0.41).setTrainAccuracy(0.86).setValidAccuracy(0.85)
                        .setEpochsCompleted(2).setTrainSeconds(95.2).setTrainImagesPerSecond(1150).setTrainExamples(55000).setValidExamples(5000))
                .setCost(ModelCost.newBuilder().setParameters(61706).setMacs(429128).setBpFraction(0.4)
                        .putRuleFractions("bp", 0.4).putRuleFractions("fa", 0.35).putRuleFractions("usf", 0.25))
                .build();
        LeaderboardEntry e = EntryMerge.withTraining(null, t, 1);
        if (evaluators.contains("accuracy")) e = EntryMerge.withEvaluation(e, evaluation(id, "accuracy", "test:10000", 10000, "test_accuracy", 0.85), 1);
        if (evaluators.contains("robustness")) e = EntryMerge.withEvaluation(e, evaluation(id, "robustness", "screening:test[0:500]:linf:eps=0.1000:fgsm;pgd-10;apgd-ce-20;square-200;transfer-pgd-10",
                500, "clean_accuracy", 0.85, "fgsm_accuracy", 0.21, "pgd_accuracy", 0.08, "apgd_accuracy", 0.06, "square_accuracy", 0.31,
                "transfer_accuracy", 0.44, "pgd_accuracy_eps0.0500", 0.39, "pgd_accuracy_eps0.1000", 0.08, "pgd_accuracy_eps0.2000", 0.0,
                "pgd_accuracy_eps0.3000", 0.0), 1);
        if (evaluators.contains("noise")) e = EntryMerge.withEvaluation(e, evaluation(id, "noise", "test:2000:gaussian", 2000, "noise_accuracy_sigma0.05", 0.84,
                "noise_accuracy_sigma0.1", 0.80, "noise_accuracy_sigma0.2", 0.62), 1);
        if (evaluators.contains("cost")) e = EntryMerge.withEvaluation(e, evaluation(id, "cost", "static", 0, "macs", 429128, "share_bp", 0.4, "share_fa", 0.35,
                "share_usf", 0.25), 1);
        return e;
    }

    static EvaluationResult evaluation(String id, String name, String protocol, int examples, Object... metrics) {
        EvaluationResult.Builder b = EvaluationResult.newBuilder().setGenomeId(id).setDataset(DATASET).setExperimentId("bench-exp")
                .setEvaluator(EvaluatorId.newBuilder().setName(name).setVersion("1")).setProtocol(protocol)
                .setStatus(EvaluationStatus.EVALUATION_STATUS_SUCCEEDED).setExamples(examples).setEvaluatedAtMs(1_760_000_000_000L);
        for (int i = 0; i < metrics.length; i += 2) {
            b.putMetrics((String) metrics[i], ((Number) metrics[i + 1]).doubleValue());
        }
        return b.build();
    }

    /** The template under a new id with its own scores (ids are not hashes of the genome here: only sizes matter). */
    static LeaderboardEntry variant(LeaderboardEntry t, long i, Random r) {
        double acc = 0.5 + 0.45 * r.nextDouble();
        double apgd = acc * 0.3 * r.nextDouble();
        return t.toBuilder().setGenomeId(String.format(Locale.ROOT, "%016x", 0x5eed000000000000L + i))
                .putMetrics("test_accuracy", acc).putMetrics("apgd_accuracy", apgd)
                .putMetrics("valid_accuracy", acc - 0.01 + 0.02 * r.nextDouble()).setUpdatedAtMs(1_760_000_000_000L + i).build();
    }

    List<String> sampleIds() {
        List<String> ids = new ArrayList<>();
        Random r = new Random(2);
        for (int i = 0; i < 10_000; i++) {
            ids.add(String.format(Locale.ROOT, "%016x", 0x5eed000000000000L + r.nextInt(entries)));
        }
        return ids;
    }

    interface Call {
        void run(Channel ch);
    }

    /** CPU seconds spent by the server, Redis and this client: on a shared machine, what each query costs is steadier than the rates. */
    record Cpu(double server, double redis, double client) {
        Cpu minus(Cpu o) {
            return new Cpu(server - o.server, redis - o.redis, client - o.client);
        }
    }

    Cpu cpu(Process server) {
        double s = server == null ? Double.NaN : server.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
        double r = 0;
        try (Jedis j = new Jedis(URI.create(redis))) {
            for (String line : j.info("cpu").split("\r?\n")) {
                if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
                    r += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        }
        double c = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
        return new Cpu(s, r, c);
    }

    record Stats(long calls, double seconds, long[] sortedNanos, Cpu cpu) {
        Stats(long calls, double seconds, long[] sortedNanos) {
            this(calls, seconds, sortedNanos, null);
        }

        Stats withCpu(Cpu c) {
            return new Stats(calls, seconds, sortedNanos, c);
        }

        /** Microseconds of CPU per query: server, Redis, client. */
        String cpuPerQuery() {
            return cpu == null ? "" : String.format(Locale.ROOT, "; CPU per query: server %.0f us, Redis %.0f us, client %.0f us",
                    1e6 * cpu.server() / calls, 1e6 * cpu.redis() / calls, 1e6 * cpu.client() / calls);
        }

        double percentileMs(double p) {
            return sortedNanos[(int) Math.min(sortedNanos.length - 1, Math.ceil(p * sortedNanos.length) - 1)] / 1e6;
        }

        double qps() {
            return calls / seconds;
        }

        JsonObject json() {
            JsonObject o = new JsonObject();
            o.addProperty("calls", calls);
            o.addProperty("queries_per_second", qps());
            o.addProperty("p50_ms", percentileMs(0.50));
            o.addProperty("p99_ms", percentileMs(0.99));
            o.addProperty("max_ms", sortedNanos[sortedNanos.length - 1] / 1e6);
            if (cpu != null) {
                o.addProperty("server_cpu_us_per_query", 1e6 * cpu.server() / calls);
                o.addProperty("redis_cpu_us_per_query", 1e6 * cpu.redis() / calls);
                o.addProperty("client_cpu_us_per_query", 1e6 * cpu.client() / calls);
            }
            return o;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,.0f queries/s, p50 %.3f ms, p99 %.3f ms, max %.1f ms (%,d calls)%s", qps(),
                    percentileMs(0.5), percentileMs(0.99), sortedNanos[sortedNanos.length - 1] / 1e6, calls, cpuPerQuery());
        }
    }

    /** `total` calls from `concurrency` threads, closed loop (each sends its next call when the last returns). */
    Stats run(List<ManagedChannel> channels, int total, Call call) throws Exception {
        long[] nanos = new long[total];
        AtomicLong next = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < concurrency; t++) {
                Channel ch = channels.get(t % channels.size());
                done.add(pool.submit(() -> {
                    start.await();
                    for (long i; (i = next.getAndIncrement()) < total; ) {
                        long s = System.nanoTime();
                        call.run(ch);
                        nanos[(int) i] = System.nanoTime() - s;
                    }
                    return null;
                }));
            }
            long t0 = System.nanoTime();
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Arrays.sort(nanos);
            return new Stats(total, seconds, nanos);
        } finally {
            pool.shutdownNow();
        }
    }

    long usedMemory() {
        try (Jedis j = new Jedis(URI.create(redis))) {
            for (String line : j.info("memory").split("\r?\n")) {
                if (line.startsWith("used_memory:")) {
                    return Long.parseLong(line.substring("used_memory:".length()).trim());
                }
            }
        }
        return 0;
    }

    Process startServer(String px, int grpcPort) throws IOException {
        Path jar = StackConfig.findRepoRoot().resolve("leaderboard-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with mvn -B -DskipTests -pl leaderboard-service -am package, "
                    + "or point --target at a running leaderboard");
        }
        Path log = Files.createTempFile("mixrule-bench-leaderboard", ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + serverHeap, "-XX:+UseParallelGC",
                "-Dquarkus.grpc.server.port=" + grpcPort, "-Dquarkus.http.port=" + freePort(),
                "-Dmixrule.redis.url=" + redis, "-Dmixrule.redis.prefix=" + px, "-Dmixrule.leaderboard.top-cache=" + topCache,
                // results do not flow during the bench: point Kafka at a closed port and keep its client quiet
                "-Dkafka.bootstrap.servers=127.0.0.1:" + freePort(),
                "-Dquarkus.log.category.\"org.apache.kafka\".level=ERROR",
                "-jar", jar.toString()));
        System.err.println("starting the leaderboard on 127.0.0.1:" + grpcPort + " (log " + log + ")");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static void awaitServer(ManagedChannel ch, Process server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            try {
                LeaderboardGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .top(TopRequest.newBuilder().setDataset(DATASET).setK(1).build());
                return;
            } catch (StatusRuntimeException e) {
                if (server != null && !server.isAlive()) {
                    throw new IllegalStateException("the leaderboard server exited with " + server.exitValue());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the leaderboard did not answer within 90 s: " + e.getStatus());
                }
                Thread.sleep(300);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
