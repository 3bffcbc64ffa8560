package dev.mixrule.sampler;

import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.genome.Rule;
import dev.mixrule.kernel.search.SelectionMetrics;
import dev.mixrule.proto.ExperimentSpec;
import dev.mixrule.proto.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Checks an experiment spec and fills in defaults; every refusal names the field. */
final class ExperimentValidation {
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    static final int MAX_BUDGET = 100_000;
    static final String SPACE_CHAIN = "chain";
    static final String SPACE_NB201 = "nb201";
    /** What candidate_timeout_seconds 0 means. */
    static final int DEFAULT_CANDIDATE_TIMEOUT_SECONDS = 3600;

    private ExperimentValidation() {}

    /** Returns the spec with defaults filled in, or throws IllegalArgumentException("field: reason"). */
    static ExperimentSpec normalise(ExperimentSpec spec, String generatedId) {
        List<String> errors = new ArrayList<>();
        ExperimentSpec.Builder b = spec.toBuilder();
        if (b.getExperimentId().isEmpty()) {
            b.setExperimentId(generatedId);
        } else if (!ID.matcher(b.getExperimentId()).matches()) {
            errors.add("experiment_id: '" + b.getExperimentId() + "' must match " + ID.pattern());
        }
        if (b.getDataset().isEmpty()) {
            errors.add("dataset: required; known: " + String.join(", ", Datasets.NAMES));
        } else if (!Datasets.NAMES.contains(b.getDataset())) {
            errors.add("dataset: unknown '" + b.getDataset() + "'; known: " + String.join(", ", Datasets.NAMES));
        }
        if (b.getSpace().isEmpty()) {
            b.setSpace("chain");
        } else if (!b.getSpace().equals("chain") && !b.getSpace().equals("nb201")) {
            errors.add("space: unknown '" + b.getSpace() + "'; known: chain, nb201");
        }
        if (b.getStrategy().isEmpty()) {
            b.setStrategy("random");
        } else if (!dev.mixrule.kernel.search.Strategies.NAMES.contains(b.getStrategy())) {
            errors.add("strategy: unknown '" + b.getStrategy() + "'; known: " + String.join(", ", dev.mixrule.kernel.search.Strategies.NAMES));
        }
        if (b.getObjectivesCount() == 0) {
            b.addObjectives(dev.mixrule.proto.ObjectiveSpec.newBuilder().setMetric(SelectionMetrics.VALID_ACCURACY));
        }
        for (int i = 0; i < b.getObjectivesCount(); i++) {
            String metric = b.getObjectives(i).getMetric();
            if (!metric.matches("[a-z0-9_.-]+")) {
                errors.add("objectives[" + i + "].metric: '" + metric + "' is not a metric name");
            } else {
                int at = i;
                SelectionMetrics.refusal(metric).ifPresent(why -> errors.add("objectives[" + at + "].metric: " + why));
            }
        }
        if (b.getMaxInFlight() < 0) {
            errors.add("max_in_flight: " + b.getMaxInFlight() + " must be >= 0 (0 = no limit)");
        }
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
        if (b.getBudget() < 0 || b.getBudget() > MAX_BUDGET) {
            errors.add("budget: " + b.getBudget() + " is out of range 0.." + MAX_BUDGET + " (0 = endless)");
        } else if (b.getBudget() == 0 && b.getMaxInFlight() == 0) {
            errors.add("max_in_flight: an endless experiment (budget 0) needs a limit > 0");
        }
        double cap = b.getMaxExactGradientFraction();
        if (!(cap >= 0 && cap <= 1)) {
            errors.add("max_exact_gradient_fraction: " + cap + " must be in (0, 1] (0 = no cap)");
        } else if (cap > 0 && errors.isEmpty()) {
            try { // a cap no genome of the space meets is refused now, not when the first proposal is due
                ExperimentRun.space(b.build()).sample(new java.util.Random(b.getSeed()));
            } catch (IllegalArgumentException e) {
                errors.add("max_exact_gradient_fraction: " + e.getMessage());
            }
        }
        if (b.getCandidateTimeoutSeconds() < 0) {
            errors.add("candidate_timeout_seconds: " + b.getCandidateTimeoutSeconds() + " must be >= 0 (0 = 3600)");
        }
        var es = b.getEarlyStopping().toBuilder();
        if (es.getRule().isEmpty()) {
            es.setRule("none");
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
            new dev.mixrule.kernel.search.EarlyStopping(es.getRule(), es.getGraceEpochs(), es.getMinSamples(), es.getEta());
            b.setEarlyStopping(es);
        } catch (IllegalArgumentException e) {
            errors.add("early_stopping: " + e.getMessage());
        }
        TrainingConfig t = b.getTraining();
        if (t.getEpochs() < 0 || t.getEpochs() > 1000) {
            errors.add("training.epochs: " + t.getEpochs() + " is out of range 0..1000 (0 = default)");
        }
        if (t.getBatchSize() < 0 || t.getBatchSize() > 4096) {
            errors.add("training.batch_size: " + t.getBatchSize() + " is out of range 0..4096 (0 = default)");
        }
        if (t.getLearningRate() < 0 || t.getLearningRate() > 10) {
            errors.add("training.learning_rate: " + t.getLearningRate() + " is out of range 0..10 (0 = default)");
        }
        if (t.getMomentum() < 0 || t.getMomentum() >= 1) {
            errors.add("training.momentum: " + t.getMomentum() + " must be in [0, 1)");
        }
        try {
            dev.mixrule.kernel.recipe.TrainingOptions.Optimizer.fromName(t.getOptimizer());
        } catch (IllegalArgumentException e) {
            errors.add("training.optimizer: " + e.getMessage());
        }
        if (t.getWeightDecay() < 0) {
            errors.add("training.weight_decay: " + t.getWeightDecay() + " must be >= 0");
        }
        if (t.getTrainLimit() < 0 || t.getTestLimit() < 0) {
            errors.add("training: train_limit and test_limit must be >= 0");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return b.build();
    }
}
