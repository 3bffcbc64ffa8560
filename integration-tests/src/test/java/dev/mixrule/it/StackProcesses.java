package dev.mixrule.it;

import dev.mixrule.cli.stack.LocalStack;
import dev.mixrule.cli.stack.StackConfig;
import dev.mixrule.testkit.TestRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * An IT class's local stack and every process it ever ran (restarts included): brought down by a shutdown
 * hook if the JVM ends early, and checked after {@code down} to have left no process behind.
 */
final class StackProcesses {
    private final LocalStack stack;
    private final List<Long> pids = new ArrayList<>();

    private StackProcesses(LocalStack stack) {
        this.stack = stack;
    }

    /**
     * An IT stack's configuration in a fresh run directory, with its own key prefix on the test Redis: broker
     * on kafkaPort (controller +1), HTTP ports httpBase+1 (sampler) to +4 (leaderboard), gRPC grpcBase+61
     * (sampler) and +51 (leaderboard).
     */
    static StackConfig config(String name, int kafkaPort, int httpBase, int grpcBase, int trainers) throws IOException {
        Path root = Path.of(System.getProperty("mixrule.root", "..")).toAbsolutePath().normalize();
        Path run = Files.createTempDirectory("mixrule-" + name + "-");
        return new StackConfig(root, run, kafkaPort, kafkaPort + 1, TestRedis.url(), 6379, httpBase + 1, grpcBase + 61,
                httpBase + 2, httpBase + 3, httpBase + 4, grpcBase + 51,
                name + "-" + UUID.randomUUID().toString().substring(0, 8) + ":", trainers);
    }

    static StackProcesses up(LocalStack stack) throws IOException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stack.down();
            } catch (Exception ignored) {
                // best effort
            }
        }));
        stack.up();
        StackProcesses p = new StackProcesses(stack);
        p.remember();
        return p;
    }

    /** Notes the processes running now (call after a restart). */
    void remember() {
        for (String name : stack.processNames()) {
            stack.process(name).running().ifPresent(h -> pids.add(h.pid()));
        }
    }

    void downAndCheck() throws IOException {
        stack.down();
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " survived down");
        }
    }
}
