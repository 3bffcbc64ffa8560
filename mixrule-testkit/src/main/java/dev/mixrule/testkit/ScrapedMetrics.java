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
import java.util.stream.DoubleStream;

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
        return samples(name, labels).filter(v -> !Double.isNaN(v)).sum();
    }

    public double sum(String name) {
        return sum(name, Map.of());
    }

    /** True when some series of {@code name} has labels that include {@code labels}. */
    public boolean has(String name, Map<String, String> labels) {
        return samples(name, labels).findAny().isPresent();
    }

    private DoubleStream samples(String name, Map<String, String> labels) {
        return text.lines().filter(l -> !l.startsWith("#")).map(l -> SAMPLE.matcher(l.strip()))
                .filter(m -> m.matches() && m.group(1).equals(name) && labels(m.group(2)).entrySet().containsAll(labels.entrySet()))
                .mapToDouble(m -> value(m.group(3)));
    }

    private static double value(String v) {
        return switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(v);
        };
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
