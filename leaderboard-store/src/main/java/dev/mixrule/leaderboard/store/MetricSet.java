package dev.mixrule.leaderboard.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import dev.mixrule.kernel.messaging.Names;
import dev.mixrule.kernel.search.SelectionMetrics;
import java.util.regex.Pattern;

/**
 * The metrics a Pareto front is taken over, each with its direction. Written "+valid_accuracy,-parameters"
 * ("+" maximise, "-" minimise); the canonical form sorts by metric name, so the same set always maps to
 * the same Redis keys whatever order a caller lists it in.
 */
public record MetricSet(List<Objective> objectives) {
    /** Metric names are names (kernel {@link Names#NAME}). */
    public static final Pattern METRIC = Names.NAME;

    /**
     * valid_accuracy and APGD-CE accuracy on a validation subset (the first AutoAttack component the robustness
     * evaluator runs), both maximised: a front chooses networks, and selection never sees the test split. The
     * kernel's SelectionMetrics.DEFAULT_PARETO, parsed.
     */
    public static final MetricSet DEFAULT = parse(SelectionMetrics.DEFAULT_PARETO);

    public record Objective(String metric, boolean maximize) {}

    public MetricSet {
        if (objectives.isEmpty() || objectives.size() > 8) {
            throw new IllegalArgumentException("a metric set has 1 to 8 metrics, got " + objectives.size());
        }
        List<Objective> sorted = new ArrayList<>(objectives);
        sorted.sort(Comparator.comparing(Objective::metric));
        for (int i = 0; i < sorted.size(); i++) {
            if (!Names.isName(sorted.get(i).metric())) {
                throw new IllegalArgumentException("metric name '" + sorted.get(i).metric() + "' must match " + METRIC.pattern());
            }
            if (i > 0 && sorted.get(i).metric().equals(sorted.get(i - 1).metric())) {
                throw new IllegalArgumentException("metric '" + sorted.get(i).metric() + "' is listed twice");
            }
        }
        objectives = List.copyOf(sorted);
    }

    /** "+a,-b" or "a,b" (maximise when no sign). */
    public static MetricSet parse(String text) {
        List<Objective> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            boolean max = !p.startsWith("-");
            out.add(new Objective(p.startsWith("+") || p.startsWith("-") ? p.substring(1) : p, max));
        }
        return new MetricSet(out);
    }

    /** Canonical text, also the Redis key segment. */
    public String key() {
        StringBuilder sb = new StringBuilder();
        for (Objective o : objectives) {
            sb.append(sb.length() == 0 ? "" : ",").append(o.maximize() ? '+' : '-').append(o.metric());
        }
        return sb.toString();
    }

    /** The entry's point with every coordinate oriented so that larger is better; null if a metric is missing or not finite. */
    public double[] orient(Map<String, Double> metrics) {
        double[] p = new double[objectives.size()];
        for (int i = 0; i < p.length; i++) {
            Double v = metrics.get(objectives.get(i).metric());
            if (v == null || !Double.isFinite(v)) {
                return null;
            }
            p[i] = objectives.get(i).maximize() ? v : -v;
        }
        return p;
    }

    @Override
    public String toString() {
        return key();
    }
}
