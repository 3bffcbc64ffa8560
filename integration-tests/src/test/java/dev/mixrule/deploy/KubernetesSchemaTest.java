package dev.mixrule.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Every manifest the project ships, as kustomize renders it, is a valid Kubernetes object (KubernetesSchema). */
class KubernetesSchemaTest {
    static final Path ROOT = DeploymentFilesTest.ROOT;

    /** k8s/ and every overlay under k8s-overlays/ (the components are checked inside the overlays that use them). */
    static List<Path> kustomizations() throws Exception {
        List<Path> dirs = new ArrayList<>(List.of(ROOT.resolve("k8s")));
        try (Stream<Path> s = Files.list(ROOT.resolve("k8s-overlays"))) {
            s.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml"))).sorted().forEach(dirs::add);
        }
        return dirs;
    }

    @Test
    void everyRenderedManifestIsAValidKubernetesObject() throws Exception {
        List<String> problems = new ArrayList<>();
        int objects = 0;
        for (Path dir : kustomizations()) {
            for (Map<String, Object> doc : KubernetesSchema.render(dir)) {
                objects++;
                KubernetesSchema.problems(doc).forEach(p -> problems.add(ROOT.relativize(dir) + ": " + p));
            }
        }
        try (Stream<Path> s = Files.list(ROOT.resolve("k8s-overlays/gpu-sharing"))) {
            for (Path f : s.toList()) {
                for (Map<String, Object> doc : DeploymentFilesTest.yamlAll(f)) {
                    objects++;
                    KubernetesSchema.problems(doc).forEach(p -> problems.add(ROOT.relativize(f) + ": " + p));
                }
            }
        }
        assertTrue(objects > 20, "rendered only " + objects + " objects");
        assertEquals(List.of(), problems);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anUnknownFieldAWrongTypeABadQuantityAndAStraySelectorAreEachCaught() throws Exception {
        String trainer = Files.readString(ROOT.resolve("k8s/trainer-service.yaml"));
        assertEquals(List.of(), KubernetesSchema.problems((Map<String, Object>) new Yaml().load(trainer)));
        String withPolicy = trainer.replace("          image: mixrule/trainer-service\n",
                "          image: mixrule/trainer-service\n          imagePullPolicy: IfNotPresent\n");
        assertEquals(List.of(), KubernetesSchema.problems((Map<String, Object>) new Yaml().load(withPolicy)));
        // {what is in the manifest, what it becomes, what the problem must name}
        List<String[]> mutations = List.of(
                new String[] {"imagePullPolicy: IfNotPresent", "imagePullPolcy: IfNotPresent", "imagePullPolcy"},
                new String[] {"replicas: 2", "replicas: \"2\"", "replicas"},
                new String[] {"containerPort: 8082", "containerPort: \"8082\"", "containerPort"},
                new String[] {"limits: { memory: 6Gi }", "limits: { memory: 6GiB }", "6GiB"},
                new String[] {"      labels:\n        app: trainer-service", "      labels:\n        app: trainer", "selector"});
        for (String[] m : mutations) {
            assertTrue(withPolicy.contains(m[0]), "trainer-service.yaml changed: no '" + m[0] + "' to mutate");
            List<String> problems = KubernetesSchema.problems((Map<String, Object>) new Yaml().load(withPolicy.replace(m[0], m[1])));
            assertFalse(problems.isEmpty(), m[1] + " passed the schema");
            assertTrue(problems.toString().contains(m[2]), m[1] + ": " + problems);
        }
    }

    @Test
    void aKindWithoutSchemaIsAProblemNotAPass() {
        assertFalse(KubernetesSchema.problems(Map.of("apiVersion", "v1", "kind", "Pod", "metadata", Map.of("name", "x"))).isEmpty());
        assertFalse(KubernetesSchema.problems(Map.of("apiVersion", "keda.sh/v1alpha1", "kind", "ScaledObject",
                "metadata", Map.of("name", "x"), "spec", Map.of("scaleTargetRef", Map.of("name", "t"), "maxReplicas", 3,
                        "triggers", List.of()))).isEmpty(), "KEDA's maxReplicas is maxReplicaCount");
    }
}
