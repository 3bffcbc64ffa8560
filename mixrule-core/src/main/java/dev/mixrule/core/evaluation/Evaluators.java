package dev.mixrule.core.evaluation;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The registry of built-in evaluators, by name. Adding one: a class implementing {@link Evaluator}
 * and a line here. Robustness comes in two protocols: "screening" (500 examples, short attacks; for
 * the search loop) and "full" (2,000 examples, long attacks; for the top of the leaderboard); the
 * protocol is recorded in every result.
 */
public final class Evaluators {
    private static final Map<String, Supplier<Evaluator>> SIMPLE = Map.of(
            CleanAccuracy.NAME, CleanAccuracy::new,
            "noise", GaussianNoise::new,
            "cost", CostMetrics::new);

    private Evaluators() {}

    public static Evaluator get(String name) {
        return get(name, "screening");
    }

    /** @param protocol robustness protocol, screening or full (robustness takes its eps from each model's dataset) */
    public static Evaluator get(String name, String protocol) {
        if (name.equals(RobustnessEvaluator.NAME)) {
            return new DatasetAwareRobustness(protocol);
        }
        Supplier<Evaluator> e = SIMPLE.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown evaluator '" + name + "'; known: " + String.join(", ", names()));
        }
        return e.get();
    }

    public static List<String> names() {
        return List.of(CleanAccuracy.NAME, RobustnessEvaluator.NAME, "noise", "cost");
    }

    /** Robustness whose eps follows the model's dataset. */
    static final class DatasetAwareRobustness implements Evaluator {
        private final String protocol;

        DatasetAwareRobustness(String protocol) {
            if (!protocol.equals("screening") && !protocol.equals("full")) {
                throw new IllegalArgumentException("unknown protocol '" + protocol + "'; known: screening, full");
            }
            this.protocol = protocol;
        }

        @Override
        public String name() {
            return RobustnessEvaluator.NAME;
        }

        @Override
        public String version() {
            return "1";
        }

        @Override
        public Result evaluate(dev.mixrule.core.training.TrainedModel model, dev.mixrule.core.data.DataSplits data, Settings s) {
            return new RobustnessEvaluator(RobustnessEvaluator.config(protocol, model.dataset(), ReferenceModels::sourceFor))
                    .evaluate(model, data, s);
        }
    }
}
