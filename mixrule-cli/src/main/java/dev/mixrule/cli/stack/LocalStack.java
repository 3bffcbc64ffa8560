package dev.mixrule.cli.stack;

import dev.mixrule.kafka.KafkaAccess;
import dev.mixrule.kernel.device.DeviceSpec;
import dev.mixrule.leaderboard.store.ResultTopics;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole system on one machine, without Docker: a KRaft Kafka broker, Redis, and the four services,
 * each a process bound to 127.0.0.1, with logs and PIDs under one run directory.
 */
public final class LocalStack {
    public static final String KAFKA = "kafka";
    public static final String REDIS = "redis";
    public static final List<String> SERVICES = List.of("leaderboard-service", "evaluator-service", "trainer-service",
            "sampler-service");

    private final StackConfig config;
    private final PrintStream log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final StackSecurity security;
    private final LocalKafka broker;
    private SigningKeys signingKeys; // made on first use

    public LocalStack(StackConfig config, PrintStream log) {
        this.config = config;
        this.log = log;
        this.security = new StackSecurity(config, log);
        this.broker = new LocalKafka(config, log);
    }

    private final Map<String, Map<String, String>> properties = new LinkedHashMap<>();

    /** A system property for every process of a service ("trainer-service" covers all replicas), from its next start. */
    public LocalStack property(String service, String key, String value) {
        properties.computeIfAbsent(service, k -> new LinkedHashMap<>()).put(key, value);
        return this;
    }

    public StackConfig config() {
        return config;
    }

    /** Every process name of the stack, in start order (trainers may be several). */
    public List<String> processNames() {
        List<String> names = new ArrayList<>(List.of(KAFKA, REDIS));
        for (String s : SERVICES) {
            if (s.equals("trainer-service")) {
                for (int i = 1; i <= config.trainerReplicas(); i++) {
                    names.add(config.trainerReplicas() == 1 ? s : s + "-" + i);
                }
            } else {
                names.add(s);
            }
        }
        return names;
    }

    public ManagedProcess process(String name) {
        return new ManagedProcess(config, name);
    }

    /**
     * The Redis the services use: MIXRULE_REDIS_URL, else 127.0.0.1:6379 whoever runs it; as the user that creates
     * the services' ACL users (each service connects as its own, {@link StackSecurity}).
     */
    public String redisUrl() {
        return config.redisUrlOverride() != null ? config.redisUrlOverride() : "redis://127.0.0.1:" + config.redisPort();
    }

    // ------------------------------------------------------------------ up

    public void up() throws IOException {
        checkBuilt();
        Files.createDirectories(config.logs());
        security.announce();
        startKafka();
        startRedis();
        security.ensureRedisUsers(redisUrl());
        prepareProvenance();
        warnIfGpuSharedWithoutMps();
        Map<String, Integer> health = new LinkedHashMap<>();
        for (String name : processNames().subList(2, processNames().size())) {
            if (process(name).running().isPresent()) {
                log.println("  " + name + " already running");
                continue;
            }
            int port = startService(name);
            health.put(name, port);
        }
        for (Map.Entry<String, Integer> e : health.entrySet()) {
            awaitReady(e.getKey(), e.getValue(), Duration.ofSeconds(120));
        }
    }

    /** Trainers sharing a GPU pay only under CUDA MPS: without its daemon they time-slice (docs/gpu.md, "Packing"). */
    private void warnIfGpuSharedWithoutMps() {
        List<DeviceSpec> gpus = config.trainerDevices().stream().filter(d -> d.kind() == DeviceSpec.Kind.GPU).toList();
        boolean mps = ProcessHandle.allProcesses().anyMatch(p -> p.info().command().orElse("").endsWith("nvidia-cuda-mps-control"));
        if (gpus.size() > gpus.stream().distinct().count() && !mps) {
            log.println("  warning: " + gpus.size() + " trainers share " + gpus.stream().distinct().count() + " GPU(s) and no"
                    + " CUDA MPS daemon runs; start one first (nvidia-cuda-mps-control -d) or they take turns on the GPU");
        }
    }

    /**
     * Starts one process again, on the same configuration and data directory (after a crash, or a stop for a
     * fault drill); a service is waited for until ready. Nothing happens when it is running.
     */
    public void start(String name) throws IOException {
        if (name.equals(KAFKA)) {
            startKafka();
        } else if (name.equals(REDIS)) {
            startRedis();
        } else if (process(name).running().isEmpty()) {
            awaitReady(name, startService(name), Duration.ofSeconds(120));
        }
    }

    private void checkBuilt() {
        List<Path> needed = new ArrayList<>();
        needed.add(config.kafkaLib());
        SERVICES.forEach(s -> needed.add(config.serviceJar(s)));
        for (Path p : needed) {
            if (!Files.exists(p)) {
                throw new StackException(p + " is missing: build first with './mixrule build' (or mvn -B -DskipTests package)");
            }
        }
    }

    private void startKafka() throws IOException {
        ManagedProcess kafka = process(KAFKA);
        if (kafka.running().isPresent()) {
            log.println("  kafka already running on " + config.kafkaBootstrap());
            return;
        }
        if (portOpen(config.kafkaPort())) {
            throw new StackException("port " + config.kafkaPort() + " is taken by another program; stop it, or stop a stack "
                    + "started from another checkout ('./mixrule down' there)");
        }
        Path dir = config.runDir().resolve("kafka");
        Path data = dir.resolve("data");
        Files.createDirectories(dir);
        String cp = config.kafkaLib().toAbsolutePath() + "/*";
        Path props = broker.prepare(dir, data, cp);
        log.println("  starting kafka (KRaft) on " + config.kafkaBootstrap() + (LocalKafka.insecure() ? " (PLAINTEXT)" : " (SASL_SSL)"));
        kafka.start(List.of(java(), "-Xmx512m", "-Xms256m", "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-cp", cp, "kafka.Kafka", props.toString()), Map.of(), config.runDir());
        awaitKafkaPort(kafka);
        broker.secure();
    }

    /** The broker: its settings, credentials and clients. */
    public LocalKafka kafka() {
        return broker;
    }

    /** Waits up to 60 s for the broker's port; a broker that exits or never opens it stops the start. */
    private void awaitKafkaPort(ManagedProcess kafka) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!portOpen(config.kafkaPort())) {
            if (kafka.running().isEmpty()) {
                throw new StackException("kafka exited during start; last log lines:\n" + kafka.logTail(20));
            }
            if (System.nanoTime() > deadline) {
                throw new StackException("kafka did not open port " + config.kafkaPort() + " within 60 s; see " + kafka.logFile());
            }
            ManagedProcess.sleep(200);
        }
    }

    private void startRedis() throws IOException {
        ManagedProcess redis = process(REDIS);
        if (config.redisUrlOverride() != null) {
            log.println("  redis: using " + config.redisUrlOverride() + " (MIXRULE_REDIS_URL)");
            return;
        }
        if (redis.running().isPresent() || portOpen(config.redisPort())) {
            log.println("  redis: using the one on 127.0.0.1:" + config.redisPort());
            return;
        }
        Path redisServer = Path.of("/usr/bin/redis-server");
        if (Files.isExecutable(redisServer)) {
            log.println("  starting redis-server on 127.0.0.1:" + config.redisPort());
            redis.start(List.of(redisServer.toString(), "--port", String.valueOf(config.redisPort()), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", config.runDir().toAbsolutePath().toString()),
                    Map.of(), config.runDir());
        } else {
            log.println("  starting embedded redis on 127.0.0.1:" + config.redisPort() + " (no redis-server installed)");
            redis.start(List.of(java(), "-Xmx64m", "-cp", config.cliJar().toAbsolutePath() + ":"
                    + config.cliJar().getParent().resolve("lib").toAbsolutePath() + "/*",
                    "dev.mixrule.cli.stack.EmbeddedRedisMain", String.valueOf(config.redisPort())), Map.of(), config.runDir());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!portOpen(config.redisPort())) {
            if (redis.running().isEmpty() || System.nanoTime() > deadline) {
                throw new StackException("redis did not start; last log lines:\n" + redis.logTail(20));
            }
            ManagedProcess.sleep(100);
        }
    }

    /**
     * Keeps the results topics forever; makes the services' signing keys on first start and the trust file that
     * declares them, which the leaderboard applies when it starts (mixrule.leaderboard.trust-file).
     */
    private void prepareProvenance() throws IOException {
        // the source of truth of 'leaderboard rebuild' (the broker's default retention is -1 too; this holds for topics
        // made before that default, on an older run directory)
        ResultTopics.keepForever(broker.client(KafkaAccess.ADMIN));
        signingKeys();
    }

    /** The signing keys and trust file, made (or checked) once per stack object rather than at every service start. */
    private SigningKeys signingKeys() throws IOException {
        return signingKeys != null ? signingKeys : (signingKeys = SigningKeys.ensure(config.runDir()));
    }

    private int startService(String name) throws IOException {
        String service = name.startsWith("trainer-service") ? "trainer-service" : name;
        int httpPort = httpPort(name);
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx1g", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=2",
                "-Dquarkus.http.port=" + httpPort,
                "-Dkafka.bootstrap.servers=" + config.kafkaBootstrap(),
                "-Dmixrule.checkpoint.dir=" + config.checkpoints().toAbsolutePath(),
                "-Dmixrule.redis.prefix=" + config.redisPrefix()));
        if (service.equals("sampler-service")) {
            cmd.add("-Dquarkus.grpc.server.port=" + config.samplerGrpcPort());
        }
        if (service.equals("leaderboard-service")) {
            cmd.add("-Dquarkus.grpc.server.port=" + config.leaderboardGrpcPort());
            cmd.add("-Dmixrule.leaderboard.trust-file=" + signingKeys().trustFile().toAbsolutePath());
        }
        if (service.equals("trainer-service")) {
            cmd.add("-Dmixrule.trainer.id=" + name);
            cmd.add("-Dmixrule.trainer.device=" + trainerDevice(name));
            cmd.addAll(signingKeys().serviceProperties(SigningKeys.TRAINER));
        }
        if (service.equals("evaluator-service")) {
            StackEvaluation.properties().forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            cmd.addAll(signingKeys().serviceProperties(SigningKeys.EVALUATOR));
        }
        Map<String, String> env = new LinkedHashMap<>(security.serviceEnv(service, redisUrl()));
        broker.serviceSettings(service, cmd, env);
        properties.getOrDefault(service, Map.of()).forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(config.serviceJar(service).toAbsolutePath().toString());
        log.println("  starting " + name + " (http 127.0.0.1:" + httpPort + ")");
        env.put("OMP_WAIT_POLICY", "PASSIVE");
        // oneDNN's AVX-512 kernels return NaN for NB-201 cells on some CPUs (docs/gpu.md, "CPU")
        env.put("ONEDNN_MAX_CPU_ISA", System.getenv().getOrDefault("ONEDNN_MAX_CPU_ISA", "AVX2"));
        String dataDir = System.getenv("MIXRULE_DATA_DIR");
        if (dataDir != null) {
            env.put("MIXRULE_DATA_DIR", dataDir);
        }
        process(name).start(cmd, env, config.runDir());
        return httpPort;
    }

    private void awaitReady(String name, int httpPort, Duration timeout) {
        ManagedProcess p = process(name);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (p.running().isEmpty()) {
                throw new StackException(name + " exited during start; last log lines of " + p.logFile() + ":\n" + p.logTail(25));
            }
            if (health(httpPort).startsWith("UP")) {
                log.println("  " + name + " ready");
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new StackException(name + " not ready after " + timeout.toSeconds() + " s; see " + p.logFile());
            }
            ManagedProcess.sleep(250);
        }
    }

    /** "UP", "DOWN (...)" or "unreachable", from /q/health/ready. */
    public String health(int httpPort) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? "UP" : "DOWN (HTTP " + r.statusCode() + ")";
        } catch (IOException e) {
            return "unreachable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unreachable";
        }
    }

    /** The device the trainer process of this name is told to train on. */
    DeviceSpec trainerDevice(String name) {
        return config.trainerDevices().get(trainerReplica(name) - 1);
    }

    /** 1 for trainer-service, N for trainer-service-N. */
    private static int trainerReplica(String name) {
        return name.equals("trainer-service") ? 1 : Integer.parseInt(name.substring("trainer-service-".length()));
    }

    public int httpPort(String name) {
        if (name.startsWith("trainer-service")) {
            return config.trainerHttpPort() + (trainerReplica(name) - 1) * 10;
        }
        return switch (name) {
            case "sampler-service" -> config.samplerHttpPort();
            case "evaluator-service" -> config.evaluatorHttpPort();
            case "leaderboard-service" -> config.leaderboardHttpPort();
            default -> -1;
        };
    }

    // ------------------------------------------------------------------ down

    /** Stops every process this run directory knows, services first. Returns the names stopped. */
    public List<String> down() throws IOException {
        List<String> stopped = new ArrayList<>();
        List<String> names = new ArrayList<>(processNames());
        // replicas from an earlier 'up' with more trainers
        if (Files.isDirectory(config.pids())) {
            try (var files = Files.list(config.pids())) {
                files.map(f -> f.getFileName().toString().replace(".pid", "")).filter(n -> !names.contains(n))
                        .forEach(names::add);
            }
        }
        Collections.reverse(names);
        for (String name : names) {
            if (process(name).stop(Duration.ofSeconds(20))) {
                stopped.add(name);
                log.println("  stopped " + name);
            }
        }
        return stopped;
    }

    // ------------------------------------------------------------------ status

    public record ComponentStatus(String name, Long pid, String state, String address) {}

    public List<ComponentStatus> status() {
        List<ComponentStatus> out = new ArrayList<>();
        for (String name : processNames()) {
            ManagedProcess p = process(name);
            Long pid = p.running().map(ProcessHandle::pid).orElse(null);
            String state;
            String address;
            if (name.equals(KAFKA)) {
                address = config.kafkaBootstrap();
                state = pid == null ? "stopped" : portOpen(config.kafkaPort()) ? "UP" : "starting";
            } else if (name.equals(REDIS)) {
                address = redisUrl();
                state = config.redisUrlOverride() != null ? "external"
                        : portOpen(config.redisPort()) ? (pid == null ? "UP (not ours)" : "UP") : "stopped";
            } else {
                int port = httpPort(name);
                address = "http://127.0.0.1:" + port;
                if (name.equals("leaderboard-service")) {
                    address += ", grpc 127.0.0.1:" + config.leaderboardGrpcPort();
                } else if (name.equals("sampler-service")) {
                    address += ", grpc 127.0.0.1:" + config.samplerGrpcPort();
                }
                state = pid == null ? "stopped" : health(port);
            }
            out.add(new ComponentStatus(name, pid, state, address));
        }
        return out;
    }

    static boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
