package dev.mixrule.bench;

import dev.mixrule.cli.stack.LocalSecrets;
import dev.mixrule.cli.stack.StackConfig;
import dev.mixrule.cli.stack.StackSecurity;
import dev.mixrule.proto.LeaderboardGrpc;
import dev.mixrule.proto.TopRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged leaderboard-service as a process of the load test, on free ports over the bench's own key prefix. */
final class LeaderboardServer {
    private LeaderboardServer() {}

    /** What the started server reads: Redis, the key prefix, its heap and its Top cache. */
    record Settings(String redis, String prefix, String heap, int topCache) {}

    /** Starts the packaged leaderboard over TLS with the key store of runDir's local secrets (made there now). */
    static Process start(Settings s, int grpcPort, Path runDir) throws IOException {
        Path jar = StackConfig.findRepoRoot().resolve("leaderboard-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with mvn -B -DskipTests -pl leaderboard-service -am package, "
                    + "or point --target at a running leaderboard");
        }
        Path log = Files.createTempFile("mixrule-bench-leaderboard", ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + s.heap(), "-XX:+UseParallelGC",
                "-Dquarkus.grpc.server.port=" + grpcPort, "-Dquarkus.http.port=" + freePort(),
                "-Dmixrule.redis.url=" + s.redis(), "-Dmixrule.redis.prefix=" + s.prefix(), "-Dmixrule.leaderboard.top-cache=" + s.topCache(),
                // results do not flow during the bench: point Kafka at a closed port and keep its client quiet
                "-Dkafka.bootstrap.servers=127.0.0.1:" + freePort(), // no broker there: no credentials to give
                "-Dmixrule.kafka.protocol=PLAINTEXT",
                "-Dquarkus.log.category.\"org.apache.kafka\".level=ERROR",
                "-jar", jar.toString()));
        System.err.println("starting the leaderboard on 127.0.0.1:" + grpcPort + " (log " + log + ")");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(StackSecurity.grpcServerEnv(LocalSecrets.ensure(runDir)));
        return pb.start();
    }

    /** Waits up to 90 s for the leaderboard to answer Top; fails early when the started server exits. */
    static void await(ManagedChannel ch, Process server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            try {
                LeaderboardGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .top(TopRequest.newBuilder().setDataset(LeaderboardFill.DATASET).setK(1).build());
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

    /** Stops a started server: politely, then forcibly after 10 s. */
    static void stop(Process server) {
        if (server == null) {
            return;
        }
        server.destroy();
        try {
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        } catch (InterruptedException e) {
            server.destroyForcibly();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
