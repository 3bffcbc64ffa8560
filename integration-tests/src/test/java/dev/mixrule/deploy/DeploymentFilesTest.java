package dev.mixrule.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mixrule.kernel.security.RedisUsers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml and k8s/ checked offline: their own tools validate them when installed
 * (docker-compose config, kubectl kustomize), and these tests check that they agree with the code:
 * ports, topics' broker address, shared checkpoint volume, one manifest per service.
 */
class DeploymentFilesTest {
    static final Path ROOT = Path.of(System.getProperty("mixrule.root", "..")).toAbsolutePath().normalize();
    static final List<String> SERVICES = List.of("sampler-service", "trainer-service", "evaluator-service", "leaderboard-service");

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return (Map<String, Object>) new Yaml().load(in);
        }
    }

    static List<Map<String, Object>> yamlAll(Path p) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (InputStream in = Files.newInputStream(p)) {
            for (Object o : new Yaml().loadAll(in)) {
                if (o != null) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) o;
                    docs.add(m);
                }
            }
        }
        return docs;
    }

    static int httpPort(String service) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(ROOT.resolve(service).resolve("src/main/resources/application.properties"))) {
            p.load(in);
        }
        return Integer.parseInt(p.getProperty("quarkus.http.port"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeRunsEveryServiceAgainstItsBrokerAndSharesCheckpoints() throws IOException {
        Map<String, Object> compose = yaml(ROOT.resolve("docker-compose.yml"));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        assertTrue(services.keySet().containsAll(List.of("kafka", "redis")), services.keySet().toString());
        for (String s : SERVICES) {
            Map<String, Object> svc = (Map<String, Object>) services.get(s);
            assertNotNull(svc, s + " missing from docker-compose.yml");
            // one Dockerfile for every service, told which one by its SERVICE argument
            Map<String, Object> build = (Map<String, Object>) svc.get("build");
            Path context = ROOT.resolve(String.valueOf(build.get("context"))).normalize();
            assertTrue(Files.isRegularFile(context.resolve(String.valueOf(build.get("dockerfile")))), s + ": no Dockerfile in " + context);
            assertEquals(s, ((Map<String, Object>) build.get("args")).get("SERVICE"), s + " builds another service");
            Map<String, Object> env = (Map<String, Object>) svc.get("environment");
            String broker = String.valueOf(env.get("KAFKA_BOOTSTRAP_SERVERS"));
            assertTrue(services.containsKey(broker.split(":")[0]), s + " points at unknown broker " + broker);
        }
        for (String s : List.of("trainer-service", "evaluator-service")) {
            Map<String, Object> svc = (Map<String, Object>) services.get(s);
            String dir = String.valueOf(((Map<String, Object>) svc.get("environment")).get("MIXRULE_CHECKPOINT_DIR"));
            assertTrue(((List<String>) svc.get("volumes")).contains("checkpoints:" + dir), s + " must mount checkpoints at " + dir);
        }
    }

    @Test
    void redisAclScriptGivesTheServicesTheRulesTheLocalStackGivesThem() throws IOException {
        String script = Files.readString(ROOT.resolve("k8s/redis-acl.sh"));
        java.util.function.UnaryOperator<String> var = name -> {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + name + "=\"([^\"]*)\"").matcher(script);
            assertTrue(m.find(), name + " missing from redis-acl.sh");
            return m.group(1);
        };
        String commands = var.apply("COMMANDS");
        String keys = var.apply("LEADERBOARD_KEYS");
        for (String role : List.of(RedisUsers.LEADERBOARD, RedisUsers.SAMPLER)) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^user mixrule-" + role + " on >\\$\\{[A-Z_]+\\} (.*)$")
                    .matcher(script);
            assertTrue(m.find(), "no line for mixrule-" + role);
            String line = m.group(1).replace("${COMMANDS}", commands).replace("${LEADERBOARD_KEYS}", keys).replace("${P}", "mixrule:");
            List<String> expected = RedisUsers.rules(role, "mixrule:", "pw").subList(3, RedisUsers.rules(role, "mixrule:", "pw").size());
            assertEquals(String.join(" ", expected), line, "redis-acl.sh's mixrule-" + role + " must match RedisUsers");
        }
        assertTrue(script.contains("user default off"), "the default user must be off");
    }

    @Test
    void composeFileIsValidForDockerCompose() throws Exception {
        assumeTrue(onPath("docker-compose"), "docker-compose not installed (./mixrule test installs it as root)");
        // the CPU stack, and the GPU variant laid over it (docs/deploy.md)
        for (List<String> files : List.of(List.of("docker-compose.yml"), List.of("docker-compose.yml", "docker-compose.gpu.yml"))) {
            List<String> cmd = new ArrayList<>(List.of("docker-compose"));
            files.forEach(f -> cmd.addAll(List.of("-f", ROOT.resolve(f).toString())));
            cmd.addAll(List.of("config", "-q"));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            // the credentials compose demands (no defaults: docs/security.md)
            for (String v : List.of("MIXRULE_REDIS_ADMIN_PASSWORD", "MIXRULE_REDIS_LEADERBOARD_PASSWORD", "MIXRULE_REDIS_SAMPLER_PASSWORD",
                    "MIXRULE_API_TOKEN", "MIXRULE_GRPC_KEY_STORE_PASSWORD")) {
                pb.environment().put(v, "test-" + v.length());
            }
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), files + ": " + out);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void kustomizationListsOneManifestPerServiceWithProbesOnTheRightPorts() throws IOException {
        Path k8s = ROOT.resolve("k8s");
        Map<String, Object> kust = yaml(k8s.resolve("kustomization.yaml"));
        Set<String> listed = new TreeSet<>((List<String>) kust.get("resources"));
        Set<String> files = new TreeSet<>();
        try (Stream<Path> s = Files.list(k8s)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).forEach(files::add);
        }
        assertEquals(files, listed, "kustomization.yaml must list every manifest");

        Map<String, Map<String, Object>> workloads = new HashMap<>();
        Map<String, Set<Integer>> servicePorts = new HashMap<>();
        Map<String, String> config = new HashMap<>();
        for (String f : files) {
            for (Map<String, Object> doc : yamlAll(k8s.resolve(f))) {
                assertNotNull(doc.get("apiVersion"), f + ": apiVersion");
                String kind = String.valueOf(doc.get("kind"));
                String name = String.valueOf(((Map<String, Object>) doc.get("metadata")).get("name"));
                switch (kind) {
                    case "Deployment", "StatefulSet" -> workloads.put(name, doc);
                    case "Service" -> {
                        Set<Integer> ports = new TreeSet<>();
                        for (Map<String, Object> p : (List<Map<String, Object>>) ((Map<String, Object>) doc.get("spec")).get("ports")) {
                            ports.add((Integer) p.get("port"));
                        }
                        servicePorts.put(name, ports);
                    }
                    case "ConfigMap" -> ((Map<String, Object>) doc.get("data")).forEach((k, v) -> config.put(k, String.valueOf(v)));
                    default -> { }
                }
            }
        }
        String[] broker = config.get("KAFKA_BOOTSTRAP_SERVERS").split(":");
        assertTrue(servicePorts.getOrDefault(broker[0], Set.of()).contains(Integer.parseInt(broker[1])), "broker service " + broker[0]);
        String redis = config.get("MIXRULE_REDIS_URL").replace("redis://", "");
        assertTrue(servicePorts.getOrDefault(redis.split(":")[0], Set.of()).contains(Integer.parseInt(redis.split(":")[1])), "redis service");

        for (String s : SERVICES) {
            Map<String, Object> d = workloads.get(s);
            assertNotNull(d, "no Deployment for " + s);
            Map<String, Object> spec = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) d.get("spec"))
                    .get("template")).get("spec");
            Map<String, Object> c = ((List<Map<String, Object>>) spec.get("containers")).get(0);
            assertEquals("mixrule/" + s, c.get("image"));
            assertNotNull(c.get("resources"), s + ": resources");
            Map<String, Object> ready = (Map<String, Object>) ((Map<String, Object>) c.get("readinessProbe")).get("httpGet");
            assertEquals("/q/health/ready", ready.get("path"));
            assertEquals(httpPort(s), ready.get("port"), s + " readiness probe port must be its quarkus.http.port");
        }
    }

    @Test
    void kustomizeRendersOffline() throws Exception {
        assumeTrue(onPath("kubectl"), "kubectl not installed");
        Process p = new ProcessBuilder("kubectl", "kustomize", ROOT.resolve("k8s").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("namespace: mixrule"), "rendered manifests carry the namespace");
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeAndK8sApplyTheSameKafkaAclsAsTheLocalStackAndSecureTheBroker() throws IOException {
        Set<String> table = new TreeSet<>();
        for (var acl : dev.mixrule.kafka.KafkaAccess.serviceAcls()) {
            table.add(acl.entry().principal().substring("User:".length()) + " " + acl.entry().operation() + " "
                    + acl.pattern().resourceType().name().toLowerCase() + " " + acl.pattern().patternType() + " " + acl.pattern().name());
        }
        String script = Files.readString(ROOT.resolve("k8s/kafka-security/kafka-security.sh"));
        String start = "<<'ACLS'\n";
        String block = script.substring(script.indexOf(start) + start.length(), script.indexOf("\nACLS\n"));
        assertEquals(table, new TreeSet<>(block.lines().toList()), "kafka-security.sh's ACLs must be KafkaAccess.serviceAcls()");

        Map<String, Object> services = (Map<String, Object>) yaml(ROOT.resolve("docker-compose.yml")).get("services");
        Map<String, Object> kafkaEnv = (Map<String, Object>) ((Map<String, Object>) services.get("kafka")).get("environment");
        assertTrue(String.valueOf(kafkaEnv.get("KAFKA_LISTENERS")).startsWith("SASL_SSL://"), "compose broker listens SASL_SSL");
        assertEquals("false", kafkaEnv.get("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"));
        String k8s = Files.readString(ROOT.resolve("k8s/kafka.yaml"));
        assertTrue(k8s.contains("SASL_SSL://:9092") && k8s.contains("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND, value: \"false\""), "k8s broker");
        for (String s : SERVICES) { // each service's own secrets: DeploymentSecretsTest
            assertTrue(Files.readString(ROOT.resolve("k8s/" + s + ".yaml")).contains("key: " + s.replace("-service", "") + ".password"), s);
        }
    }
}
