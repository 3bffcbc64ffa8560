package dev.mixrule.deploy;

import static dev.mixrule.deploy.DeploymentFilesTest.ROOT;
import static dev.mixrule.deploy.DeploymentFilesTest.SERVICES;
import static dev.mixrule.deploy.DeploymentFilesTest.yaml;
import static dev.mixrule.deploy.DeploymentFilesTest.yamlAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mixrule.core.evaluation.Evaluators;
import dev.mixrule.kernel.messaging.Topics;
import dev.mixrule.kernel.signing.KeyPairFiles;
import dev.mixrule.kernel.simulation.SimulatedTraining;
import dev.mixrule.leaderboard.store.TrustFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each container gets its own secrets and nothing else (docs/security.md), and the producing services sign what the
 * leaderboard's trust file believes: docker-compose.yml, k8s/ and k8s/trust.conf checked offline, and
 * kafka-security.sh's service-secrets step run for real.
 */
@SuppressWarnings("unchecked")
class DeploymentSecretsTest {
    static final List<String> SIGNERS = List.of("trainer", "evaluator");

    static Map<String, Object> composeService(String name) throws Exception {
        return (Map<String, Object>) ((Map<String, Object>) yaml(ROOT.resolve("docker-compose.yml")).get("services")).get(name);
    }

    static Map<String, Object> env(Map<String, Object> svc) {
        return (Map<String, Object>) svc.get("environment");
    }

    /** The secrets volumes a compose service mounts, as "volume:target[:ro]". */
    static List<String> secretMounts(Map<String, Object> svc) {
        return ((List<Object>) svc.getOrDefault("volumes", List.of())).stream().map(String::valueOf)
                .filter(v -> v.startsWith("secrets-")).toList();
    }

    @Test
    void composeServicesMountOnlyTheirOwnSecretsAndTheSignersSignAsThemselves() throws Exception {
        for (String s : SERVICES) {
            String principal = s.replace("-service", "");
            Map<String, Object> svc = composeService(s);
            assertEquals(List.of("secrets-" + principal + ":/etc/mixrule/secrets:ro"), secretMounts(svc), s + " must mount only its own secrets, read-only");
            assertEquals("file:/etc/mixrule/secrets/kafka.properties", env(svc).get("QUARKUS_CONFIG_LOCATIONS"), s);
            assertEquals("/etc/mixrule/secrets/truststore.p12", env(svc).get("MIXRULE_KAFKA_TRUSTSTORE"), s);
            List<Object> deps = new ArrayList<>(((Map<String, Object>) svc.get("depends_on")).keySet());
            assertTrue(deps.contains("signing-keys"), s + " must wait for its keys");
        }
        for (String p : SIGNERS) {
            Map<String, Object> e = env(composeService(p + "-service"));
            assertEquals(p, e.get("MIXRULE_SIGNING_PRINCIPAL"));
            assertEquals("/etc/mixrule/secrets/signing.key", e.get("MIXRULE_SIGNING_KEY_FILE"));
        }
        assertEquals("/etc/mixrule/secrets/trust.conf", env(composeService("leaderboard-service")).get("MIXRULE_LEADERBOARD_TRUST_FILE"));
        for (String infra : List.of("kafka-format", "kafka", "kafka-setup")) {
            assertEquals(List.of("secrets-kafka:/etc/mixrule/kafka:ro"), secretMounts(composeService(infra)), infra);
        }
        // the key step writes each signer's private key into its own directory, the public keys and trust file beside
        // the leaderboard's
        String keys = String.join(" ", (List<String>) composeService("signing-keys").get("entrypoint"));
        assertTrue(keys.contains("for p in " + String.join(" ", SIGNERS) + ";") && keys.contains("/secrets/$$p/signing.key /secrets/leaderboard/$$p.pub")
                && keys.contains(" " + KeyPairFiles.class.getName() + " ") && keys.contains("/secrets/leaderboard/trust.conf"), keys);
        assertEquals(List.of("secrets-trainer:/secrets/trainer", "secrets-evaluator:/secrets/evaluator",
                "secrets-leaderboard:/secrets/leaderboard"), secretMounts(composeService("signing-keys")), "the key step sees no password");
        assertTrue(((List<Object>) composeService("signing-keys").get("volumes")).contains("./k8s/trust.conf:/mixrule/trust.conf:ro"));
    }

    @Test
    void k8sGivesEachSignerItsOwnKeyAndTheLeaderboardTheTrustFile() throws Exception {
        for (String p : SIGNERS) {
            String text = Files.readString(ROOT.resolve("k8s/" + p + "-service.yaml"));
            assertTrue(text.contains("secretName: mixrule-signing-" + p), p);
            assertTrue(text.contains("- name: MIXRULE_SIGNING_PRINCIPAL\n              value: " + p + "\n"), p);
            assertTrue(text.contains("- name: MIXRULE_SIGNING_KEY_FILE\n              value: /etc/mixrule/signing/signing.key"), p);
            assertTrue(text.contains("mountPath: /etc/mixrule/signing"), p);
            assertTrue(text.contains("fsGroup: 1001"), p + ": the key must be readable by the image's user");
            for (String other : SIGNERS) {
                assertTrue(other.equals(p) || !text.contains("mixrule-signing-" + other), p + " must not see " + other + "'s key");
            }
        }
        String board = Files.readString(ROOT.resolve("k8s/leaderboard-service.yaml"));
        assertTrue(board.contains("value: /etc/mixrule/trust/trust.conf") && board.contains("secretName: mixrule-trust")
                && board.contains("mountPath: /etc/mixrule/trust"), "the leaderboard's trust file");
        for (var doc : yamlAll(ROOT.resolve("k8s/leaderboard-service.yaml"))) {
            assertFalse(String.valueOf(doc).contains("mixrule-signing-"), "the leaderboard holds no private key");
        }
    }

    /** trust.conf names our service principals with our evaluator names, and parses as the leaderboard will read it. */
    @Test
    void theShippedTrustFileNamesOurPrincipalsAndEveryOneOfOurEvaluators(@TempDir Path dir) throws Exception {
        Files.copy(ROOT.resolve("k8s/trust.conf"), dir.resolve("trust.conf"));
        for (String p : SIGNERS) {
            KeyPairFiles.ensure(dir.resolve(p + ".key"), dir.resolve(p + ".pub"));
        }
        TrustFile t = TrustFile.read(dir.resolve("trust.conf"));
        assertEquals(SIGNERS, t.lines().stream().map(TrustFile.Line::principal).toList());
        assertTrue(t.lines().get(0).trainer() && !t.lines().get(1).trainer());
        TreeSet<String> ours = new TreeSet<>(Evaluators.names());
        ours.add(SimulatedTraining.EVALUATOR);
        assertEquals(ours, new TreeSet<>(t.lines().get(1).evaluators()), "the evaluator principal owns exactly our evaluator names");
    }

    /** No deployment step talks to the secured broker without credentials, and the results topics are kept forever. */
    @Test
    void kafkaToolsLogInAndTheResultsTopicsAreKeptForever() throws Exception {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("docker-compose.yml"), ROOT.resolve("k8s/kafka-security/kafka-security.sh")));
        try (var s = Files.list(ROOT.resolve("k8s"))) {
            s.filter(p -> p.toString().endsWith(".yaml")).forEach(files::add);
        }
        for (Path f : files) {
            for (String line : Files.readAllLines(f)) {
                if (line.contains("--bootstrap-server")) {
                    assertTrue(line.contains("--command-config"), f.getFileName() + ": a Kafka tool without credentials: " + line.strip());
                }
            }
        }
        String script = Files.readString(ROOT.resolve("k8s/kafka-security/kafka-security.sh"));
        assertTrue(script.contains("RESULTS_TOPICS=\"" + Topics.TRAINING_RESULTS + " " + Topics.EVALUATION_RESULTS + "\""), "results topics");
        assertTrue(script.contains("--entity-name \"$t\" \\\n      --add-config retention.ms=-1"), "setup keeps them forever");
    }

    /** The compose step, run here: every service directory holds only its own password, 0700/0600 for uid 1001. */
    @Test
    void serviceSecretsGiveEachServiceOnlyItsOwnPassword(@TempDir Path root) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/keytool")) || Files.isExecutable(Path.of(System.getProperty("java.home"), "bin/keytool")),
                "no keytool");
        String script = ROOT.resolve("k8s/kafka-security/kafka-security.sh").toString();
        run(root, "sh", script, "secrets", root.resolve("kafka").toString(), "kafka", "localhost");
        run(root, "sh", script, "service-secrets", root.toString());
        for (String s : SERVICES) {
            String principal = s.replace("-service", "");
            Path d = root.resolve(principal);
            assertEquals(new TreeSet<>(List.of("kafka.properties", "truststore.p12")), new TreeSet<>(List.of(d.toFile().list())), principal);
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(d)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(d.resolve("kafka.properties"))));
            String props = Files.readString(d.resolve("kafka.properties"));
            String own = Files.readString(root.resolve("kafka/" + principal + ".password")).strip();
            assertTrue(props.contains("mixrule.kafka.password=" + own + "\n"), principal);
            for (String other : List.of("admin", "broker", "sampler", "trainer", "evaluator", "leaderboard")) {
                String pw = Files.readString(root.resolve("kafka/" + other + ".password")).strip();
                assertTrue(other.equals(principal) || !props.contains(pw), principal + " sees " + other + "'s password");
            }
            if (System.getProperty("user.name").equals("root")) {
                assertEquals(1001, (int) Files.getAttribute(d, "unix:uid"), principal + " dir owner");
            }
        }
    }

    private static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
    }
}
