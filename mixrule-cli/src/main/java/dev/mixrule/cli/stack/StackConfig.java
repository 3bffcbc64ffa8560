package dev.mixrule.cli.stack;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the local stack lives and which ports it binds (all on 127.0.0.1).
 *
 * @param repoRoot the checkout, where the built jars are
 * @param runDir logs, PIDs, broker data and checkpoints
 */
public record StackConfig(Path repoRoot, Path runDir, int kafkaPort, int kafkaControllerPort, String redisUrlOverride,
                          int redisPort, int samplerHttpPort, int samplerGrpcPort, int trainerHttpPort,
                          int evaluatorHttpPort, int leaderboardHttpPort, int leaderboardGrpcPort, String redisPrefix,
                          int trainerReplicas) {

    /** Defaults, overridable by environment variables MIXRULE_RUN_DIR, MIXRULE_REDIS_URL, MIXRULE_TRAINERS. */
    public static StackConfig defaults(Path repoRoot) {
        String run = System.getenv("MIXRULE_RUN_DIR");
        String redis = System.getenv("MIXRULE_REDIS_URL");
        String trainers = System.getenv("MIXRULE_TRAINERS");
        return new StackConfig(repoRoot, run == null || run.isBlank() ? repoRoot.resolve(".run") : Path.of(run),
                19092, 19093, redis == null || redis.isBlank() ? null : redis, 6379,
                8081, 50061, 8082, 8083, 8084, 50051, "mixrule:",
                trainers == null || trainers.isBlank() ? 1 : Integer.parseInt(trainers));
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
