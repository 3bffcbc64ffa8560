package dev.mixrule.testkit;

import dev.mixrule.kafka.KafkaAccess;
import dev.mixrule.kafka.KafkaSetup;
import dev.mixrule.kernel.messaging.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.common.metadata.UserScramCredentialRecord;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.ApiMessageAndVersion;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Kafka broker (KRaft, combined broker and controller) inside the test JVM, started once
 * per JVM; it dies with the JVM, its log directories under target/ (gone with mvn clean).
 *
 * <p>Secured like the real one, except for TLS (KafkaClusterTestKit 4.1 has no TLS for its listeners):
 * SASL_PLAINTEXT with SCRAM-SHA-512 on the client listener, one random password per principal of
 * {@link KafkaAccess} (in the bootstrap metadata, so they exist before the first request), the
 * StandardAuthorizer with no access unless an ACL allows it, the topics created and the services' ACLs
 * set by the admin. The controller listener takes only the broker (SASL PLAIN). Tests connect through
 * {@link #client(String)}; the services get their principal from {@link KafkaAndRedisResource}.
 */
public final class TestKafka {
    private static final Map<String, String> PASSWORDS = new LinkedHashMap<>();
    private static KafkaClusterTestKit cluster;

    private TestKafka() {}

    public static synchronized String bootstrapServers() {
        if (cluster == null) {
            try {
                cluster = start();
                // No close at JVM exit: closing the broker from a shutdown hook raced Quarkus' own shutdown and
                // twice ended a test JVM abnormally after its tests passed. Its files live under target/.
            } catch (Exception e) {
                throw new IllegalStateException("could not start the test Kafka broker: " + e.getMessage(), e);
            }
        }
        return cluster.bootstrapServers();
    }

    /** The password of a principal on the test broker (random per test JVM). */
    public static synchronized String password(String principal) {
        return PASSWORDS.computeIfAbsent(principal, p -> {
            byte[] b = new byte[16];
            new SecureRandom().nextBytes(b);
            return HexFormat.of().formatHex(b);
        });
    }

    /** Client properties (bootstrap and credentials) of a principal; "admin" may do anything. */
    public static Properties client(String principal) {
        Properties p = new Properties();
        p.putAll(KafkaSetup.client(bootstrapServers(), principal, password(principal), null, null));
        return p;
    }

    private static KafkaClusterTestKit start() throws Exception {
        Path base = Files.createDirectories(Path.of("target")).resolve("kafka-test-" + ProcessHandle.current().pid());
        String broker = password(KafkaAccess.BROKER);
        KafkaClusterTestKit c = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder(bootstrapMetadata())
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
                .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                .setBaseDirectory(Files.createDirectories(base)).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("num.partitions", "2")
                .setConfigProp("auto.create.topics.enable", "false")
                .setConfigProp("sasl.enabled.mechanisms", KafkaAccess.MECHANISM)
                .setConfigProp("sasl.mechanism.inter.broker.protocol", KafkaAccess.MECHANISM)
                .setConfigProp("listener.name.external.scram-sha-512.sasl.jaas.config",
                        KafkaSetup.jaas(KafkaAccess.BROKER, broker))
                .setConfigProp("listener.name.controller.sasl.enabled.mechanisms", "PLAIN")
                .setConfigProp("sasl.mechanism.controller.protocol", "PLAIN")
                .setConfigProp("listener.name.controller.plain.sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"broker\" password=\""
                                + broker + "\" user_broker=\"" + broker + "\";")
                .setConfigProp("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                .setConfigProp("allow.everyone.if.no.acl.found", "false")
                .setConfigProp("super.users", "User:" + KafkaAccess.BROKER + ";User:" + KafkaAccess.ADMIN)
                .build();
        c.format();
        c.startup();
        c.waitForReadyBrokers();
        Map<String, Object> admin = KafkaSetup.client(c.bootstrapServers(), KafkaAccess.ADMIN, password(KafkaAccess.ADMIN),
                null, null);
        try (Admin a = Admin.create(admin)) {
            KafkaSetup.createTopics(a, Topics.ALL);
            KafkaSetup.createAcls(a, KafkaAccess.serviceAcls());
        }
        return c;
    }

    /** The default bootstrap metadata plus a SCRAM-SHA-512 credential per principal (as StorageTool --add-scram). */
    private static BootstrapMetadata bootstrapMetadata() throws Exception {
        List<ApiMessageAndVersion> records = new ArrayList<>(
                BootstrapMetadata.fromVersion(MetadataVersion.latestTesting(), "testkit").records());
        ScramFormatter formatter = new ScramFormatter(org.apache.kafka.common.security.scram.internals.ScramMechanism.SCRAM_SHA_512);
        List<String> principals = new ArrayList<>(List.of(KafkaAccess.BROKER, KafkaAccess.ADMIN));
        principals.addAll(KafkaAccess.SERVICES);
        for (String p : principals) {
            ScramCredential cred = formatter.generateCredential(password(p), KafkaSetup.SCRAM_ITERATIONS);
            records.add(new ApiMessageAndVersion(new UserScramCredentialRecord().setName(p)
                    .setMechanism(ScramMechanism.SCRAM_SHA_512.type()).setSalt(cred.salt()).setStoredKey(cred.storedKey())
                    .setServerKey(cred.serverKey()).setIterations(cred.iterations()), (short) 0));
        }
        return BootstrapMetadata.fromRecords(records, "mixrule testkit");
    }
}
