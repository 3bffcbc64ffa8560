package dev.mixrule.it;

import dev.mixrule.cli.stack.LocalStack;
import dev.mixrule.cli.stack.StackConfig;
import dev.mixrule.leaderboard.store.LeaderboardStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;

/**
 * The Redis drill's two steps: flush the leaderboard's keys only (the stack's prefix, the sampler's keys under
 * {@code <prefix>sampler:} kept, other prefixes on a shared Redis untouched), and run
 * {@code ./mixrule leaderboard rebuild} against the drills' stack.
 */
final class RedisFlush {
    private RedisFlush() {}

    record Result(int exitCode, String output) {}

    /** Unlinks every key under the prefix except the sampler's; returns how many. */
    static long leaderboardKeys(String redisUrl, String prefix) {
        long n = 0;
        try (LeaderboardStore store = new LeaderboardStore(redisUrl, prefix); Jedis j = store.connection()) {
            ScanParams params = new ScanParams().match(store.keys().everything()).count(1000);
            String cursor = "0";
            do {
                var page = j.scan(cursor, params);
                List<String> doomed = page.getResult().stream().filter(k -> !k.startsWith(prefix + "sampler:")).toList();
                if (!doomed.isEmpty()) {
                    n += j.unlink(doomed.toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!cursor.equals("0"));
        }
        return n;
    }

    /**
     * Runs the CLI jar's {@code leaderboard rebuild} as ./mixrule would, pointed at the drills' stack: by the
     * environment every stack command reads, and by the options the command declares among --bootstrap,
     * --redis-url (or --redis) and --prefix.
     */
    static Result runRebuild(LocalStack stack, CommandLine rebuild) throws Exception {
        StackConfig c = stack.config();
        Set<String> options = rebuild.getCommandSpec().optionsMap().keySet();
        List<String> cmd = new ArrayList<>(List.of(java(), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-jar",
                c.cliJar().toAbsolutePath().toString(), "leaderboard", "rebuild"));
        addIfDeclared(cmd, options, c.kafkaBootstrap(), "--bootstrap");
        addIfDeclared(cmd, options, stack.redisUrl(), "--redis-url", "--redis");
        addIfDeclared(cmd, options, c.redisPrefix(), "--prefix");
        Path log = c.logs().resolve("leaderboard-rebuild.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(Map.of("MIXRULE_HOME", c.repoRoot().toString(), "MIXRULE_RUN_DIR", c.runDir().toString(),
                "MIXRULE_REDIS_URL", stack.redisUrl(), "MIXRULE_REDIS_PREFIX", c.redisPrefix(),
                "MIXRULE_KAFKA", c.kafkaBootstrap(), "MIXRULE_LEADERBOARD", "127.0.0.1:" + c.leaderboardGrpcPort(),
                "MIXRULE_SAMPLER", "127.0.0.1:" + c.samplerGrpcPort()));
        Process p = pb.start();
        boolean exited = p.waitFor(120, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        return exited ? new Result(p.exitValue(), out) : new Result(-1, out + "\n(timed out after 120 s)");
    }

    private static void addIfDeclared(List<String> cmd, Set<String> declared, String value, String... names) {
        for (String name : names) {
            if (declared.contains(name)) {
                cmd.add(name);
                cmd.add(value);
                return;
            }
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
