package dev.mixrule.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plain Kafka clients for tests: send records, and wait for records that match. The methods that take a
 * bootstrap address log in as the test broker's admin ({@link TestKafka#client}); the others take the
 * client properties (bootstrap and credentials) of any broker, such as the local stack's.
 */
public final class TopicProbe {
    private TopicProbe() {}

    public static void send(String bootstrap, String topic, String key, byte[] value) {
        send(testBroker(bootstrap), topic, key, value, Map.of());
    }

    /** Sends one record with these headers (e.g. a principal and its signature). */
    public static void send(String bootstrap, String topic, String key, byte[] value, Map<String, byte[]> headers) {
        send(testBroker(bootstrap), topic, key, value, headers);
    }

    public static void send(Properties client, String topic, String key, byte[] value) {
        send(client, topic, key, value, Map.of());
    }

    public static void send(Properties client, String topic, String key, byte[] value, Map<String, byte[]> headers) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
            headers.forEach((name, bytes) -> record.headers().add(name, bytes));
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not send to " + topic + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the topic from the beginning until {@code count} records match, or the timeout passes.
     * Returns the matching records seen (possibly fewer than count).
     */
    public static List<ConsumerRecord<String, byte[]>> await(String bootstrap, String topic,
            Predicate<ConsumerRecord<String, byte[]>> match, int count, Duration timeout) {
        return await(testBroker(bootstrap), topic, match, count, timeout);
    }

    public static List<ConsumerRecord<String, byte[]>> await(Properties client, String topic,
            Predicate<ConsumerRecord<String, byte[]>> match, int count, Duration timeout) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            while (out.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (match.test(r)) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    /** The admin's client properties for the test broker at that address. */
    private static Properties testBroker(String bootstrap) {
        Properties p = TestKafka.client("admin");
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }
}
