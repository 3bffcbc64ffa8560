package dev.mixrule.testkit;

import dev.mixrule.kafka.KafkaAccess;
import dev.mixrule.kernel.security.RedisUsers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Quarkus test resource: points a service at the test broker, the test Redis and a fresh key prefix, with channel
 * security on as in production (and the gRPC server on a free port, quarkus.grpc.server.test-port): Redis through the
 * service's own ACL user (init argument "redis-role", leaderboard by default, or sampler), gRPC over TLS with the test
 * certificate, and the test bearer token. The test broker speaks SASL_PLAINTEXT (no TLS in the test kit); each
 * service's application.properties names its principal for the test profile ({@code %test.mixrule.kafka.user}) and
 * takes its password from {@code mixrule.test.kafka-password.<principal>}, given here.
 */
public class KafkaAndRedisResource implements QuarkusTestResourceLifecycleManager {
    private String role = RedisUsers.LEADERBOARD;
    private String prefix;

    @Override
    public void init(Map<String, String> initArgs) {
        role = initArgs.getOrDefault("redis-role", RedisUsers.LEADERBOARD);
    }

    @Override
    public Map<String, String> start() {
        prefix = "test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        Map<String, String> config = new HashMap<>(Map.of(
                // a free gRPC port: another checkout's tests on this machine may hold the fixed one
                "quarkus.grpc.server.test-port", String.valueOf(freePort()),
                "kafka.bootstrap.servers", TestKafka.bootstrapServers(),
                "mixrule.kafka.protocol", "SASL_PLAINTEXT",
                "mixrule.redis.url", TestRedis.userUrl(role, prefix),
                "mixrule.redis.prefix", prefix,
                "quarkus.grpc.server.ssl.key-store", TestTls.keyStore().toString(),
                "quarkus.grpc.server.ssl.key-store-password", TestTls.STORE_PASSWORD,
                "mixrule.api.token", TestTls.TOKEN));
        for (String service : KafkaAccess.SERVICES) {
            config.put("mixrule.test.kafka-password." + service, TestKafka.password(service));
        }
        return config;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port for the test gRPC server: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        // broker and Redis live for the whole test JVM; the ACL user goes
        TestRedis.dropUser(role, prefix);
    }
}
