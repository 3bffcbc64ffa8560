package dev.mixrule.core.evaluation;

import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.kernel.data.DataSplits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The registry of built-in evaluators, by name. Adding one: a class implementing {@link Evaluator}
 * and a line here. Robustness comes in two protocols: "screening" (500 examples, short attacks; for
 * the search loop), "full" (2,000 examples, long attacks) and "standard" (AutoAttack's standard
 * attacks); each runs on the validation split (metrics valid_*, what search may read) or the test split
 * (plain names, reports only). Protocol, split and size are recorded in every result.
 */
public final class Evaluators {
    private static final Map<String, Supplier<Evaluator>> SIMPLE = Map.of(
            CleanAccuracy.NAME, CleanAccuracy::new,
            "noise", GaussianNoise::new);
    /**
     * Names that once were evaluators, with why they are gone. "cost" republished parameters, macs,
     * bp_fraction and share_&lt;rule&gt;, which every TrainingResult already carries (TrainingResultMetrics):
     * evaluators never reuse a metric name.
     */
    public static final Map<String, String> RETIRED = Map.of("cost", "its metrics (parameters, macs, bp_fraction, "
            + "exact_gradient_fraction, share_<rule>) come with every training result; nothing to run");

    private Evaluators() {}

    public static Evaluator get(String name) {
        return get(name, "screening", RobustnessEvaluator.Split.VALID);
    }

    /**
     * @param protocol robustness protocol: screening, full or standard (robustness takes its eps from each model's dataset)
     * @param split the split robustness measures: VALID for search, TEST for reports
     */
    public static Evaluator get(String name, String protocol, RobustnessEvaluator.Split split) {
        return get(name, protocol, split, 0, List.of());
    }

    /**
     * @param examples robustness attacks at most this many images (0 = the protocol's)
     * @param attacks robustness runs only these of the protocol's attacks (empty = all of them)
     * @see RobustnessEvaluator.Config#limitedTo
     */
    public static Evaluator get(String name, String protocol, RobustnessEvaluator.Split split, int examples, List<String> attacks) {
        if (name.equals(RobustnessEvaluator.NAME)) {
            return new DatasetAwareRobustness(protocol, split, examples, attacks);
        }
        Supplier<Evaluator> e = SIMPLE.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown evaluator '" + name + "'; known: " + String.join(", ", names())
                    + (RETIRED.containsKey(name) ? " ('" + name + "' is retired: " + RETIRED.get(name) + ")" : ""));
        }
        return e.get();
    }

    public static List<String> names() {
        return List.of(CleanAccuracy.NAME, RobustnessEvaluator.NAME, "noise");
    }

    /** The names to run: blanks and retired names dropped, each retired one told to {@code warn} with why. */
    public static List<String> active(List<String> names, Consumer<String> warn) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            String name = n.trim();
            if (RETIRED.containsKey(name)) {
                warn.accept("evaluator '" + name + "' is retired and skipped: " + RETIRED.get(name));
            } else if (!name.isEmpty()) {
                out.add(name);
            }
        }
        return out;
    }

    /** Robustness whose eps follows the model's dataset. */
    static final class DatasetAwareRobustness implements Evaluator {
        private final String protocol;
        private final RobustnessEvaluator.Split split;
        private final int examples;
        private final List<String> attacks;

        DatasetAwareRobustness(String protocol, RobustnessEvaluator.Split split, int examples, List<String> attacks) {
            // refuses an unknown protocol, a size or an attack it does not have now, by name
            RobustnessEvaluator.config(protocol, split, "synthetic", null).limitedTo(examples, attacks);
            this.protocol = protocol;
            this.split = split;
            this.examples = examples;
            this.attacks = List.copyOf(attacks);
        }

        @Override
        public String name() {
            return RobustnessEvaluator.NAME;
        }

        @Override
        public String version() {
            return RobustnessEvaluator.VERSION;
        }

        @Override
        public Result evaluate(TrainedModel model, DataSplits data, Settings s) {
            return new RobustnessEvaluator(RobustnessEvaluator.config(protocol, split, model.dataset(), ReferenceModels::twinSource)
                    .limitedTo(examples, attacks)).evaluate(model, data, s);
        }
    }
}
