package dev.mixrule.it;

import dev.mixrule.cli.stack.LocalStack;
import dev.mixrule.cli.stack.StackConfig;
import dev.mixrule.kafka.KafkaAccess;
import dev.mixrule.kafka.KafkaSetup;
import dev.mixrule.kernel.messaging.Topics;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.EvaluatorId;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an outside Kafka client gets from the running local stack: nothing without credentials, and with
 * the evaluator's exactly what its ACLs allow. Each attempt is printed with its outcome.
 */
final class KafkaSecurityChecks {
    private final StackConfig config;
    private final LocalStack stack;

    KafkaSecurityChecks(LocalStack stack) {
        this.stack = stack;
        this.config = stack.config();
    }

    void withoutCredentialsNothingWorks() {
        Properties plain = new Properties();
        plain.put("bootstrap.servers", config.kafkaBootstrap());
        String produce = send(plain, Topics.EVALUATION_RESULTS);
        report("no credentials (PLAINTEXT)", "produce to " + Topics.EVALUATION_RESULTS, produce);
        assertTrue(produce.startsWith("refused"), produce);
        String consume = listTopics(plain);
        report("no credentials (PLAINTEXT)", "consume (metadata of any topic)", consume);
        assertTrue(consume.startsWith("refused"), consume);

        Properties wrong = new Properties();
        wrong.putAll(KafkaSetup.client(config.kafkaBootstrap(), KafkaAccess.EVALUATOR, "not-the-password",
                secrets().trustStore(), secrets().storePassword()));
        String badLogin = send(wrong, Topics.EVALUATION_RESULTS);
        report("evaluator, wrong password (SASL_SSL)", "produce to " + Topics.EVALUATION_RESULTS, badLogin);
        assertTrue(badLogin.contains("Authentication"), badLogin);
    }

    void theEvaluatorMayWriteEvaluationsOnly() throws Exception {
        Properties evaluator = stack.kafka().client(KafkaAccess.EVALUATOR);
        String evaluations = send(evaluator, Topics.EVALUATION_RESULTS);
        report("evaluator (SASL_SSL)", "produce to " + Topics.EVALUATION_RESULTS, evaluations);
        assertEquals("accepted", evaluations);
        for (String topic : List.of(Topics.TRAINING_RESULTS, Topics.CANDIDATES)) {
            String r = send(evaluator, topic);
            report("evaluator (SASL_SSL)", "produce to " + topic, r);
            assertTrue(r.contains("TopicAuthorization") || r.contains("Not authorized"), r);
        }
        String read = readFromStart(evaluator, Topics.CANDIDATES);
        report("evaluator (SASL_SSL)", "consume " + Topics.CANDIDATES, read);
        assertTrue(read.contains("TopicAuthorization") || read.contains("Not authorized"), read);
    }

    private dev.mixrule.cli.stack.LocalSecrets secrets() {
        try {
            return stack.kafka().secrets();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void report(String who, String what, String outcome) {
        System.out.printf("kafka access: %-38s %-40s -> %s%n", who, what, outcome);
    }

    /** "accepted", or "refused: <exception>" (a probe record nobody's entries depend on). */
    private static String send(Properties client, String topic) {
        Properties p = new Properties();
        p.putAll(client);
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("max.block.ms", "8000");
        p.put("delivery.timeout.ms", "8000");
        p.put("request.timeout.ms", "5000");
        byte[] value = EvaluationResult.newBuilder().setGenomeId("security-probe").setDataset("security-probe")
                .setExperimentId("security-probe").setEvaluator(EvaluatorId.newBuilder().setName("security-probe").setVersion("1"))
                .build().toByteArray();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(topic, "security-probe", value)).get();
            return "accepted";
        } catch (ExecutionException e) {
            return "refused: " + describe(e.getCause());
        } catch (Exception e) {
            return "refused: " + describe(e);
        }
    }

    private static String listTopics(Properties client) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(client)) {
            return "answered: " + consumer.listTopics(Duration.ofSeconds(8)).keySet();
        } catch (Exception e) {
            return "refused: " + describe(e);
        }
    }

    private static String readFromStart(Properties client, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(client)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            return "read " + consumer.poll(Duration.ofSeconds(8)).count() + " records";
        } catch (Exception e) {
            return "refused: " + describe(e);
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(Properties client) {
        Properties p = new Properties();
        p.putAll(client);
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("default.api.timeout.ms", "8000");
        return new KafkaConsumer<>(p);
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
