package dev.mixrule.kafka;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Client settings for a principal, and the admin's idempotent set-up of a secured broker: topics, SCRAM
 * credentials, ACLs ({@link KafkaAccess}). Needs kafka-clients on the class path.
 */
public final class KafkaSetup {
    /** SCRAM iterations for credentials made through the Admin API (as StorageTool's default). */
    public static final int SCRAM_ITERATIONS = 4096;

    private KafkaSetup() {}

    /** The JAAS line of a SCRAM client. */
    public static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /**
     * Properties of a client that logs in as {@code user}: SASL_SSL (SCRAM-SHA-512) trusting the PKCS12 store
     * given, or SASL_PLAINTEXT when {@code trustStore} is null (the in-JVM test broker).
     */
    public static Map<String, Object> client(String bootstrap, String user, String password, Path trustStore,
                                             String trustStorePassword) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, trustStore == null ? "SASL_PLAINTEXT" : "SASL_SSL");
        p.put(SaslConfigs.SASL_MECHANISM, KafkaAccess.MECHANISM);
        p.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(user, password));
        if (trustStore != null) {
            p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trustStore.toAbsolutePath().toString());
            p.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, trustStorePassword);
            p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        }
        return p;
    }

    /** Creates the missing topics (broker defaults for partitions and replicas). */
    public static List<String> createTopics(Admin admin, List<String> topics) throws InterruptedException {
        List<String> created = new ArrayList<>();
        for (String t : topics) {
            try {
                admin.createTopics(List.of(new NewTopic(t, Optional.empty(), Optional.empty()))).all().get(30, TimeUnit.SECONDS);
                created.add(t);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("could not create topic " + t + ": " + e.getCause().getMessage(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("the broker did not create topic " + t + " within 30 s", e);
            }
        }
        return created;
    }

    /** Adds or replaces the SCRAM-SHA-512 credentials of the users given (name to password). */
    public static void upsertUsers(Admin admin, Map<String, String> users) throws InterruptedException {
        if (users.isEmpty()) {
            return;
        }
        List<UserScramCredentialAlteration> changes = new ArrayList<>();
        users.forEach((user, password) -> changes.add(new UserScramCredentialUpsertion(user,
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS), password)));
        await(admin.alterUserScramCredentials(changes).all(), "store SCRAM credentials of " + users.keySet());
    }

    /** Creates ACLs; ones that exist already stay as they are. */
    public static void createAcls(Admin admin, List<AclBinding> acls) throws InterruptedException {
        await(admin.createAcls(acls).all(), "create " + acls.size() + " ACLs");
    }

    private static void await(KafkaFuture<Void> f, String what) throws InterruptedException {
        try {
            f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not " + what + " within 30 s", e);
        }
    }
}
