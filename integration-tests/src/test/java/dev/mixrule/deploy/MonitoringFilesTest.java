package dev.mixrule.deploy;

import static dev.mixrule.deploy.DeploymentFilesTest.ROOT;
import static dev.mixrule.deploy.DeploymentFilesTest.SERVICES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mixrule.kernel.telemetry.Meter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The monitoring files (k8s/monitoring, the compose profile "monitoring", the scrape annotations) agree with the
 * code: the dashboard asks only for meters and labels the services export and shows every one of them, the scrape
 * configurations reach each service's HTTP port at /q/metrics, and docs/observability.md lists every meter.
 */
class MonitoringFilesTest {
    static final Path MONITORING = ROOT.resolve("k8s/monitoring");
    /** Kafka's own client meters the dashboard may use besides ours (Quarkus' Micrometer Kafka binder). */
    static final Set<String> KAFKA_METERS = Set.of("kafka_consumer_fetch_manager_records_lag_max");
    static final Pattern METRIC = Pattern.compile("\\b((?:mixrule|kafka)_[a-z0-9_]+)");
    static final Pattern BY = Pattern.compile("\\bby \\(([^)]*)\\)");

    static List<String> dashboardQueries() throws IOException {
        JsonObject dash = JsonParser.parseString(Files.readString(MONITORING.resolve("grafana-dashboard.json"))).getAsJsonObject();
        List<String> out = new ArrayList<>();
        for (JsonElement p : dash.getAsJsonArray("panels")) {
            JsonObject panel = p.getAsJsonObject();
            if (panel.has("targets")) {
                panel.getAsJsonArray("targets").forEach(t -> out.add(t.getAsJsonObject().get("expr").getAsString()));
            }
        }
        return out;
    }

    /** The names Prometheus shows for a meter: its base name, and for timers and summaries the histogram's series. */
    static Map<String, Meter> exportedNames() {
        Map<String, Meter> names = new HashMap<>();
        for (Meter m : Meter.values()) {
            names.put(m.prometheusName(), m);
            if (m.kind() != Meter.Kind.COUNTER) {
                for (String suffix : List.of("_bucket", "_count", "_sum", "_max")) {
                    names.put(m.prometheusName() + suffix, m);
                }
            }
        }
        return names;
    }

    @Test
    void theDashboardAsksOnlyForExportedMetersAndLabelsAndShowsEveryMeter() throws IOException {
        Map<String, Meter> exported = exportedNames();
        Set<Meter> shown = new HashSet<>();
        List<String> queries = dashboardQueries();
        assertTrue(queries.size() >= 10, "panels: " + queries.size());
        for (String q : queries) {
            Matcher m = METRIC.matcher(q);
            List<Meter> used = new ArrayList<>();
            while (m.find()) {
                String name = m.group(1);
                assertTrue(exported.containsKey(name) || KAFKA_METERS.contains(name), "the dashboard asks for '" + name
                        + "', which no service exports (kernel telemetry.Meter): " + q);
                if (exported.containsKey(name)) {
                    used.add(exported.get(name));
                }
            }
            shown.addAll(used);
            Matcher by = BY.matcher(q);
            while (by.find() && !used.isEmpty()) {
                for (String label : by.group(1).split(",")) {
                    String l = label.strip();
                    assertTrue(l.equals("le") || used.stream().allMatch(u -> u.labels().contains(l)),
                            "label '" + l + "' is not one of " + used + "'s: " + q);
                }
            }
        }
        assertEquals(Set.of(Meter.values()), shown, "every meter has a panel");
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeScrapesEveryServiceAtItsHttpPortOnlyInTheMonitoringProfile() throws IOException {
        Map<String, Object> services = (Map<String, Object>) DeploymentFilesTest.yaml(ROOT.resolve("docker-compose.yml")).get("services");
        Map<String, Object> prometheus = (Map<String, Object>) services.get("prometheus");
        assertEquals(List.of("monitoring"), prometheus.get("profiles"), "not started by a plain 'docker compose up'");
        assertTrue(String.valueOf(prometheus.get("volumes")).contains("./k8s/monitoring/prometheus-compose.yml:/etc/prometheus/prometheus.yml"));

        Map<String, Object> config = DeploymentFilesTest.yaml(MONITORING.resolve("prometheus-compose.yml"));
        Map<String, Object> job = ((List<Map<String, Object>>) config.get("scrape_configs")).get(0);
        assertEquals("/q/metrics", job.get("metrics_path"));
        Map<String, Integer> ports = new HashMap<>();
        for (Map<String, Object> sd : (List<Map<String, Object>>) job.get("dns_sd_configs")) {
            ((List<String>) sd.get("names")).forEach(n -> ports.put(n, (Integer) sd.get("port")));
        }
        for (String s : SERVICES) {
            assertEquals(DeploymentFilesTest.httpPort(s), ports.get(s), s + " scraped on another port than its HTTP port");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyServicePodCarriesTheScrapeAnnotationsOfItsHttpPort() throws IOException {
        for (String s : SERVICES) {
            Map<String, Object> deployment = DeploymentFilesTest.yamlAll(ROOT.resolve("k8s").resolve(s + ".yaml")).stream()
                    .filter(d -> "Deployment".equals(d.get("kind"))).findFirst().orElseThrow();
            Map<String, Object> template = (Map<String, Object>) ((Map<String, Object>) deployment.get("spec")).get("template");
            Map<String, Object> annotations = (Map<String, Object>) ((Map<String, Object>) template.get("metadata")).get("annotations");
            assertEquals("true", annotations.get("prometheus.io/scrape"), s);
            assertEquals(String.valueOf(DeploymentFilesTest.httpPort(s)), annotations.get("prometheus.io/port"), s);
            assertEquals("/q/metrics", annotations.get("prometheus.io/path"), s);
        }
        String kustomization = Files.readString(MONITORING.resolve("kustomization.yaml"));
        for (String file : List.of("prometheus-k8s.yml", "grafana-dashboard.json")) {
            assertTrue(kustomization.contains(file) && Files.isRegularFile(MONITORING.resolve(file)), file);
        }
    }

    @Test
    void theObservabilityGuideListsEveryMeterWithItsLabels() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/observability.md"));
        for (Meter m : Meter.values()) {
            assertTrue(doc.contains("`" + m.prometheusName() + "`"), "docs/observability.md lacks " + m.prometheusName());
            m.labels().forEach(l -> assertTrue(doc.contains("`" + l + "`"), "docs/observability.md lacks label " + l));
        }
    }
}
