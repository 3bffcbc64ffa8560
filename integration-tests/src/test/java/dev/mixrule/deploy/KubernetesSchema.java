package dev.mixrule.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.Yaml;

/**
 * Kubernetes objects checked offline against the API's own types: fabric8's model (Maven Central), which is generated
 * from Kubernetes' OpenAPI schema, read strictly: a field the API does not have, or a value of the wrong type (a string
 * where the API takes an integer, a number where it takes a string), is a problem, as the API server's strict field
 * validation would make it. Quantities (cpu, memory, storage) must parse, and a workload's selector must match its pod
 * labels. KEDA's objects (custom resources, no model here) get their keys checked against KEDA's CRD fields.
 */
final class KubernetesSchema {
    static final Map<String, Class<?>> TYPES = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "v1/PersistentVolumeClaim", PersistentVolumeClaim.class,
            "apps/v1/Deployment", Deployment.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "batch/v1/Job", Job.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);
    /** KEDA 2.x CRD fields of what the keda overlay uses (keda.sh/v1alpha1). */
    static final Set<String> SCALED_OBJECT_SPEC = Set.of("scaleTargetRef", "pollingInterval", "cooldownPeriod",
            "initialCooldownPeriod", "idleReplicaCount", "minReplicaCount", "maxReplicaCount", "fallback", "advanced", "triggers");
    static final Set<String> TRIGGER = Set.of("type", "name", "metadata", "authenticationRef", "metricType", "useCachedMetrics");
    static final Set<String> SECRET_TARGET_REF = Set.of("parameter", "name", "key");

    private static final ObjectMapper STRICT = strictMapper();

    private KubernetesSchema() {
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper m = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // fabric8 keeps unknown fields in an "additionalProperties" map: without it they are errors
                .annotationIntrospector(new JacksonAnnotationIntrospector() {
                    @Override
                    public Boolean hasAnySetter(Annotated a) {
                        return Boolean.FALSE;
                    }
                })
                .build();
        m.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return m;
    }

    /** Every problem of one object (a parsed YAML document), each naming the object and the field; empty when valid. */
    @SuppressWarnings("unchecked")
    static List<String> problems(Map<String, Object> doc) {
        String kind = String.valueOf(doc.get("kind"));
        String name = kind + " " + ((Map<String, Object>) doc.getOrDefault("metadata", Map.of())).get("name");
        List<String> out = new ArrayList<>();
        if (String.valueOf(doc.get("apiVersion")).startsWith("keda.sh/")) {
            kedaProblems(name, doc, out);
            return out;
        }
        Class<?> type = TYPES.get(doc.get("apiVersion") + "/" + kind);
        if (type == null) {
            out.add(name + ": no schema here for " + doc.get("apiVersion") + " " + kind + " (add it to KubernetesSchema.TYPES)");
            return out;
        }
        try {
            STRICT.convertValue(doc, type);
        } catch (IllegalArgumentException e) {
            out.add(name + ": " + e.getMessage().replaceAll("\\s+", " ").replaceAll("\\(\\d+ known properties:.*?\\]\\)", ""));
        }
        quantities(name, "", doc, out);
        Map<String, Object> spec = (Map<String, Object>) doc.get("spec");
        if (spec != null && spec.get("selector") instanceof Map<?, ?> sel && sel.get("matchLabels") instanceof Map<?, ?> want
                && spec.get("template") instanceof Map<?, ?> template) {
            Map<String, Object> labels = (Map<String, Object>) ((Map<String, Object>) template.get("metadata")).get("labels");
            if (labels == null || !labels.entrySet().containsAll(want.entrySet())) {
                out.add(name + ": selector " + want + " does not match the pod labels " + labels);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void quantities(String name, String path, Object node, List<String> out) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                String p = path + "." + k;
                if (Set.of("requests", "limits", "capacity").contains(String.valueOf(k)) && v instanceof Map<?, ?> q) {
                    q.forEach((r, amount) -> {
                        try {
                            Quantity.getAmountInBytes(new Quantity(String.valueOf(amount)));
                        } catch (RuntimeException e) {
                            out.add(name + ": " + p + "." + r + " '" + amount + "' is not a quantity");
                        }
                    });
                } else {
                    quantities(name, p, v, out);
                }
            });
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                quantities(name, path + "[" + i + "]", list.get(i), out);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void kedaProblems(String name, Map<String, Object> doc, List<String> out) {
        Map<String, Object> spec = (Map<String, Object>) doc.get("spec");
        switch (String.valueOf(doc.get("kind"))) {
            case "ScaledObject" -> {
                unknownKeys(name + ".spec", spec, SCALED_OBJECT_SPEC, out);
                for (Map<String, Object> t : (List<Map<String, Object>>) spec.get("triggers")) {
                    unknownKeys(name + ".spec.triggers", t, TRIGGER, out);
                    ((Map<String, Object>) t.get("metadata")).forEach((k, v) -> {
                        if (!(v instanceof String)) {
                            out.add(name + ": trigger metadata " + k + " must be a string, not " + v);
                        }
                    });
                }
                for (String n : List.of("minReplicaCount", "maxReplicaCount", "pollingInterval", "cooldownPeriod")) {
                    if (spec.containsKey(n) && !(spec.get(n) instanceof Integer)) {
                        out.add(name + ": " + n + " must be an integer");
                    }
                }
            }
            case "TriggerAuthentication" -> {
                unknownKeys(name + ".spec", spec, Set.of("secretTargetRef", "env", "configMapTargetRef", "podIdentity"), out);
                for (Map<String, Object> r : (List<Map<String, Object>>) spec.get("secretTargetRef")) {
                    unknownKeys(name + ".spec.secretTargetRef", r, SECRET_TARGET_REF, out);
                }
            }
            default -> out.add(name + ": no schema here for KEDA's " + doc.get("kind"));
        }
    }

    private static void unknownKeys(String where, Map<String, Object> map, Set<String> known, List<String> out) {
        for (String k : map.keySet()) {
            if (!known.contains(k)) {
                out.add(where + ": unknown field " + k);
            }
        }
    }

    /**
     * The objects a kustomization renders (kubectl kustomize, offline), or, without kubectl, its manifest files as
     * they are: the base's resources, an overlay's own (its patches need kubectl).
     */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> render(Path dir) throws Exception {
        List<Map<String, Object>> docs = new ArrayList<>();
        if (DeploymentFilesTest.onPath("kubectl")) {
            Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new AssertionError("kubectl kustomize " + dir + " failed: " + out);
            }
            new Yaml().loadAll(out).forEach(o -> docs.add((Map<String, Object>) o));
            return docs;
        }
        for (Path f : manifestFiles(dir)) {
            docs.addAll(DeploymentFilesTest.yamlAll(f));
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    private static List<Path> manifestFiles(Path dir) throws Exception {
        Map<String, Object> kust = DeploymentFilesTest.yaml(dir.resolve("kustomization.yaml"));
        List<Path> files = new ArrayList<>();
        List<String> entries = new ArrayList<>((List<String>) kust.getOrDefault("resources", List.of()));
        entries.addAll((List<String>) kust.getOrDefault("components", List.of()));
        for (String r : entries) {
            Path p = dir.resolve(r).normalize();
            if (Files.isDirectory(p)) {
                files.addAll(manifestFiles(p));
            } else {
                files.add(p);
            }
        }
        return files;
    }
}
