package dev.mixrule.testkit;

import dev.mixrule.kafka.KafkaAccess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Quarkus test resource: points a service at the test broker, the test Redis and a fresh key prefix. The
 * test broker speaks SASL_PLAINTEXT (no TLS in the test kit); each service's application.properties names
 * its principal for the test profile ({@code %test.mixrule.kafka.user}) and takes its password from
 * {@code mixrule.test.kafka-password.<principal>}, given here.
 */
public class KafkaAndRedisResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", TestKafka.bootstrapServers(),
                "mixrule.kafka.protocol", "SASL_PLAINTEXT",
                "mixrule.redis.url", TestRedis.url(),
                "mixrule.redis.prefix", "test-" + UUID.randomUUID().toString().substring(0, 8) + ":"));
        for (String service : KafkaAccess.SERVICES) {
            config.put("mixrule.test.kafka-password." + service, TestKafka.password(service));
        }
        return config;
    }

    @Override
    public void stop() {
        // broker and Redis live for the whole test JVM
    }
}
