package dev.mixrule.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mixrule.cli.stack.LocalKafka;
import dev.mixrule.cli.stack.LocalStack;
import dev.mixrule.cli.stack.StackConfig;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** up, down, status of the local stack. */
final class StackCommands {
    private StackCommands() {}

    static LocalStack stack() {
        return new LocalStack(StackConfig.defaults(StackConfig.findRepoRoot()), System.err);
    }

    @Command(name = "up", description = "Start Kafka, Redis and the four services on 127.0.0.1 (logs and PIDs in .run/).")
    static final class Up implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            LocalStack s = stack();
            if (LocalKafka.insecure()) {
                System.err.println(LocalKafka.INSECURE_WARNING);
            }
            System.err.println("Starting the local stack (run directory " + s.config().runDir() + ")");
            s.up();
            System.err.println("Stack is up. Leaderboard gRPC: 127.0.0.1:" + s.config().leaderboardGrpcPort()
                    + "; stop it with ./mixrule down");
            return 0;
        }
    }

    @Command(name = "down", description = "Stop every process of the local stack, by PID.")
    static final class Down implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            List<String> stopped = stack().down();
            System.err.println(stopped.isEmpty() ? "Nothing was running." : "Stopped " + stopped.size() + " processes.");
            return 0;
        }
    }

    @Command(name = "status", description = "Show each process of the local stack: PID, state, address.")
    static final class Status implements Callable<Integer> {
        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() {
            List<LocalStack.ComponentStatus> all = stack().status();
            if (json) {
                JsonArray a = new JsonArray();
                for (LocalStack.ComponentStatus c : all) {
                    JsonObject o = new JsonObject();
                    o.addProperty("name", c.name());
                    if (c.pid() != null) {
                        o.addProperty("pid", c.pid());
                    }
                    o.addProperty("state", c.state());
                    o.addProperty("address", c.address());
                    a.add(o);
                }
                System.out.println(Output.json(a));
            } else {
                System.out.printf("%-22s %8s  %-14s %s%n", "component", "pid", "state", "address");
                for (LocalStack.ComponentStatus c : all) {
                    System.out.printf("%-22s %8s  %-14s %s%n", c.name(), c.pid() == null ? "-" : c.pid(), c.state(), c.address());
                }
            }
            return 0;
        }
    }
}
