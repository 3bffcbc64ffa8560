package dev.mixrule.signing;

import dev.mixrule.kernel.signing.RecordSigner;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Signs every record a producer sends (String keys, byte[] values): a Kafka producer interceptor, so services sign
 * without touching their publishing code ({@code mp.messaging.outgoing.<channel>.interceptor.classes}). Its
 * settings, {@value #KEY_FILE} (PEM PKCS#8 Ed25519) and {@value #PRINCIPAL}, come from the producer configuration,
 * else from system properties of the same names, else from the environment ({@code MIXRULE_SIGNING_KEY_FILE},
 * {@code MIXRULE_SIGNING_PRINCIPAL}: how containers get them). Without a key file records pass unsigned (tests,
 * development) with a warning at start, and the leaderboard refuses them.
 */
public final class SigningInterceptor implements ProducerInterceptor<Object, Object> {
    public static final String KEY_FILE = "mixrule.signing.key-file";
    public static final String PRINCIPAL = "mixrule.signing.principal";

    private RecordSigner signer;

    @Override
    public void configure(Map<String, ?> configs) {
        String keyFile = setting(configs, KEY_FILE);
        if (!keyFile.isBlank()) {
            signer = RecordSigner.fromFile(setting(configs, PRINCIPAL), Path.of(keyFile));
        } else {
            System.getLogger(SigningInterceptor.class.getName()).log(System.Logger.Level.WARNING, "no " + KEY_FILE
                    + " (or MIXRULE_SIGNING_KEY_FILE): records go out unsigned and the leaderboard refuses them");
        }
    }

    private static String setting(Map<String, ?> configs, String name) {
        Object v = configs.get(name);
        if (v != null && !v.toString().isBlank()) {
            return v.toString();
        }
        String env = System.getenv(name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        return System.getProperty(name, env == null ? "" : env);
    }

    @Override
    public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
        if (signer == null || (record.value() != null && !(record.value() instanceof byte[]))) {
            return record;
        }
        String key = record.key() == null ? null : record.key().toString();
        ProducerRecord<Object, Object> signed = new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(),
                record.key(), record.value(), record.headers());
        signer.headers(record.topic(), key, (byte[]) record.value()).forEach((name, bytes) -> {
            signed.headers().remove(name);
            signed.headers().add(name, bytes);
        });
        return signed;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        // nothing to do
    }

    @Override
    public void close() {
        // nothing held
    }
}
