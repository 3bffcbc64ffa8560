package dev.mixrule.sampler;

import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.genome.Architecture;
import dev.mixrule.kernel.genome.Rule;
import dev.mixrule.kernel.messaging.Names;
import dev.mixrule.kernel.recipe.TrainingOptions;
import dev.mixrule.kernel.search.EarlyStopping;
import dev.mixrule.kernel.search.SelectionMetrics;
import dev.mixrule.kernel.search.Strategies;
import dev.mixrule.proto.EarlyStoppingSpec;
import dev.mixrule.proto.ExperimentSpec;
import dev.mixrule.proto.ObjectiveSpec;
import dev.mixrule.proto.TrainingConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Checks an experiment spec and fills in defaults; every refusal names the field. The defaults of an experiment
 * are decided here (the strategy's in {@link Strategies#DEFAULT}), and nowhere else in the sampler.
 */
final class ExperimentValidation {
    static final int MAX_BUDGET = 100_000;
    /** What candidate_timeout_seconds 0 means. */
    static final int DEFAULT_CANDIDATE_TIMEOUT_SECONDS = 3600;

    private ExperimentValidation() {}

    /** Returns the spec with defaults filled in, or throws IllegalArgumentException("field: reason"). */
    static ExperimentSpec normalise(ExperimentSpec spec, String generatedId) {
        List<String> errors = new ArrayList<>();
        ExperimentSpec.Builder b = spec.toBuilder();
        experimentId(b, generatedId, errors);
        dataset(b, errors);
        space(b, errors);
        strategy(b, errors);
        objectives(b, errors);
        if (b.getMaxInFlight() < 0) {
            errors.add("max_in_flight: " + b.getMaxInFlight() + " must be >= 0 (0 = no limit)");
        }
        rules(b, errors);
        budget(b, errors);
        exactGradientCap(b, errors);
        if (b.getCandidateTimeoutSeconds() < 0) {
            errors.add("candidate_timeout_seconds: " + b.getCandidateTimeoutSeconds() + " must be >= 0 (0 = "
                    + DEFAULT_CANDIDATE_TIMEOUT_SECONDS + ")");
        }
        earlyStopping(b, errors);
        training(b.getTraining(), errors);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return b.build();
    }

    private static void experimentId(ExperimentSpec.Builder b, String generatedId, List<String> errors) {
        if (b.getExperimentId().isEmpty()) {
            b.setExperimentId(generatedId);
        } else if (!Names.isExperimentId(b.getExperimentId())) {
            errors.add("experiment_id: '" + b.getExperimentId() + "' must match " + Names.EXPERIMENT_ID.pattern());
        }
    }

    private static void dataset(ExperimentSpec.Builder b, List<String> errors) {
        if (b.getDataset().isEmpty()) {
            errors.add("dataset: required; known: " + String.join(", ", Datasets.NAMES));
        } else if (!Datasets.NAMES.contains(b.getDataset())) {
            errors.add("dataset: unknown '" + b.getDataset() + "'; known: " + String.join(", ", Datasets.NAMES));
        }
    }

    private static void space(ExperimentSpec.Builder b, List<String> errors) {
        if (b.getSpace().isEmpty()) {
            b.setSpace(Architecture.CHAIN.key());
        } else if (Arrays.stream(Architecture.values()).noneMatch(a -> a.key().equals(b.getSpace()))) {
            errors.add("space: unknown '" + b.getSpace() + "'; known: " + Architecture.names());
        }
    }

    private static void strategy(ExperimentSpec.Builder b, List<String> errors) {
        if (b.getStrategy().isEmpty()) {
            b.setStrategy(Strategies.DEFAULT);
        } else if (!Strategies.NAMES.contains(b.getStrategy())) {
            errors.add("strategy: unknown '" + b.getStrategy() + "'; known: " + String.join(", ", Strategies.NAMES));
        }
    }

    /** Default: maximise valid_accuracy. Each objective must be a metric that may select. */
    private static void objectives(ExperimentSpec.Builder b, List<String> errors) {
        if (b.getObjectivesCount() == 0) {
            b.addObjectives(ObjectiveSpec.newBuilder().setMetric(SelectionMetrics.VALID_ACCURACY));
        }
        for (int i = 0; i < b.getObjectivesCount(); i++) {
            String metric = b.getObjectives(i).getMetric();
            String field = "objectives[" + i + "].metric: ";
            if (!Names.isName(metric)) {
                errors.add(field + "'" + metric + "' is not a metric name");
            } else {
                SelectionMetrics.refusal(metric).ifPresent(why -> errors.add(field + why));
            }
        }
    }

    /** Rule names to their short names; none means every rule. */
    private static void rules(ExperimentSpec.Builder b, List<String> errors) {
        List<String> rules = new ArrayList<>();
        for (String r : b.getRulesList()) {
            try {
                rules.add(Rule.fromName(r).shortName()); // every Rule has its class (LearningRulesTest)
            } catch (IllegalArgumentException e) {
                errors.add("rules: " + e.getMessage());
            }
        }
        if (rules.isEmpty()) {
            for (Rule r : Rule.values()) {
                rules.add(r.shortName());
            }
        }
        b.clearRules().addAllRules(rules);
    }

    private static void budget(ExperimentSpec.Builder b, List<String> errors) {
        if (b.getBudget() < 0 || b.getBudget() > MAX_BUDGET) {
            errors.add("budget: " + b.getBudget() + " is out of range 0.." + MAX_BUDGET + " (0 = endless)");
        } else if (b.getBudget() == 0 && b.getMaxInFlight() == 0) {
            errors.add("max_in_flight: an endless experiment (budget 0) needs a limit > 0");
        }
    }

    private static void exactGradientCap(ExperimentSpec.Builder b, List<String> errors) {
        double cap = b.getMaxExactGradientFraction();
        if (!(cap >= 0 && cap <= 1)) {
            errors.add("max_exact_gradient_fraction: " + cap + " must be in (0, 1] (0 = no cap)");
        } else if (cap > 0 && errors.isEmpty()) {
            try { // a cap no genome of the space meets is refused now, not when the first proposal is due
                ExperimentRun.space(b.build()).sample(new Random(b.getSeed()));
            } catch (IllegalArgumentException e) {
                errors.add("max_exact_gradient_fraction: " + e.getMessage());
            }
        }
    }

    /** Defaults: rule none, grace 1 epoch, at least 3 samples, eta 3. */
    private static void earlyStopping(ExperimentSpec.Builder b, List<String> errors) {
        EarlyStoppingSpec.Builder es = b.getEarlyStopping().toBuilder();
        if (es.getRule().isEmpty()) {
            es.setRule(EarlyStopping.none().kind());
        }
        if (es.getGraceEpochs() == 0) {
            es.setGraceEpochs(1);
        }
        if (es.getMinSamples() == 0) {
            es.setMinSamples(3);
        }
        if (es.getEta() == 0) {
            es.setEta(3);
        }
        try {
            new EarlyStopping(es.getRule(), es.getGraceEpochs(), es.getMinSamples(), es.getEta());
            b.setEarlyStopping(es);
        } catch (IllegalArgumentException e) {
            errors.add("early_stopping: " + e.getMessage());
        }
    }

    private static void training(TrainingConfig t, List<String> errors) {
        range(errors, "training.epochs", t.getEpochs(), 1000);
        range(errors, "training.batch_size", t.getBatchSize(), 4096);
        range(errors, "training.learning_rate", t.getLearningRate(), 10);
        if (t.getMomentum() < 0 || t.getMomentum() >= 1) {
            errors.add("training.momentum: " + t.getMomentum() + " must be in [0, 1)");
        }
        try {
            TrainingOptions.Optimizer.fromName(t.getOptimizer());
        } catch (IllegalArgumentException e) {
            errors.add("training.optimizer: " + e.getMessage());
        }
        if (t.getWeightDecay() < 0) {
            errors.add("training.weight_decay: " + t.getWeightDecay() + " must be >= 0");
        }
        if (t.getTrainLimit() < 0 || t.getTestLimit() < 0) {
            errors.add("training: train_limit and test_limit must be >= 0");
        }
    }

    /** A training setting in 0..max, where 0 means the default; written as given (an int or a double). */
    private static void range(List<String> errors, String field, Number value, int max) {
        if (value.doubleValue() < 0 || value.doubleValue() > max) {
            errors.add(field + ": " + value + " is out of range 0.." + max + " (0 = default)");
        }
    }
}
