package dev.mixrule.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a service's /q/metrics (the Prometheus text format), read the way a test asks: the sum of a
 * sample name's values over the series whose labels include the given ones.
 */
public final class ScrapedMetrics {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\d+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String text;

    public ScrapedMetrics(String text) {
        this.text = text;
    }

    /** GET http://127.0.0.1:{port}/q/metrics; fails unless it answers 200. */
    public static ScrapedMetrics scrape(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/q/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("/q/metrics on port " + port + " answered HTTP " + r.statusCode());
        }
        return new ScrapedMetrics(r.body());
    }

    /** The sum over every series of {@code name} whose labels include {@code labels} (NaN samples skipped); 0 when none. */
    public double sum(String name, Map<String, String> labels) {
        double total = 0;
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line.strip());
            if (line.startsWith("#") || !m.matches() || !m.group(1).equals(name)) {
                continue;
            }
            Map<String, String> have = labels(m.group(2));
            double v = Double.parseDouble(m.group(3));
            if (have.entrySet().containsAll(labels.entrySet()) && !Double.isNaN(v)) {
                total += v;
            }
        }
        return total;
    }

    public double sum(String name) {
        return sum(name, Map.of());
    }

    /** True when some sample line has this name. */
    public boolean has(String name) {
        return text.lines().anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " "));
    }

    public String text() {
        return text;
    }

    private static Map<String, String> labels(String group) {
        Map<String, String> out = new LinkedHashMap<>();
        if (group != null) {
            Matcher l = LABEL.matcher(group);
            while (l.find()) {
                out.put(l.group(1), l.group(2));
            }
        }
        return out;
    }
}
