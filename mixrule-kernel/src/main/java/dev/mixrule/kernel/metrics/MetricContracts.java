package dev.mixrule.kernel.metrics;

import dev.mixrule.proto.EvaluationResult;
import java.util.Map;
import java.util.Optional;

/**
 * What an evaluation result may claim: every value finite, every known metric inside its range, and no
 * name that the training result owns (an evaluator never republishes valid_accuracy, parameters, bp_fraction,
 * share_&lt;rule&gt;, ...). The leaderboard refuses a result that breaks one of these to the dead-letter topic,
 * with the reason this returns.
 */
public final class MetricContracts {
    private MetricContracts() {}

    /** Why the result may not be believed, naming the metric; empty when it may. */
    public static Optional<String> violation(EvaluationResult e) {
        for (Map.Entry<String, Double> m : e.getMetricsMap().entrySet()) {
            Optional<String> why = violation(m.getKey(), m.getValue());
            if (why.isPresent()) {
                return Optional.of("evaluator '" + e.getEvaluator().getName() + "' " + why.get());
            }
        }
        return Optional.empty();
    }

    /** Why one metric value of an evaluator is refused, as a phrase naming it; empty when it is fine. */
    public static Optional<String> violation(String name, double value) {
        if (ownedByTraining(name)) {
            return Optional.of("publishes '" + name + "', which every training result owns; evaluators never reuse it");
        }
        if (!Double.isFinite(value)) {
            return Optional.of("publishes '" + name + "' = " + value + ", which is not a finite number");
        }
        Optional<Metric> known = Metric.of(name).or(() -> Metric.of(stripValidPrefix(name)));
        if (known.isPresent() && !known.get().accepts(value)) {
            return Optional.of("publishes '" + name + "' = " + value + ", outside its range [" + known.get().min() + ", "
                    + known.get().max() + "]");
        }
        if (known.isEmpty() && name.endsWith("_accuracy") && (value < 0 || value > 1)) {
            return Optional.of("publishes '" + name + "' = " + value + ", but accuracies lie in [0, 1]");
        }
        return Optional.empty();
    }

    /** Names the training result's metrics use (TrainingResultMetrics): no evaluator may publish them. */
    public static boolean ownedByTraining(String name) {
        return name.startsWith(Metric.SHARE_PREFIX) || Metric.of(name)
                .map(m -> m.source() == Metric.Source.GENOME_AND_COST || m == Metric.VALID_ACCURACY).orElse(false);
    }

    private static String stripValidPrefix(String name) {
        return name.startsWith("valid_") ? name.substring("valid_".length()) : name;
    }
}
