package dev.mixrule.cli.stack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the local stack's evaluator-service measures: test accuracy for the report, and robustness for the
 * trade-off the demo shows (leaderboard pareto, the page's scatter). Robustness uses the screening protocol on a
 * validation subset (metrics valid_*, what selection may read), cut down to fit the demo's three minutes on two cores:
 * {@link #ROBUSTNESS_EXAMPLES} images and {@link #ROBUSTNESS_ATTACKS} (no transfer attack: it would train every
 * candidate's backprop twin; Square stays as the black-box check against gradient masking). MIXRULE_EVALUATORS
 * replaces the evaluator names (e.g. "accuracy" for the fastest stack); {@link LocalStack#property} any setting.
 */
public final class StackEvaluation {
    public static final List<String> DEFAULT_EVALUATORS = List.of("accuracy", "robustness");
    public static final String PROTOCOL = "screening";
    public static final String SPLIT = "valid";
    /** Validation images robustness attacks per candidate (the screening protocol's 500 cut to 200: docs/benchmarks.md). */
    public static final int ROBUSTNESS_EXAMPLES = 200;
    public static final List<String> ROBUSTNESS_ATTACKS = List.of("fgsm", "pgd", "apgd", "square");

    private StackEvaluation() {}

    /** The evaluator names the stack runs: MIXRULE_EVALUATORS (comma-separated) or the defaults. */
    public static List<String> evaluators() {
        String env = System.getenv("MIXRULE_EVALUATORS");
        return env == null || env.isBlank() ? DEFAULT_EVALUATORS
                : List.of(env.split(",")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** The evaluator-service's mixrule.evaluator.* system properties. */
    public static Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("mixrule.evaluator.names", String.join(",", evaluators()));
        p.put("mixrule.evaluator.protocol", PROTOCOL);
        p.put("mixrule.evaluator.split", SPLIT);
        p.put("mixrule.evaluator.examples", String.valueOf(ROBUSTNESS_EXAMPLES));
        p.put("mixrule.evaluator.attacks", String.join(",", ROBUSTNESS_ATTACKS));
        return p;
    }
}
