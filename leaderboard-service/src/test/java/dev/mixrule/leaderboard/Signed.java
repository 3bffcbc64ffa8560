package dev.mixrule.leaderboard;

import dev.mixrule.kernel.messaging.Topics;
import dev.mixrule.kernel.signing.RecordSignatures;
import dev.mixrule.kernel.signing.RecordSigner;
import dev.mixrule.leaderboard.store.LeaderboardStore;
import dev.mixrule.testkit.TestKafka;
import dev.mixrule.testkit.TopicProbe;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The test producers' identities: a trainer and an evaluator principal, registered (with the evaluator names the
 * tests publish under) in the registry of the store the running service uses, and records signed by them.
 */
final class Signed {
    static final String TRAINER = "test-trainer";
    static final String EVALUATOR = "test-evaluator";
    static final KeyPair TRAINER_KEYS = RecordSignatures.generate();
    static final KeyPair EVALUATOR_KEYS = RecordSignatures.generate();
    static final List<String> EVALUATOR_NAMES = List.of("accuracy", "both", "web-test", "robustness");
    private static String registeredIn;

    private Signed() {}

    /** The store of the running service (same Redis and prefix); close it after use. */
    static LeaderboardStore store() {
        var config = ConfigProvider.getConfig();
        return new LeaderboardStore(config.getValue("mixrule.redis.url", String.class),
                config.getValue("mixrule.redis.prefix", String.class));
    }

    static synchronized void register() {
        String prefix = ConfigProvider.getConfig().getValue("mixrule.redis.prefix", String.class);
        if (prefix.equals(registeredIn)) {
            return;
        }
        try (LeaderboardStore store = store()) {
            store.registry().addPrincipal(TRAINER, TRAINER_KEYS.getPublic(), true);
            store.registry().addPrincipal(EVALUATOR, EVALUATOR_KEYS.getPublic(), false);
            EVALUATOR_NAMES.forEach(n -> store.registry().registerEvaluator(n, EVALUATOR));
        }
        registeredIn = prefix;
    }

    /** Headers of a record signed by the test trainer (training results) or the test evaluator (the rest). */
    static Map<String, byte[]> headers(String topic, String key, byte[] value) {
        register();
        KeyPair keys = topic.equals(Topics.TRAINING_RESULTS) ? TRAINER_KEYS : EVALUATOR_KEYS;
        String principal = topic.equals(Topics.TRAINING_RESULTS) ? TRAINER : EVALUATOR;
        return new RecordSigner(principal, keys.getPrivate()).headers(topic, key, value);
    }

    static void send(String topic, String key, byte[] value) {
        TopicProbe.send(TestKafka.bootstrapServers(), topic, key, value, headers(topic, key, value));
    }
}
