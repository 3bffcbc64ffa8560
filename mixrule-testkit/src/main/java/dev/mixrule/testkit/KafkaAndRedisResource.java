package dev.mixrule.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.UUID;

/** Quarkus test resource: points a service at the test broker, the test Redis and a fresh key prefix. */
public class KafkaAndRedisResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        return Map.of(
                "kafka.bootstrap.servers", TestKafka.bootstrapServers(),
                "mixrule.redis.url", TestRedis.url(),
                "mixrule.redis.prefix", "test-" + UUID.randomUUID().toString().substring(0, 8) + ":");
    }

    @Override
    public void stop() {
        // broker and Redis live for the whole test JVM
    }
}
