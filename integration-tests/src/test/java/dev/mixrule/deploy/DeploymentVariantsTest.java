package dev.mixrule.deploy;

import static dev.mixrule.deploy.DeploymentFilesTest.ROOT;
import static dev.mixrule.deploy.DeploymentFilesTest.SERVICES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mixrule.kafka.KafkaAccess;
import dev.mixrule.kernel.messaging.Topics;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployments' variants agree with the project and with each other: one image tag (the project's version), Kafka's
 * log on its volume, Redis sized for the documented scale, the GPU variants (compose and k8s), and the trainers'
 * autoscaling on the lag of their own topic and group with their own credentials.
 */
@SuppressWarnings("unchecked")
class DeploymentVariantsTest {
    /** Redis memory for 1,000,000 leaderboard entries (README, docs/benchmarks.md: 8.4 GB with summaries, 2026-11-30). */
    static final long REDIS_BYTES_AT_ONE_MILLION_ENTRIES = 8_400_000_000L;

    static String imageTag() throws Exception {
        Matcher m = Pattern.compile("<artifactId>mixrule-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertTrue(m.find(), "pom.xml: no project version");
        return m.group(1).replace("-SNAPSHOT", "");
    }

    static Map<String, Object> composeServices(String file) throws Exception {
        return (Map<String, Object>) DeploymentFilesTest.yaml(ROOT.resolve(file)).get("services");
    }

    static Map<String, Object> find(List<Map<String, Object>> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(((Map<String, Object>) d.get("metadata")).get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    static Map<String, Object> podSpec(Map<String, Object> workload) {
        return (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) workload.get("spec")).get("template")).get("spec");
    }

    static Map<String, Object> container(Map<String, Object> workload) {
        return ((List<Map<String, Object>>) podSpec(workload).get("containers")).get(0);
    }

    static String env(Map<String, Object> container, String name) {
        return ((List<Map<String, Object>>) container.getOrDefault("env", List.of())).stream().filter(e -> name.equals(e.get("name")))
                .map(e -> String.valueOf(e.get("value"))).findFirst().orElse(null);
    }

    @Test
    void everyImageIsTaggedWithTheProjectVersionInEveryFileAndCommand() throws Exception {
        String tag = imageTag();
        Map<String, String> kustomized = new java.util.TreeMap<>();
        for (Map<String, Object> i : (List<Map<String, Object>>) DeploymentFilesTest.yaml(ROOT.resolve("k8s/kustomization.yaml")).get("images")) {
            kustomized.put(String.valueOf(i.get("name")), String.valueOf(i.get("newTag")));
        }
        Map<String, Object> compose = composeServices("docker-compose.yml");
        for (String s : SERVICES) {
            assertEquals(tag, kustomized.get("mixrule/" + s), "k8s/kustomization.yaml tags mixrule/" + s);
            assertEquals("mixrule/" + s + ":" + tag, ((Map<String, Object>) compose.get(s)).get("image"), "docker-compose.yml tags " + s);
        }
        Map<String, Object> gpu = composeServices("docker-compose.gpu.yml");
        Map<String, Object> gpuComponent = DeploymentFilesTest.yaml(ROOT.resolve("k8s-overlays/components/gpu/kustomization.yaml"));
        for (String s : List.of("trainer-service", "evaluator-service")) {
            assertEquals("mixrule/" + s + ":" + tag + "-cuda", ((Map<String, Object>) gpu.get(s)).get("image"), "docker-compose.gpu.yml");
            assertTrue(((List<Map<String, Object>>) gpuComponent.get("images")).contains(Map.of("name", "mixrule/" + s, "newTag", tag + "-cuda")),
                    "the gpu component tags " + s + " " + tag + "-cuda");
        }
        Pattern built = Pattern.compile("-t (mixrule/[a-z-]+)(:(\\S+))?");
        for (String doc : List.of("Dockerfile", "docs/deploy.md", "docs/gpu.md", "README.md")) {
            Matcher m = built.matcher(Files.readString(ROOT.resolve(doc)));
            int commands = 0;
            while (m.find()) {
                commands++;
                assertTrue(List.of(tag, tag + "-cuda").contains(m.group(3)), doc + ": '" + m.group() + "' must tag " + tag + " or " + tag + "-cuda");
            }
            assertTrue(commands > 0 || doc.equals("README.md"), doc + " shows no docker build command");
        }
    }

    @Test
    void kafkaWritesItsLogToItsVolumeInComposeAndK8s() throws Exception {
        Map<String, Object> compose = composeServices("docker-compose.yml");
        for (String s : List.of("kafka-format", "kafka")) {
            Map<String, Object> svc = (Map<String, Object>) compose.get(s);
            String dir = String.valueOf(((Map<String, Object>) svc.get("environment")).get("KAFKA_LOG_DIRS"));
            assertTrue(((List<String>) svc.get("volumes")).contains("kafka-data:" + dir), s + ": KAFKA_LOG_DIRS " + dir + " is not the kafka-data volume");
        }
        Map<String, Object> kafka = find(DeploymentFilesTest.yamlAll(ROOT.resolve("k8s/kafka.yaml")), "StatefulSet", "kafka");
        List<Map<String, Object>> containers = new ArrayList<>((List<Map<String, Object>>) podSpec(kafka).get("containers"));
        containers.addAll((List<Map<String, Object>>) podSpec(kafka).get("initContainers"));
        for (Map<String, Object> c : containers) {
            String dir = env(c, "KAFKA_LOG_DIRS");
            assertTrue(((List<Map<String, Object>>) c.get("volumeMounts")).contains(Map.of("name", "data", "mountPath", dir)),
                    "k8s kafka " + c.get("name") + ": KAFKA_LOG_DIRS " + dir + " is not the data volume claim");
        }
    }

    /** Redis's own units: 1gb = 1024^3 bytes, 1g = 10^9. */
    static long redisBytes(String v) {
        Matcher m = Pattern.compile("(\\d+)(b|k|kb|m|mb|g|gb)?").matcher(v.toLowerCase());
        assertTrue(m.matches(), "not a Redis memory size: " + v);
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "b" : m.group(2)) {
            case "k" -> n * 1000; case "kb" -> n << 10; case "m" -> n * 1_000_000; case "mb" -> n << 20;
            case "g" -> n * 1_000_000_000; case "gb" -> n << 30; default -> n;
        };
    }

    static long checkRedisArgs(String where, List<String> args) {
        int i = args.indexOf("--maxmemory");
        assertTrue(i >= 0, where + ": no --maxmemory");
        long max = redisBytes(args.get(i + 1));
        assertTrue(max >= REDIS_BYTES_AT_ONE_MILLION_ENTRIES, where + ": maxmemory " + max + " below the 8.4 GB of 1M entries");
        assertEquals("noeviction", args.get(args.indexOf("--maxmemory-policy") + 1), where + ": Redis must refuse, not evict, entries");
        return max;
    }

    @Test
    void redisHoldsAMillionEntriesRefusesRatherThanEvictsAndKeepsAnAppendOnlyFile() throws Exception {
        Map<String, Object> redis = (Map<String, Object>) composeServices("docker-compose.yml").get("redis");
        long max = checkRedisArgs("compose", (List<String>) redis.get("command"));
        assertTrue(Quantity.getAmountInBytes(new Quantity(String.valueOf(redis.get("mem_limit")).toUpperCase() + "i")).longValue() > max,
                "compose: mem_limit must leave room above maxmemory");
        Map<String, Object> k8s = container(find(DeploymentFilesTest.yamlAll(ROOT.resolve("k8s/redis.yaml")), "Deployment", "redis"));
        max = checkRedisArgs("k8s", (List<String>) k8s.get("args"));
        Object limit = ((Map<String, Object>) ((Map<String, Object>) k8s.get("resources")).get("limits")).get("memory");
        assertTrue(Quantity.getAmountInBytes(new Quantity(String.valueOf(limit))).longValue() > max, "k8s: memory limit must exceed maxmemory");
        String script = Files.readString(ROOT.resolve("k8s/redis-acl.sh"));
        assertTrue(script.contains("redis-server --appendonly yes") && script.contains("\"$@\""), "redis-acl.sh: AOF on, arguments passed on");
    }

    @Test
    void gpuVariantsReserveAGpuAndPackAsManyTrainersAsMpsSharesOut() throws Exception {
        assumeTrue(DeploymentFilesTest.onPath("kubectl"), "kubectl renders the overlays");
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        Matcher cu = Pattern.compile("<id>cuda</id>\\s*<properties>\\s*<pytorch.native.artifact>pytorch-native-cu(\\d\\d)(\\d)<").matcher(pom);
        assertTrue(cu.find(), "pom.xml: the cuda profile swaps in a pytorch-native-cuXYZ jar");
        String cudaBase = "nvidia/cuda:" + cu.group(1) + "." + cu.group(2) + ".";
        Map<String, Object> mps = DeploymentFilesTest.yaml(ROOT.resolve("k8s-overlays/gpu-sharing/nvidia-device-plugin-mps.yaml"));
        Map<String, Object> sharing = new Yaml().load(String.valueOf(((Map<String, Object>) mps.get("data")).get("mps-8")));
        Map<String, Object> shared = ((List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>) sharing.get("sharing"))
                .get("mps")).get("resources")).get(0);
        assertEquals("nvidia.com/gpu", shared.get("name"));
        int perGpu = (Integer) shared.get("replicas");

        Map<String, Object> gpu = composeServices("docker-compose.gpu.yml");
        for (String s : List.of("trainer-service", "evaluator-service")) {
            Map<String, Object> svc = (Map<String, Object>) gpu.get(s);
            String base = String.valueOf(((Map<String, Object>) ((Map<String, Object>) svc.get("build")).get("args")).get("BASE"));
            assertTrue(base.startsWith(cudaBase), s + ": BASE " + base + " must be a CUDA " + cudaBase + " image, as the native jar");
            Map<String, Object> device = ((List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) svc
                    .get("deploy")).get("resources")).get("reservations")).get("devices")).get(0);
            assertEquals("nvidia", device.get("driver"), s);
            assertTrue(((List<String>) device.get("capabilities")).contains("gpu"), s);
            assertEquals("host", svc.get("ipc"), s + ": MPS clients share the host's IPC namespace");
        }
        String replicas = String.valueOf(((Map<String, Object>) ((Map<String, Object>) gpu.get("trainer-service")).get("deploy")).get("replicas"));
        assertEquals("${MIXRULE_GPU_TRAINERS:-" + perGpu + "}", replicas, "compose packs as many trainers per GPU as MPS shares out");
        Map<String, Object> broker = (Map<String, Object>) ((Map<String, Object>) composeServices("docker-compose.yml").get("kafka")).get("environment");
        assertTrue(perGpu <= Integer.parseInt(String.valueOf(broker.get("KAFKA_NUM_PARTITIONS"))), "compose: a trainer beyond the partitions idles");

        List<Map<String, Object>> docs = KubernetesSchema.render(ROOT.resolve("k8s-overlays/gpu"));
        for (String s : List.of("trainer-service", "evaluator-service")) {
            Map<String, Object> d = find(docs, "Deployment", s);
            Map<String, Object> limits = (Map<String, Object>) ((Map<String, Object>) container(d).get("resources")).get("limits");
            assertEquals(1, limits.get("nvidia.com/gpu"), s + ": one nvidia.com/gpu (a share under MPS)");
            assertTrue(String.valueOf(container(d).get("image")).endsWith("-cuda"), s + ": CUDA image");
            assertNotNull(podSpec(d).get("nodeSelector"), s + ": GPU node selector");
            assertTrue(String.valueOf(podSpec(d).get("tolerations")).contains("key=nvidia.com/gpu"), s + ": tolerates GPU nodes' taint");
        }
        assertEquals(perGpu, ((Map<String, Object>) find(docs, "Deployment", "trainer-service").get("spec")).get("replicas"),
                "the gpu overlay runs as many trainers as one GPU's MPS shares");
    }

    @Test
    void trainersScaleOnTheLagOfTheirOwnTopicAndGroupWithTheirOwnCredentials() throws Exception {
        assumeTrue(DeploymentFilesTest.onPath("kubectl"), "kubectl renders the overlays");
        List<Map<String, Object>> docs = KubernetesSchema.render(ROOT.resolve("k8s-overlays/keda"));
        Map<String, Object> scaled = (Map<String, Object>) find(docs, "ScaledObject", "trainer-service").get("spec");
        assertEquals("trainer-service", ((Map<String, Object>) scaled.get("scaleTargetRef")).get("name"));
        find(docs, "Deployment", "trainer-service");
        Map<String, Object> trigger = ((List<Map<String, Object>>) scaled.get("triggers")).get(0);
        Map<String, Object> meta = (Map<String, Object>) trigger.get("metadata");
        Properties trainer = new Properties();
        try (var in = Files.newInputStream(ROOT.resolve("trainer-service/src/main/resources/application.properties"))) {
            trainer.load(in);
        }
        String group = trainer.getProperty("quarkus.application.name");
        assertEquals("kafka", trigger.get("type"));
        assertEquals(Topics.CANDIDATES, meta.get("topic"));
        assertEquals(group, meta.get("consumerGroup"), "the trainers' consumer group is their application name");
        assertTrue(KafkaAccess.serviceAcls().stream().anyMatch(a -> a.entry().principal().equals("User:" + KafkaAccess.TRAINER)
                && a.entry().operation() == AclOperation.READ && a.pattern().resourceType() == ResourceType.GROUP
                && a.pattern().name().equals(group)), "the trainer may read its group's offsets");
        assertEquals(KafkaAccess.MECHANISM.toLowerCase().replace("scram-sha-", "scram_sha"), meta.get("sasl"));
        assertEquals("enable", meta.get("tls"));

        Map<String, Object> kafka = container(find(docs, "StatefulSet", "kafka"));
        assertEquals("SASL_SSL://" + meta.get("bootstrapServers"), env(kafka, "KAFKA_ADVERTISED_LISTENERS"),
                "KEDA (another namespace) must reach the broker at the address it advertises");
        assertTrue(Files.readString(ROOT.resolve("k8s/kafka.yaml")).contains(String.valueOf(meta.get("bootstrapServers")).split(":")[0]),
                "k8s/kafka.yaml: the broker's certificate must name the address KEDA uses");
        int partitions = Integer.parseInt(env(kafka, "KAFKA_NUM_PARTITIONS"));
        assertTrue((Integer) scaled.get("maxReplicaCount") <= partitions, "more trainers than partitions would idle");

        String authName = String.valueOf(((Map<String, Object>) trigger.get("authenticationRef")).get("name"));
        Map<String, String> refs = new java.util.TreeMap<>();
        for (Map<String, Object> r : (List<Map<String, Object>>) ((Map<String, Object>) find(docs, "TriggerAuthentication", authName).get("spec"))
                .get("secretTargetRef")) {
            refs.put(String.valueOf(r.get("parameter")), r.get("name") + "/" + r.get("key"));
        }
        assertEquals("mixrule-kafka/" + KafkaAccess.TRAINER + ".password", refs.get("password"));
        assertEquals("mixrule-kafka/ca.pem", refs.get("ca"));
        assertTrue(Files.readString(ROOT.resolve("k8s/kafka-security/kafka-security.sh")).contains("\"$dir/ca.pem\""),
                "kafka-security.sh secrets must write ca.pem into the Secret's directory");
        String[] user = refs.get("username").split("/");
        Map<String, Object> secret = find(docs, "Secret", user[0]);
        String username = new String(Base64.getDecoder().decode(String.valueOf(((Map<String, Object>) secret.get("data")).get(user[1]))),
                StandardCharsets.UTF_8);
        assertEquals(trainer.getProperty("mixrule.kafka.user"), username, "KEDA logs in as the trainer");

        Map<String, Object> hpa = (Map<String, Object>) find(KubernetesSchema.render(ROOT.resolve("k8s-overlays/hpa")),
                "HorizontalPodAutoscaler", "trainer-service").get("spec");
        assertEquals("trainer-service", ((Map<String, Object>) hpa.get("scaleTargetRef")).get("name"));
        assertTrue((Integer) hpa.get("maxReplicas") <= partitions, "more trainers than partitions would idle");
    }
}
