package dev.mixrule.cli;

import dev.mixrule.cli.stack.SigningKeys;
import dev.mixrule.kafka.KafkaAccess;
import dev.mixrule.leaderboard.store.LeaderboardStore;
import dev.mixrule.leaderboard.store.ResultAdmission;
import dev.mixrule.leaderboard.store.ResultReplay;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Rebuilds the leaderboard in Redis from the results topics (kept forever), through the same ingestion rules as
 * the live consumer: after losing Redis, or to apply changed rules to every record ever published.
 */
@Command(name = "rebuild", description = "Replay mixrule-training-results and mixrule-evaluation-results from the beginning "
        + "into the leaderboard's Redis, through the ingestion rules (signatures, registry, metric contracts).")
final class RebuildCommand implements Callable<Integer> {
    @Option(names = "--clear", description = "first delete the leaderboard's entries and indexes (the registry stays)")
    boolean clear;
    @Option(names = "--timeout", defaultValue = "PT10M", description = "give up after this long (ISO-8601, default ${DEFAULT-VALUE})")
    Duration timeout;
    @Option(names = "--bootstrap", description = "the broker (default: the local stack's); credentials: the run directory's admin")
    String bootstrap;
    @Option(names = "--redis-url", description = "the leaderboard's Redis (default: the local stack's)") String redisUrl;
    @Option(names = "--prefix", description = "the leaderboard's key prefix (default: the local stack's)") String prefix;

    @Override
    public Integer call() throws Exception {
        var stack = StackCommands.stack();
        try (LeaderboardStore store = new LeaderboardStore(redisUrl != null ? redisUrl : stack.redisUrl(),
                prefix != null ? prefix : stack.config().redisPrefix())) {
            if (store.registry().principals().isEmpty() && Files.isDirectory(stack.config().runDir().resolve("secrets"))) {
                System.err.println("the registry is empty (Redis lost?): registering the local stack's principals again");
                SigningKeys.ensure(stack.config().runDir()).register(store.registry());
            }
            if (clear) {
                System.err.println("deleted " + store.deleteLeaderboard() + " leaderboard keys");
            }
            Properties kafka = stack.kafka().client(KafkaAccess.ADMIN); // SASL_SSL as the operator (admin may read every topic)
            if (bootstrap != null) {
                kafka.put("bootstrap.servers", bootstrap);
            }
            ResultReplay.Summary s = ResultReplay.replay(kafka, store.admission(ResultAdmission.DEFAULT_PENDING_TTL, ResultAdmission.DEFAULT_PENDING_CAP), timeout,
                    System.err::println);
            System.out.printf("read %d records: %d applied, %d refused%n", s.read(), s.applied(), s.refused());
            s.reasons().forEach(r -> System.out.println("  refused: " + r));
            return 0;
        }
    }
}
