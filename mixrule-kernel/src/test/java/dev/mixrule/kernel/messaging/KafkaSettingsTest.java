package dev.mixrule.kernel.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The shared connector settings (written once, read by every service) agree with Topics. */
class KafkaSettingsTest {
    @Test
    void theSharedConnectorSettingsNameTheDeadLetterTopicOfTopics() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Topics.class.getResourceAsStream("/META-INF/microprofile-config.properties")) {
            assertNotNull(in, "mixrule-kernel must ship META-INF/microprofile-config.properties");
            p.load(in);
        }
        assertEquals(Topics.DEAD_LETTER, p.getProperty("mp.messaging.connector.smallrye-kafka.dead-letter-queue.topic"));
        assertEquals("dead-letter-queue", p.getProperty("mp.messaging.connector.smallrye-kafka.failure-strategy"));
        assertEquals("SASL_SSL", p.getProperty("mixrule.kafka.protocol"), "security is on unless someone turns it off");
        assertEquals("${mixrule.kafka.protocol}", p.getProperty("kafka.security.protocol"));
        assertEquals("SCRAM-SHA-512", p.getProperty("kafka.sasl.mechanism"));
    }
}
