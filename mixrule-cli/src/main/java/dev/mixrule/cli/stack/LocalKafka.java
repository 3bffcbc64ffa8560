package dev.mixrule.cli.stack;

import dev.mixrule.kafka.KafkaAccess;
import dev.mixrule.kafka.KafkaSetup;
import dev.mixrule.kernel.messaging.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;

/**
 * The local stack's broker: a single-node KRaft broker and controller from the Kafka jars, secured by default
 * (docs/security.md, "Kafka"). The client listener speaks SASL_SSL with SCRAM-SHA-512 (TLS from
 * {@link LocalSecrets}' server certificate); the controller listener, 127.0.0.1 only, takes nobody but the broker
 * (SASL PLAIN over loopback, no TLS). The StandardAuthorizer denies whatever no ACL allows; broker and admin are
 * super users. SCRAM credentials of every principal go into the storage when it is formatted; after each start
 * the admin creates the topics, (re)stores the services' credentials and sets the ACLs of {@link KafkaAccess}.
 *
 * <p>MIXRULE_INSECURE=1 starts a PLAINTEXT broker without any of it, with a warning: development only.
 */
public final class LocalKafka {
    private final StackConfig config;
    private final PrintStream log;

    public LocalKafka(StackConfig config, PrintStream log) {
        this.config = config;
        this.log = log;
    }

    /** True when MIXRULE_INSECURE asks for the plain-text development mode. */
    public static boolean insecure() {
        String v = System.getenv("MIXRULE_INSECURE");
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes"));
    }

    public static final String INSECURE_WARNING = "WARNING: MIXRULE_INSECURE is set: Kafka runs PLAINTEXT without "
            + "authentication, encryption or ACLs; anyone on this machine reads and writes every topic. Development only; "
            + "unset MIXRULE_INSECURE, './mixrule down' and delete the run directory's kafka/ to go back to the default.";

    /** The local secrets (made on first use). */
    public LocalSecrets secrets() throws IOException {
        return LocalSecrets.ensure(config.runDir());
    }

    /** Client properties of a principal of the local stack ("admin" for the operator). */
    public Properties client(String principal) throws IOException {
        Properties p = new Properties();
        if (insecure()) {
            p.put("bootstrap.servers", config.kafkaBootstrap());
            return p;
        }
        LocalSecrets s = secrets();
        p.putAll(KafkaSetup.client(config.kafkaBootstrap(), principal, s.password(principal), s.trustStore(), s.storePassword()));
        return p;
    }

    /** Writes server.properties and formats the storage when it is new; returns the properties file. */
    Path prepare(Path dir, Path data, String classPath) throws IOException {
        Path props = dir.resolve("server.properties");
        List<String> lines = new ArrayList<>(commonProperties(data));
        lines.addAll(insecure() ? plainListeners() : secureListeners(secrets()));
        Files.deleteIfExists(props);
        Files.createFile(props, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(props, String.join("\n", lines) + "\n");
        if (!Files.exists(data.resolve("meta.properties"))) {
            format(classPath, props);
        } else if (!insecure() && Files.getLastModifiedTime(secrets().dir().resolve("passwords.properties"))
                .compareTo(Files.getLastModifiedTime(data.resolve("meta.properties"))) > 0) {
            log.println("  secrets are newer than the broker's storage: the services' credentials are stored again after "
                    + "the start (if the admin's or broker's password changed, delete " + data + " and start again)");
        }
        return props;
    }

    private List<String> commonProperties(Path data) {
        return List.of(
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + config.kafkaControllerPort(),
                "controller.listener.names=CONTROLLER",
                "log.dirs=" + data.toAbsolutePath(),
                "num.partitions=4",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // results are the leaderboard's source of record (a rebuild replays them): never deleted by age
                "log.retention.ms=-1");
    }

    private List<String> plainListeners() {
        log.println("  " + INSECURE_WARNING);
        return List.of(
                "listeners=PLAINTEXT://127.0.0.1:" + config.kafkaPort() + ",CONTROLLER://127.0.0.1:" + config.kafkaControllerPort(),
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + config.kafkaPort(),
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "auto.create.topics.enable=true");
    }

    private List<String> secureListeners(LocalSecrets s) {
        String broker = s.password(KafkaAccess.BROKER);
        return List.of(
                "listeners=SASL_SSL://127.0.0.1:" + config.kafkaPort() + ",CONTROLLER://127.0.0.1:" + config.kafkaControllerPort(),
                "advertised.listeners=SASL_SSL://127.0.0.1:" + config.kafkaPort(),
                "listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_SSL:SASL_SSL",
                "inter.broker.listener.name=SASL_SSL",
                "sasl.enabled.mechanisms=" + KafkaAccess.MECHANISM,
                "sasl.mechanism.inter.broker.protocol=" + KafkaAccess.MECHANISM,
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=" + KafkaSetup.jaas(KafkaAccess.BROKER, broker),
                "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
                "sasl.mechanism.controller.protocol=PLAIN",
                "listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule "
                        + "required username=\"broker\" password=\"" + broker + "\" user_broker=\"" + broker + "\";",
                "ssl.keystore.type=PKCS12",
                "ssl.keystore.location=" + s.keyStore().toAbsolutePath(),
                "ssl.keystore.password=" + s.storePassword(),
                "ssl.truststore.type=PKCS12",
                "ssl.truststore.location=" + s.trustStore().toAbsolutePath(),
                "ssl.truststore.password=" + s.storePassword(),
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "allow.everyone.if.no.acl.found=false",
                "super.users=User:" + KafkaAccess.BROKER + ";User:" + KafkaAccess.ADMIN,
                "auto.create.topics.enable=false");
    }

    /** Formats fresh storage under a random cluster id, with a SCRAM credential for every local principal. */
    private void format(String classPath, Path props) throws IOException {
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        String clusterId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        List<String> cmd = new ArrayList<>(List.of(java(), "-cp", classPath, "kafka.tools.StorageTool", "format",
                "-t", clusterId, "-c", props.toString()));
        if (!insecure()) {
            LocalSecrets s = secrets();
            for (String p : LocalSecrets.PRINCIPALS) {
                cmd.add("--add-scram");
                cmd.add(KafkaAccess.MECHANISM + "=[name=" + p + ",password=" + s.password(p) + "]");
            }
        }
        Path formatLog = config.logs().resolve("kafka-format.log");
        Process format = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(formatLog.toFile())).start();
        try {
            if (format.waitFor() != 0) {
                throw new StackException("formatting Kafka storage failed; see " + formatLog);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while formatting Kafka storage");
        }
    }

    /**
     * After the broker is up: topics, the services' SCRAM credentials (again: secrets may be newer than the
     * storage) and their ACLs, as admin. Idempotent.
     */
    void secure() throws IOException {
        if (insecure()) {
            return;
        }
        LocalSecrets s = secrets();
        Map<String, String> users = new LinkedHashMap<>();
        KafkaAccess.SERVICES.forEach(p -> users.put(p, s.password(p)));
        try (Admin a = Admin.create(adminSettings())) {
            List<String> created = KafkaSetup.createTopics(a, Topics.ALL);
            KafkaSetup.upsertUsers(a, users);
            KafkaSetup.createAcls(a, KafkaAccess.serviceAcls());
            log.println("  kafka: SASL_SSL/" + KafkaAccess.MECHANISM + ", ACLs set for " + KafkaAccess.SERVICES
                    + (created.isEmpty() ? "" : "; created topics " + created));
        } catch (IllegalStateException e) {
            throw new StackException("setting up Kafka's users and ACLs as admin failed: " + e.getMessage()
                    + ". If the secrets in " + s.dir() + " were made after the broker's storage, './mixrule down', delete "
                    + config.runDir().resolve("kafka") + " and start again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while setting up Kafka's users and ACLs");
        }
    }

    /**
     * A service's Kafka settings: its principal's password and the trust store password as environment variables
     * (not on the command line, where every local user could read them), the trust store path as a property.
     */
    void serviceSettings(String service, List<String> cmd, Map<String, String> env) throws IOException {
        if (insecure()) {
            cmd.add("-Dmixrule.kafka.protocol=PLAINTEXT");
            return;
        }
        LocalSecrets s = secrets();
        String principal = service.replace("-service", "");
        cmd.add("-Dmixrule.kafka.user=" + principal);
        cmd.add("-Dmixrule.kafka.truststore=" + s.trustStore().toAbsolutePath());
        env.put("MIXRULE_KAFKA_PASSWORD", s.password(principal));
        env.put("MIXRULE_KAFKA_TRUSTSTORE_PASSWORD", s.storePassword());
    }

    /**
     * Creates (or gives a new random password to) an external evaluator's SCRAM user and sets its ACLs
     * ({@link KafkaAccess#externalEvaluatorAcls}), as admin; writes its client settings to
     * {@code <run dir>/secrets/NAME.client.properties} (0600) and returns that file.
     */
    public Path addExternalEvaluator(String name) throws IOException {
        var acls = KafkaAccess.externalEvaluatorAcls(name);
        LocalSecrets s = secrets();
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        String password = HexFormat.of().formatHex(b);
        try (Admin a = Admin.create(adminSettings())) {
            KafkaSetup.upsertUsers(a, Map.of(name, password));
            KafkaSetup.createAcls(a, acls);
        } catch (IllegalStateException e) {
            throw new StackException(e.getMessage() + " (is the stack up? './mixrule up' first)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while adding principal " + name);
        }
        Properties client = new Properties();
        client.putAll(KafkaSetup.client(config.kafkaBootstrap(), name, password, s.trustStore(), s.storePassword()));
        Path file = s.dir().resolve(name + ".client.properties");
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (var out = Files.newBufferedWriter(file)) {
            client.store(out, "Kafka client settings of external evaluator '" + name + "' (./mixrule principals add-evaluator)");
        }
        return file;
    }

    private Map<String, Object> adminSettings() throws IOException {
        Map<String, Object> admin = new LinkedHashMap<>();
        client(KafkaAccess.ADMIN).forEach((k, v) -> admin.put((String) k, v));
        admin.put("default.api.timeout.ms", "30000");
        return admin;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
