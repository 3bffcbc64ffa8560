package dev.mixrule.kernel.search;

import dev.mixrule.kernel.metrics.Metric;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which metrics may choose networks: search objectives, early stopping, default rankings and Pareto
 * fronts. Selection never sees the test split (SCIENCE.md): a number measured on it stops being an
 * unbiased estimate of the chosen network once it helped choose. So only two kinds of metric select:
 * <ul>
 *   <li>metrics measured on the validation split, which are named {@code valid_*}
 *       ({@code valid_accuracy}, {@code valid_apgd_accuracy} on a validation subset, ...);</li>
 *   <li>metrics of the genome or of the training run itself, which read no held-out data
 *       ({@code parameters}, {@code macs}, {@code bp_fraction}, {@code share_<rule>}, {@code train_seconds}, ...).</li>
 * </ul>
 * Everything else is refused, in particular {@code test_*} and the attack and noise metrics that today's
 * evaluators measure on the test split ({@code clean_accuracy}, {@code apgd_accuracy}, ...). A metric of an
 * external evaluator selects only when it is named {@code valid_*}: a name alone cannot tell us its split.
 * Test metrics stay visible as report columns; they just do not choose.
 */
public final class SelectionMetrics {
    public static final String VALID_PREFIX = "valid_";
    public static final String TEST_PREFIX = "test_";

    /** The default search objective (maximised) and the leaderboard's default ranking metric. */
    public static final String VALID_ACCURACY = "valid_accuracy"; // a constant for annotations; = Metric.VALID_ACCURACY.key() (SelectionMetricsTest)
    /** APGD-CE robust accuracy on a validation subset (the robustness evaluator's search-time metric). */
    public static final String VALID_APGD_ACCURACY = "valid_apgd_accuracy"; // = Metric.VALID_APGD_ACCURACY.key()
    /** The default Pareto metric set, both maximised, in MetricSet's "+a,+b" form. */
    public static final String DEFAULT_PARETO = "+" + VALID_ACCURACY + ",+" + VALID_APGD_ACCURACY;

    /** Metrics of the genome or the training run: no validation or test example is read to compute them. */
    public static final Set<String> GENOME_AND_COST = keys(Metric.Source.GENOME_AND_COST);
    /** Per-rule parameter shares of the genome. */
    public static final String SHARE_PREFIX = Metric.SHARE_PREFIX;

    /** Metrics today's evaluators measure on the test split without a test_ prefix (evaluation/). */
    static final Set<String> TEST_SPLIT = keys(Metric.Source.TEST);
    static final List<String> TEST_SPLIT_PREFIXES = List.of(TEST_PREFIX, "noise_", "pgd_accuracy_eps");

    private SelectionMetrics() {}

    private static Set<String> keys(Metric.Source source) {
        return Arrays.stream(Metric.values()).filter(m -> m.source() == source).map(Metric::key)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** True when the metric may drive selection. */
    public static boolean selectable(String metric) {
        return metric.startsWith(VALID_PREFIX) && metric.length() > VALID_PREFIX.length()
                || GENOME_AND_COST.contains(metric) || metric.startsWith(SHARE_PREFIX);
    }

    /** True when today's evaluators measure this metric on the test split. */
    public static boolean onTestSplit(String metric) {
        return TEST_SPLIT.contains(metric) || TEST_SPLIT_PREFIXES.stream().anyMatch(metric::startsWith);
    }

    /** The validation-split name to select on instead: test_accuracy -> valid_accuracy, apgd_accuracy -> valid_apgd_accuracy. */
    public static String validCounterpart(String metric) {
        return VALID_PREFIX + (metric.startsWith(TEST_PREFIX) ? metric.substring(TEST_PREFIX.length()) : metric);
    }

    /** Why the metric may not select, as a sentence about it (no field name); empty when it may. */
    public static Optional<String> refusal(String metric) {
        if (selectable(metric)) {
            return Optional.empty();
        }
        if (onTestSplit(metric)) {
            return Optional.of("'" + metric + "' is measured on the test split, which selection must never see; use '"
                    + validCounterpart(metric) + "'");
        }
        return Optional.of("'" + metric + "' is not known to be a validation or genome metric; selection uses validation"
                + " metrics (named valid_*, e.g. '" + VALID_ACCURACY + "') or genome and cost metrics ("
                + String.join(", ", GENOME_AND_COST.stream().sorted().toList()) + ", " + SHARE_PREFIX + "<rule>)");
    }

    /** Only the metrics that may select, in the map's order: what a search strategy is told. */
    public static Map<String, Double> selectableOnly(Map<String, Double> metrics) {
        Map<String, Double> out = new LinkedHashMap<>();
        metrics.forEach((k, v) -> {
            if (selectable(k)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
