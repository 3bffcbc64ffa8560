package dev.mixrule.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

class KafkaClientMetersTest {
    @Test
    void everyMeterOfAConsumerCarriesItsGroup() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        KafkaClientMeters meters = new KafkaClientMeters(registry);
        // a consumer never connects before it polls: no broker needed to read its meters
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", "127.0.0.1:9", "group.id",
                "trainer-service", "client.id", "kafka-consumer-mixrule-candidates"), new StringDeserializer(), new StringDeserializer())) {
            meters.consumerCreated(consumer);
            List<Meter> kafka = registry.getMeters().stream().filter(m -> m.getId().getName().startsWith("kafka.consumer.")).toList();
            assertFalse(kafka.isEmpty(), "no Kafka consumer meters bound");
            kafka.forEach(m -> assertEquals("trainer-service", m.getId().getTag(KafkaClientMeters.GROUP), m.getId().toString()));
            assertFalse(registry.find("kafka.consumer.fetch.manager.records.lag.max").meters().isEmpty(), "the consumer lag");
        } finally {
            meters.close();
        }
    }
}
