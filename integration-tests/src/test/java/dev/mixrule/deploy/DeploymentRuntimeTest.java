package dev.mixrule.deploy;

import static dev.mixrule.deploy.DeploymentFilesTest.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the deployment files need at run time, checked offline: healthchecks that run in their images' shells and pass
 * only when the service is ready, writable volumes prepared for the users that write them, and the images' users.
 * What each image has is written down in {@link #IMAGES} (its /bin/sh, whether it has bash, its user), from the
 * images' own Dockerfiles: a new image in the files must be added there.
 */
class DeploymentRuntimeTest {
    /** An image's /bin/sh, whether bash is there, the uid it runs as, and the directories it owns for that uid. */
    record Image(String sh, boolean bash, int uid, List<String> ownedDirs) {
    }

    static final Map<String, Image> IMAGES = Map.of(
            // Ubuntu: dash as sh; bash. The services' base (Dockerfile BASE) and its CUDA variant
            "ubuntu:", new Image("dash", true, 0, List.of()),
            "nvidia/cuda:", new Image("dash", true, 0, List.of()),
            // eclipse-temurin:21-jre-alpine underneath: busybox ash as sh; bash for Kafka's scripts; appuser (1000)
            // owns /var/lib/kafka (its Dockerfile: chown appuser:root -R /var/lib/kafka)
            "apache/kafka:", new Image("ash", true, 1000, List.of("/var/lib/kafka/data")),
            // Debian: dash as sh; bash; its redis user (999), which compose and k8s run it as (its entrypoint, which
            // compose and k8s replace by redis-acl.sh, would start as root and switch)
            "redis:", new Image("dash", true, 999, List.of()),
            // Prometheus (compose profile monitoring): busybox, whose sh is ash; no bash; nobody (65534) owns /prometheus
            "prom/prometheus:", new Image("ash", false, 65534, List.of("/prometheus")));

    static Image image(String name) {
        return IMAGES.entrySet().stream().filter(e -> name.startsWith(e.getKey())).map(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> new AssertionError("image " + name + " unknown to DeploymentRuntimeTest.IMAGES: add what it has"));
    }

    static String dockerfile() throws Exception {
        return Files.readString(ROOT.resolve("Dockerfile"));
    }

    /** The Dockerfile's default for ARG name. */
    static String arg(String dockerfile, String name) {
        Matcher m = Pattern.compile("(?m)^ARG " + name + "=(\\S+)").matcher(dockerfile);
        assertTrue(m.find(), "Dockerfile: no ARG " + name + " with a default");
        return m.group(1);
    }

    /** The uid the services' images run as (the Dockerfile's last USER). */
    static int serviceUid(String dockerfile) {
        Matcher m = Pattern.compile("(?m)^USER (\\d+)").matcher(dockerfile);
        String uid = null;
        while (m.find()) {
            uid = m.group(1);
        }
        assertNotNull(uid, "Dockerfile: USER must be a numeric uid (k8s runAsNonRoot checks it)");
        return Integer.parseInt(uid);
    }

    @Test
    void theImagesHealthcheckRunsInBashAndPassesOnlyWhenTheServiceIsReady() throws Exception {
        String df = dockerfile();
        Matcher m = Pattern.compile("(?m)^HEALTHCHECK .*?CMD (\\[.*\\])$").matcher(df.replace("\\\n", " "));
        assertTrue(m.find(), "Dockerfile: no HEALTHCHECK in exec form");
        List<String> argv = List.of(new ObjectMapper().readValue(m.group(1), String[].class));
        assertEquals("bash", argv.get(0), "the probe uses /dev/tcp, which only bash has");
        for (String base : List.of(arg(df, "BASE"), "nvidia/cuda:12.4.1-runtime-ubuntu22.04")) {
            assertTrue(image(base).bash(), base + " has no bash for the healthcheck");
        }
        assumeTrue(DeploymentFilesTest.onPath("bash"), "no bash here to run the probe");
        AtomicInteger status = new AtomicInteger(200);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/q/health/ready", ex -> {
            ex.sendResponseHeaders(status.get(), -1);
            ex.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            assertEquals(0, probe(argv, port), "healthy service, probe failed");
            status.set(503);
            assertNotEquals(0, probe(argv, port), "service not ready (503), probe passed");
        } finally {
            server.stop(0);
        }
        assertNotEquals(0, probe(argv, port0()), "nothing listening, probe passed");
    }

    static int port0() throws Exception {
        try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static int probe(List<String> argv, int port) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        Process p = pb.start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "probe hung");
        return p.exitValue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeHealthchecksRunInTheirImagesShellsAndTheServicesBuildWithTheirHttpPort() throws Exception {
        Map<String, Object> services = (Map<String, Object>) DeploymentFilesTest.yaml(ROOT.resolve("docker-compose.yml")).get("services");
        String base = arg(dockerfile(), "BASE");
        List<String> problems = new ArrayList<>();
        for (var e : services.entrySet()) {
            Map<String, Object> svc = (Map<String, Object>) e.getValue();
            String img = svc.containsKey("build") ? base : String.valueOf(svc.get("image"));
            if (svc.containsKey("build")) {
                Map<String, Object> args = (Map<String, Object>) ((Map<String, Object>) svc.get("build")).get("args");
                assertEquals(String.valueOf(DeploymentFilesTest.httpPort(String.valueOf(args.get("SERVICE")))), args.get("HTTP_PORT"),
                        e.getKey() + ": HTTP_PORT must be its quarkus.http.port (the healthcheck asks it)");
            }
            Map<String, Object> hc = (Map<String, Object>) svc.get("healthcheck");
            if (hc == null) {
                continue;
            }
            List<String> test = (List<String>) hc.get("test");
            Image image = image(img);
            if (test.get(0).equals("CMD-SHELL")) {
                String cmd = test.get(1);
                for (String bashism : List.of("/dev/tcp", "[[", "<<<", "source ", "$'")) {
                    if (cmd.contains(bashism) && !image.sh().equals("bash")) {
                        problems.add(e.getKey() + ": CMD-SHELL runs in " + img + "'s /bin/sh (" + image.sh() + "), which has no " + bashism);
                    }
                }
                if (DeploymentFilesTest.onPath("dash")) {
                    Process p = new ProcessBuilder("dash", "-n", "-c", cmd.replace("$$", "$")).redirectErrorStream(true).start();
                    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    if (p.waitFor() != 0) {
                        problems.add(e.getKey() + ": not a POSIX shell command: " + out);
                    }
                }
            } else if (test.get(0).equals("CMD") && test.get(1).equals("bash") && !image.bash()) {
                problems.add(e.getKey() + ": " + img + " has no bash");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    @SuppressWarnings("unchecked")
    void composePreparesEveryWritableVolumeForTheUserThatWritesIt() throws Exception {
        Map<String, Object> services = (Map<String, Object>) DeploymentFilesTest.yaml(ROOT.resolve("docker-compose.yml")).get("services");
        Map<String, Object> init = (Map<String, Object>) services.get("volumes-init");
        assertNotNull(init, "docker-compose.yml: no volumes-init one-shot");
        String chowns = String.join(" ", (List<String>) init.get("entrypoint"));
        List<String> initMounts = (List<String>) init.get("volumes");
        int serviceUid = serviceUid(dockerfile());
        assertEquals(1001, serviceUid, "docs/deploy.md and k8s/ say the services run as uid 1001");
        List<String> problems = new ArrayList<>();
        for (var e : services.entrySet()) {
            Map<String, Object> svc = (Map<String, Object>) e.getValue();
            if (e.getKey().equals("volumes-init")) {
                continue;
            }
            Image image = svc.containsKey("build") ? null : image(String.valueOf(svc.get("image")));
            Object user = svc.get("user");
            int uid = user != null ? Integer.parseInt(String.valueOf(user).split(":")[0]) : image == null ? serviceUid : image.uid();
            for (String mount : (List<String>) svc.getOrDefault("volumes", List.of())) {
                String[] parts = mount.split(":");
                boolean named = !parts[0].startsWith(".") && !parts[0].startsWith("/") && !parts[0].startsWith("$");
                if (!named || mount.endsWith(":ro") || uid == 0 || image != null && image.ownedDirs().contains(parts[1])) {
                    continue;
                }
                String where = "/volumes/" + parts[0];
                if (!initMounts.contains(parts[0] + ":" + where) || !chowns.matches(".*chown -R " + uid + ":\\d+ " + where + "\\b.*")) {
                    problems.add(e.getKey() + " (uid " + uid + ") writes volume " + parts[0] + ", which volumes-init does not chown to it");
                }
                Map<String, Object> deps = (Map<String, Object>) svc.getOrDefault("depends_on", Map.of());
                if (!Map.of("condition", "service_completed_successfully").equals(deps.get("volumes-init"))) {
                    problems.add(e.getKey() + " must wait for volumes-init to complete");
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(dockerfile().contains("chown " + serviceUid + ":0 /var/lib/mixrule/checkpoints"),
                "the image's checkpoint directory must belong to its user (a fresh volume copies it)");
    }

    @Test
    @SuppressWarnings("unchecked")
    void k8sPodsRunAsTheirImagesUsersWithWritableVolumesGivenToThem() throws Exception {
        int serviceUid = serviceUid(dockerfile());
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> doc : KubernetesSchema.render(ROOT.resolve("k8s"))) {
            String kind = String.valueOf(doc.get("kind"));
            if (!List.of("Deployment", "StatefulSet").contains(kind)) {
                continue;
            }
            Map<String, Object> spec = (Map<String, Object>) doc.get("spec");
            Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec");
            String name = kind + " " + ((Map<String, Object>) doc.get("metadata")).get("name");
            String img = String.valueOf(((List<Map<String, Object>>) pod.get("containers")).get(0).get("image"));
            int uid = img.startsWith("mixrule/") ? serviceUid : image(img).uid();
            Map<String, Object> sc = (Map<String, Object>) pod.getOrDefault("securityContext", Map.of());
            if (!Boolean.TRUE.equals(sc.get("runAsNonRoot")) || !Integer.valueOf(uid).equals(sc.get("runAsUser"))) {
                problems.add(name + ": must run as non-root uid " + uid + ", has " + sc);
            }
            List<String> claims = new ArrayList<>();
            for (Map<String, Object> v : (List<Map<String, Object>>) pod.getOrDefault("volumes", List.of())) {
                if (v.containsKey("persistentVolumeClaim")) {
                    claims.add(String.valueOf(v.get("name")));
                }
            }
            for (Map<String, Object> t : (List<Map<String, Object>>) spec.getOrDefault("volumeClaimTemplates", List.of())) {
                claims.add(String.valueOf(((Map<String, Object>) t.get("metadata")).get("name")));
            }
            for (Map<String, Object> c : (List<Map<String, Object>>) pod.get("containers")) {
                for (Map<String, Object> vm : (List<Map<String, Object>>) c.getOrDefault("volumeMounts", List.of())) {
                    if (claims.contains(String.valueOf(vm.get("name"))) && !Boolean.TRUE.equals(vm.get("readOnly")) && sc.get("fsGroup") == null) {
                        problems.add(name + ": writes volume " + vm.get("name") + " without an fsGroup to give it to uid " + uid);
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }
}
