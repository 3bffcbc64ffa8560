package dev.mixrule.cli.stack;

import dev.mixrule.kernel.device.DeviceSpec;
import dev.mixrule.kernel.device.WorkerDevices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the local stack lives and which ports it binds (all on 127.0.0.1).
 *
 * @param repoRoot the checkout, where the built jars are
 * @param runDir logs, PIDs, broker data and checkpoints
 * @param trainerDevices one trainer process per entry, told that device (mixrule.trainer.device); all in one consumer group
 */
public record StackConfig(Path repoRoot, Path runDir, int kafkaPort, int kafkaControllerPort, String redisUrlOverride,
                          int redisPort, int samplerHttpPort, int samplerGrpcPort, int trainerHttpPort,
                          int evaluatorHttpPort, int leaderboardHttpPort, int leaderboardGrpcPort, String redisPrefix,
                          List<DeviceSpec> trainerDevices) {
    /** Trainer processes per GPU when MIXRULE_GPUS is set (issue 14: 8 under CUDA MPS moved 6.7x one). */
    public static final int DEFAULT_WORKERS_PER_GPU = 8;

    public StackConfig {
        trainerDevices = List.copyOf(trainerDevices);
    }

    /** {@code trainerReplicas} trainers, all on the CPU. */
    public StackConfig(Path repoRoot, Path runDir, int kafkaPort, int kafkaControllerPort, String redisUrlOverride,
                       int redisPort, int samplerHttpPort, int samplerGrpcPort, int trainerHttpPort,
                       int evaluatorHttpPort, int leaderboardHttpPort, int leaderboardGrpcPort, String redisPrefix,
                       int trainerReplicas) {
        this(repoRoot, runDir, kafkaPort, kafkaControllerPort, redisUrlOverride, redisPort, samplerHttpPort,
                samplerGrpcPort, trainerHttpPort, evaluatorHttpPort, leaderboardHttpPort, leaderboardGrpcPort, redisPrefix,
                WorkerDevices.assign(0, 1, trainerReplicas));
    }

    /**
     * Defaults, overridable by environment variables MIXRULE_RUN_DIR, MIXRULE_REDIS_URL, MIXRULE_TRAINERS (CPU
     * trainers, default 1), MIXRULE_GPUS (GPUs to train on, default 0) and MIXRULE_WORKERS_PER_GPU (default 8).
     */
    public static StackConfig defaults(Path repoRoot) {
        String run = System.getenv("MIXRULE_RUN_DIR");
        String redis = System.getenv("MIXRULE_REDIS_URL");
        List<DeviceSpec> trainers = WorkerDevices.assign(count("MIXRULE_GPUS", 0),
                count("MIXRULE_WORKERS_PER_GPU", DEFAULT_WORKERS_PER_GPU), count("MIXRULE_TRAINERS", 1));
        return new StackConfig(repoRoot, run == null || run.isBlank() ? repoRoot.resolve(".run") : Path.of(run),
                19092, 19093, redis == null || redis.isBlank() ? null : redis, 6379,
                8081, 50061, 8082, 8083, 8084, 50051, "mixrule:", trainers);
    }

    private static int count(String variable, int unset) {
        String v = System.getenv(variable);
        if (v == null || v.isBlank()) {
            return unset;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + ": '" + v + "' is not a whole number");
        }
    }

    public int trainerReplicas() {
        return trainerDevices.size();
    }

    public String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    public Path logs() {
        return runDir.resolve("logs");
    }

    public Path pids() {
        return runDir.resolve("pids");
    }

    public Path checkpoints() {
        return runDir.resolve("checkpoints");
    }

    public Path serviceJar(String service) {
        return repoRoot.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public Path kafkaLib() {
        return repoRoot.resolve("mixrule-cli/target/kafka-lib");
    }

    public Path cliJar() {
        return repoRoot.resolve("mixrule-cli/target/mixrule-cli.jar");
    }

    /** The repository root: the first folder upwards from the working directory that holds ./mixrule and pom.xml. */
    public static Path findRepoRoot() {
        String env = System.getenv("MIXRULE_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mixrule")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        return Path.of("").toAbsolutePath();
    }
}
