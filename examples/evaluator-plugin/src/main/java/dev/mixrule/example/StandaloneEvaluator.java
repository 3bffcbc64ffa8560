package dev.mixrule.example;

import dev.mixrule.core.evaluation.Evaluator;
import dev.mixrule.core.pipeline.EvaluationJob;
import dev.mixrule.kernel.checkpoint.FileCheckpointStore;
import dev.mixrule.kernel.messaging.Topics;
import dev.mixrule.proto.EvaluationResult;
import dev.mixrule.proto.TrainingResult;
import dev.mixrule.proto.TrainingStatus;
import dev.mixrule.signing.SigningInterceptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * The external-evaluator contract, in a plain Kafka client: consume {@code mixrule-training-results}
 * in your own consumer group, skip non-SUCCEEDED results, read the weights through the checkpoint
 * store, publish one {@code EvaluationResult} (key = genome id, your evaluator name and version) to
 * {@code mixrule-evaluation-results}, then commit. Usage:
 *
 * <pre>java -cp ... dev.mixrule.example.StandaloneEvaluator CLIENT_PROPERTIES CHECKPOINT_DIR [PRINCIPAL KEY_FILE]</pre>
 *
 * <p>Two identities, both required: the broker is secured (SASL_SSL, SCRAM-SHA-512, ACLs), and CLIENT_PROPERTIES is
 * the file {@code ./mixrule principals add-evaluator NAME} writes (bootstrap and credentials of Kafka user NAME, whose
 * consumer groups must start with NAME; a bare BOOTSTRAP address works only against MIXRULE_INSECURE=1). Results are
 * signed (mixrule-signing SigningInterceptor) as the principal with the Ed25519 private key that the same file names
 * ({@code mixrule.signing.principal}, {@code mixrule.signing.key-file}), or PRINCIPAL and KEY_FILE when given: the
 * leaderboard believes them once the principal's public key and the evaluator name are registered to it, which
 * {@code add-evaluator} does (docs/security.md).
 */
public final class StandaloneEvaluator implements Runnable {
    private final Properties client;
    private final Path checkpointDir;
    private final Evaluator evaluator;
    private final String principal;
    private final Path keyFile;
    private final AtomicBoolean running = new AtomicBoolean(true);

    public StandaloneEvaluator(String bootstrap, Path checkpointDir, Evaluator evaluator, String principal, Path keyFile) {
        this(clientOf(bootstrap), checkpointDir, evaluator, principal, keyFile);
    }

    /** With the client settings (bootstrap, security) of its Kafka user, signing as {@code principal} with {@code keyFile}. */
    public StandaloneEvaluator(Properties client, Path checkpointDir, Evaluator evaluator, String principal, Path keyFile) {
        this.client = client;
        this.checkpointDir = checkpointDir;
        this.evaluator = evaluator;
        this.principal = principal;
        this.keyFile = keyFile;
    }

    /** Its signing identity from the client settings that {@code ./mixrule principals add-evaluator} wrote. */
    public StandaloneEvaluator(Properties client, Path checkpointDir, Evaluator evaluator) {
        this(client, checkpointDir, evaluator, client.getProperty(SigningInterceptor.PRINCIPAL, ""),
                Path.of(client.getProperty(SigningInterceptor.KEY_FILE, "")));
    }

    public static void main(String[] args) {
        if (args.length != 2 && args.length != 4) {
            System.err.println("usage: StandaloneEvaluator CLIENT_PROPERTIES CHECKPOINT_DIR [PRINCIPAL KEY_FILE]   (e.g. "
                    + ".run/secrets/example-calibration.client.properties .run/checkpoints; make the first with "
                    + "./mixrule principals add-evaluator example-calibration)");
            System.exit(2);
        }
        Properties client = clientOf(args[0]);
        if (Files.isRegularFile(Path.of(args[0]))) {
            try (var in = Files.newBufferedReader(Path.of(args[0]))) {
                client.clear();
                client.load(in);
            } catch (IOException ex) {
                System.err.println("cannot read " + args[0] + ": " + ex.getMessage());
                System.exit(2);
            }
        }
        StandaloneEvaluator e = args.length == 4
                ? new StandaloneEvaluator(client, Path.of(args[1]), new CalibrationEvaluator(), args[2], Path.of(args[3]))
                : new StandaloneEvaluator(client, Path.of(args[1]), new CalibrationEvaluator());
        if (e.principal.isBlank() || e.keyFile.toString().isBlank()) {
            System.err.println("no signing identity: " + args[0] + " names no " + SigningInterceptor.PRINCIPAL + " and "
                    + SigningInterceptor.KEY_FILE + "; give PRINCIPAL KEY_FILE (docs/security.md)");
            System.exit(2);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(e::stop));
        e.run();
    }

    private static Properties clientOf(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }

    public void stop() {
        running.set(false);
    }

    @Override
    public void run() {
        Properties c = new Properties();
        c.putAll(client);
        c.remove(SigningInterceptor.PRINCIPAL); // the producer's, not the consumer's
        c.remove(SigningInterceptor.KEY_FILE);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, evaluator.name());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, SigningInterceptor.class.getName());
        p.put(SigningInterceptor.PRINCIPAL, principal);
        p.put(SigningInterceptor.KEY_FILE, keyFile.toAbsolutePath().toString());
        EvaluationJob job = new EvaluationJob(new FileCheckpointStore(checkpointDir));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            consumer.subscribe(List.of(Topics.TRAINING_RESULTS));
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    TrainingResult t;
                    try {
                        t = TrainingResult.parseFrom(r.value());
                    } catch (Exception e) {
                        System.err.println("skipping unparseable record " + r.key() + ": " + e.getMessage());
                        continue;
                    }
                    if (t.getStatus() != TrainingStatus.TRAINING_STATUS_SUCCEEDED) {
                        continue;
                    }
                    EvaluationResult result = job.run(t, evaluator);
                    producer.send(new ProducerRecord<>(Topics.EVALUATION_RESULTS, t.getGenomeId(), result.toByteArray())).get();
                    System.err.println(evaluator.name() + " " + t.getGenomeId() + " " + result.getMetricsMap());
                }
                consumer.commitSync();
            }
        } catch (Exception e) {
            throw new IllegalStateException(evaluator.name() + " stopped: " + e.getMessage(), e);
        }
    }
}
