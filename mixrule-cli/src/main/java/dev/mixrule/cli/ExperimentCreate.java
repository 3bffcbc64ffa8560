package dev.mixrule.cli;

import dev.mixrule.kernel.recipe.TrainingOptions;
import dev.mixrule.kernel.search.SelectionMetrics;
import dev.mixrule.proto.EarlyStoppingSpec;
import dev.mixrule.proto.Experiment;
import dev.mixrule.proto.ExperimentSpec;
import dev.mixrule.proto.ObjectiveSpec;
import dev.mixrule.proto.TrainingConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * experiment create: the spec from flags, or from a YAML/JSON file (--file) with any flag given on the command
 * line overriding the file's value. Every ExperimentSpec field has a flag or a file key.
 */
@Command(name = "create", description = "Start a search; prints the experiment (its id is needed for stop and resume). "
        + "--file reads every ExperimentSpec field from YAML or JSON (examples/experiments/); flags given too override it.")
final class ExperimentCreate implements Callable<Integer> {
    @Spec CommandSpec command;
    @Option(names = "--file", description = "an ExperimentSpec as YAML or JSON (proto field names)") Path file;
    @Option(names = "--id", defaultValue = "", description = "experiment id ([a-z0-9-], default: generated)") String id;
    @Option(names = "--dataset", defaultValue = "fashion-mnist") String dataset;
    @Option(names = "--space", defaultValue = "chain", description = "chain or nb201") String space;
    @Option(names = "--strategy", defaultValue = "regularized-evolution", description = "random, regularized-evolution or nsga2") String strategy;
    @Option(names = "--rule", description = "rules a layer may use (repeatable; default every implemented rule)") List<String> rules;
    @Option(names = "--uniform-rules", description = "one rule per network (single-rule search)") boolean uniform;
    @Option(names = "--max-exact-gradient-fraction", defaultValue = "0", description = "propose only genomes whose"
            + " exact_gradient_fraction (share of parameters trained by the true gradient) is at most this, in (0, 1];"
            + " give two searches compared at equal backprop the same cap (default 0: no cap)") double maxExact;
    @Option(names = "--budget", defaultValue = "100", description = "candidates to train; 0 = endless, until stopped") int budget;
    @Option(names = "--max-in-flight", defaultValue = "4", description = "most candidates awaiting results at once (0 = no limit)") int maxInFlight;
    @Option(names = "--objective", description = "metric[:max|:min], repeatable (default valid_accuracy:max); several make nsga2"
            + " multi-objective. Validation (valid_*) or genome/cost metrics only: selection never sees the test split")
    List<String> objectives;
    @Option(names = "--epochs", defaultValue = TrainingOptions.DEFAULT_EPOCHS) int epochs;
    @Option(names = "--train-limit", defaultValue = TrainingOptions.SEARCH_TRAIN_LIMIT, description = "training images per candidate, 0 = all") int trainLimit;
    @Option(names = "--test-limit", defaultValue = "0", description = "test images per evaluation, 0 = the whole test split") int testLimit;
    @Option(names = "--lr", defaultValue = TrainingOptions.BIO_RULES_LEARNING_RATE) double lr;
    @Option(names = "--batch-size", defaultValue = TrainingOptions.DEFAULT_BATCH_SIZE) int batchSize;
    @Option(names = "--momentum", defaultValue = TrainingOptions.DEFAULT_MOMENTUM) double momentum;
    @Option(names = "--optimizer", defaultValue = TrainingOptions.DEFAULT_OPTIMIZER, description = "sgd, nesterov or adam") String optimizer;
    @Option(names = "--weight-decay", defaultValue = TrainingOptions.DEFAULT_WEIGHT_DECAY) double weightDecay;
    @Option(names = "--init", defaultValue = TrainingOptions.DEFAULT_INIT, description = "xavier or kaiming") String init;
    @Option(names = "--seed", defaultValue = TrainingOptions.DEFAULT_SEED) long seed;
    @Option(names = "--early-stopping", defaultValue = "none", description = "none, median or halving") String earlyStopping;
    @Option(names = "--grace-epochs", defaultValue = "1") int grace;
    @Option(names = "--min-samples", defaultValue = "3", description = "median: other curves needed at an epoch") int minSamples;
    @Option(names = "--eta", defaultValue = "3", description = "halving: keep the top 1/eta at each rung") int eta;
    @Option(names = "--candidate-timeout", defaultValue = "3600", description = "seconds before a candidate without result counts as failed") int timeout;
    @Option(names = "--json") boolean json;

    @Override
    public Integer call() {
        ExperimentSpec.Builder spec;
        try {
            spec = spec();
        } catch (ExperimentSpecFile.SpecFileException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        return ExperimentCommand.withSampler(stub -> {
            Experiment e = stub.createExperiment(spec.build());
            if (!json) {
                System.err.println("created; follow it with ./mixrule experiment get " + e.getSpec().getExperimentId()
                        + " and ./mixrule leaderboard top --experiment " + e.getSpec().getExperimentId());
            }
            return ExperimentCommand.print(e, json);
        });
    }

    /** The spec to send: the file's (if any) with the flags applied; the error names the file, flag or field. */
    ExperimentSpec.Builder spec() throws ExperimentSpecFile.SpecFileException {
        ExperimentSpec.Builder spec = file == null ? ExperimentSpec.newBuilder() : ExperimentSpecFile.read(file);
        applyFlags(spec);
        String bad = objectives != null ? applyObjectives(spec) : checkObjectives(spec.getObjectivesList());
        if (bad != null) {
            throw new ExperimentSpecFile.SpecFileException(bad);
        }
        return spec;
    }

    /** Without --file every flag (given or default) sets its field; with it, only the flags given on the command line. */
    private boolean given(String option) {
        return file == null || command.commandLine().getParseResult().hasMatchedOption(option);
    }

    private void applyFlags(ExperimentSpec.Builder s) {
        if (given("--id")) s.setExperimentId(id);
        if (given("--dataset")) s.setDataset(dataset);
        if (given("--space")) s.setSpace(space);
        if (given("--strategy")) s.setStrategy(strategy);
        if (given("--uniform-rules")) s.setUniformRules(uniform);
        if (given("--budget")) s.setBudget(budget);
        if (given("--max-in-flight")) s.setMaxInFlight(maxInFlight);
        if (given("--seed")) s.setSeed(seed);
        if (given("--candidate-timeout")) s.setCandidateTimeoutSeconds(timeout);
        if (given("--max-exact-gradient-fraction")) s.setMaxExactGradientFraction(maxExact);
        if (rules != null) s.clearRules().addAllRules(rules);
        applyTraining(s.getTrainingBuilder());
        applyEarlyStopping(s.getEarlyStoppingBuilder());
    }

    private void applyTraining(TrainingConfig.Builder t) {
        if (given("--epochs")) t.setEpochs(epochs);
        if (given("--train-limit")) t.setTrainLimit(trainLimit);
        if (given("--test-limit")) t.setTestLimit(testLimit);
        if (given("--lr")) t.setLearningRate(lr);
        if (given("--batch-size")) t.setBatchSize(batchSize);
        if (given("--momentum")) t.setMomentum(momentum);
        if (given("--optimizer")) t.setOptimizer(optimizer);
        if (given("--weight-decay")) t.setWeightDecay(weightDecay);
        if (given("--init")) t.setInit(init);
        if (given("--seed")) t.setSeed(seed);
    }

    private void applyEarlyStopping(EarlyStoppingSpec.Builder e) {
        if (given("--early-stopping")) e.setRule(earlyStopping);
        if (given("--grace-epochs")) e.setGraceEpochs(grace);
        if (given("--min-samples")) e.setMinSamples(minSamples);
        if (given("--eta")) e.setEta(eta);
    }

    /** --objective flags replace the file's objectives; the error of the first bad one, or null. */
    private String applyObjectives(ExperimentSpec.Builder s) {
        s.clearObjectives();
        for (String o : objectives) {
            String[] parts = o.split(":");
            if (parts.length > 2 || (parts.length == 2 && !parts[1].equals("max") && !parts[1].equals("min"))) {
                return "--objective '" + o + "' must be metric, metric:max or metric:min";
            }
            var refusal = SelectionMetrics.refusal(parts[0]);
            if (refusal.isPresent()) {
                return "--objective: " + refusal.get();
            }
            s.addObjectives(ObjectiveSpec.newBuilder().setMetric(parts[0]).setMinimize(parts.length == 2 && parts[1].equals("min")));
        }
        return null;
    }

    /** The first objective the sampler would refuse, as a message; null when all may select (no stack needed to say so). */
    static String checkObjectives(List<ObjectiveSpec> objectives) {
        for (int i = 0; i < objectives.size(); i++) {
            String metric = objectives.get(i).getMetric();
            var refusal = SelectionMetrics.refusal(metric);
            if (refusal.isPresent()) {
                return "objectives[" + i + "].metric: " + refusal.get();
            }
        }
        return null;
    }
}
