package dev.mixrule.cli.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mixrule.kernel.security.RedisUsers;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

class StackSecurityTest {
    private static final String REDIS = "redis://127.0.0.1:6379";

    @Test
    void servicesGetTheirOwnRedisUserAndTheKeyStoreThroughTheirEnvironment(@TempDir Path run) throws Exception {
        StackSecurity s = new StackSecurity(config(run, "mixrule:"), new PrintStream(PrintStream.nullOutputStream()));
        Map<String, String> env = s.serviceEnv("sampler-service", REDIS);
        assertEquals("redis://mixrule-sampler:" + s.secrets().password("sampler") + "@127.0.0.1:6379", env.get("MIXRULE_REDIS_URL"));
        assertEquals(s.secrets().token(), env.get("MIXRULE_API_TOKEN"));
        assertEquals(s.secrets().keyStore().toAbsolutePath().toString(), env.get("QUARKUS_GRPC_SERVER_SSL_KEY_STORE"));
        assertTrue(s.serviceEnv("trainer-service", REDIS).isEmpty(), "trainers use neither Redis nor gRPC servers");
        assertEquals("redis://u:***@h:1", StackSecurity.redact("redis://u:secret@h:1"));
    }

    @Test
    void theUsersCreatedAtUpReachOnlyTheirOwnKeys(@TempDir Path run) throws Exception {
        assumeTrue(LocalStack.portOpen(6379), "no Redis on 127.0.0.1:6379");
        String prefix = "t-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        StackSecurity s = new StackSecurity(config(run, prefix), new PrintStream(PrintStream.nullOutputStream()));
        s.ensureRedisUsers(REDIS);
        s.ensureRedisUsers(REDIS); // idempotent
        try (Jedis sampler = new Jedis(URI.create(s.serviceEnv("sampler-service", REDIS).get("MIXRULE_REDIS_URL")));
             Jedis board = new Jedis(URI.create(s.serviceEnv("leaderboard-service", REDIS).get("MIXRULE_REDIS_URL")))) {
            sampler.hset(prefix + "sampler:exp:a", "state", "x");
            board.sadd(prefix + "datasets", "d");
            assertThrows(JedisException.class, () -> sampler.smembers(prefix + "datasets"));
            assertThrows(JedisException.class, () -> board.hgetAll(prefix + "sampler:exp:a"));
            assertThrows(JedisException.class, board::flushAll);
            assertThrows(JedisException.class, () -> board.configGet("*"));
            assertFalse(board.smembers(prefix + "datasets").isEmpty());
            sampler.del(prefix + "sampler:exp:a");
            board.del(prefix + "datasets");
        } finally {
            try (Jedis admin = new Jedis(URI.create(REDIS))) {
                admin.aclDelUser(RedisUsers.user(RedisUsers.SAMPLER, prefix), RedisUsers.user(RedisUsers.LEADERBOARD, prefix));
            }
        }
    }

    private static StackConfig config(Path run, String prefix) {
        return new StackConfig(run, run, 1, 2, null, 6379, 3, 4, 5, 6, 7, 8, prefix, 1);
    }
}
