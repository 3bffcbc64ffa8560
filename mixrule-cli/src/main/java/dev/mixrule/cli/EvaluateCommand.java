package dev.mixrule.cli;

import com.google.gson.JsonObject;
import dev.mixrule.core.attacks.Classifier;
import dev.mixrule.core.evaluation.Evaluator;
import dev.mixrule.core.evaluation.Evaluators;
import dev.mixrule.core.evaluation.ReferenceModels;
import dev.mixrule.core.evaluation.RobustnessEvaluator;
import dev.mixrule.core.training.ComputeThread;
import dev.mixrule.core.training.TrainedModel;
import dev.mixrule.kernel.data.DataSplits;
import dev.mixrule.kernel.data.Datasets;
import dev.mixrule.kernel.metrics.Metric;
import dev.mixrule.kernel.recipe.TrainingOptions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the evaluators in-process on a checkpoint. */
@Command(name = "evaluate", description = "Evaluate a checkpoint in-process: clean accuracy, robustness (screening/full: "
        + "FGSM/PGD/APGD/Square/transfer; standard: AutoAttack's APGD-CE/APGD-T/FAB-T/Square plus transfer) with the per-example "
        + "worst case and trust checks, noise (progress on stderr). Robustness measures the test split unless --split valid.")
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--checkpoint", required = true, description = "a checkpoint written by train --save or a trainer") Path checkpoint;
    @Option(names = "--evaluators", defaultValue = "accuracy,robustness,noise", split = ",") List<String> evaluators;
    @Option(names = "--protocol", defaultValue = "screening", description = "screening (500 examples), full (2,000) or standard "
            + "(AutoAttack's standard attacks, 2,000)") String protocol;
    @Option(names = "--split", defaultValue = "test", description = "split robustness attacks: test (reports; plain metric names) or "
            + "valid (what search may read; metrics prefixed valid_)") String split;
    @Option(names = "--examples", defaultValue = "0", description = "cap the examples (0 = the protocol's)") int examples;
    @Option(names = "--attacks", split = ",", description = "robustness runs only these of the protocol's attacks (default: all; "
            + "the local stack's demo: fgsm,pgd,apgd,square)") List<String> attacks;
    @Option(names = "--transfer-source", description = "checkpoint of the transfer attack's source (default: the model's backprop "
            + "twin, trained here with the recipe below; costs one training of the architecture)") Path transferSource;
    @picocli.CommandLine.Mixin RecipeOptions recipeOptions; // the recipe the checkpoint was trained with (trains the backprop twin)
    @Option(names = "--json") boolean json;

    @Override
    public Integer call() throws Exception {
        if (checkpointMissing(checkpoint)) {
            return 2;
        }
        RobustnessEvaluator.Split measured = RobustnessEvaluator.Split.fromName(split);
        TrainingOptions recipe = recipeOptions.toOptions();
        JsonObject out = ComputeThread.call(() -> evaluateCheckpoint(measured, recipe));
        boolean failed = out.get("status").getAsString().equals("failed");
        if (json) {
            System.out.println(Output.json(out));
        } else {
            printText(out);
        }
        return failed ? 1 : 0; // a failed evaluation (e.g. an attack that cannot differentiate the model) is not a result
    }

    /** Loads the checkpoint (and the transfer source, if given) and runs every evaluator on it. */
    private JsonObject evaluateCheckpoint(RobustnessEvaluator.Split measured, TrainingOptions recipe) throws Exception {
        try (InputStream in = Files.newInputStream(checkpoint); TrainedModel model = TrainedModel.load(in, checkpoint.toString())) {
            DataSplits data = dataOf(model);
            TrainedModel source = null;
            if (transferSource != null) {
                try (InputStream s = Files.newInputStream(transferSource)) {
                    source = TrainedModel.load(s, transferSource.toString());
                }
            }
            try {
                EvaluationReport report = new EvaluationReport(model, measured);
                for (String name : Evaluators.active(evaluators, w -> System.err.println("warning: " + w))) {
                    System.err.println("running " + name + " ...");
                    Evaluator e = evaluator(name, model, source, measured, report);
                    report.add(e, e.evaluate(model, data, new Evaluator.Settings(examples, recipe)));
                }
                return report.finish();
            } finally {
                if (source != null) {
                    source.close();
                }
            }
        }
    }

    /** The named evaluator; robustness attacks by transfer from the given source, else from the model's backprop twin. */
    private Evaluator evaluator(String name, TrainedModel model, TrainedModel source, RobustnessEvaluator.Split measured,
                                EvaluationReport report) {
        if (!name.equals(RobustnessEvaluator.NAME)) {
            return Evaluators.get(name, protocol, measured);
        }
        var cfg = RobustnessEvaluator.config(protocol, measured, model.dataset(),
                (m, d, rec) -> source != null ? new RobustnessEvaluator.Source(Classifier.of(source), transferSource.toString())
                        : ReferenceModels.twinSource(m, d, rec));
        report.robustness(cfg.eps());
        return new RobustnessEvaluator(cfg.limitedTo(0, attacks == null ? List.of() : attacks));
    }

    private static void printText(JsonObject out) {
        out.getAsJsonArray("failures").forEach(f -> System.out.println("FAILED " + f.getAsString()));
        System.out.printf(Locale.ROOT, "%s on %s: clean %.4f%n", out.get("genome_id").getAsString(), out.get("dataset").getAsString(),
                out.has(Metric.CLEAN_ACCURACY.key()) ? out.get(Metric.CLEAN_ACCURACY.key()).getAsDouble() : Double.NaN);
        out.getAsJsonArray("attacks").forEach(a -> System.out.printf(Locale.ROOT, "  %-9s eps %.4f  robust accuracy %.4f%n",
                a.getAsJsonObject().get("name").getAsString(), a.getAsJsonObject().get("eps").getAsDouble(),
                a.getAsJsonObject().get(Metric.ROBUST_ACCURACY.key()).getAsDouble()));
        out.keySet().stream().filter(k -> k.endsWith(RobustnessEvaluator.WORST_CASE)).forEach(k -> System.out.printf(Locale.ROOT,
                "  worst case over all attacks, per example: robust accuracy %.4f%n", out.get(k).getAsDouble()));
        out.getAsJsonArray("pgd_eps_ladder").forEach(a -> System.out.printf(Locale.ROOT, "  pgd       eps %.4f  robust accuracy %.4f%n",
                a.getAsJsonObject().get("eps").getAsDouble(), a.getAsJsonObject().get(Metric.ROBUST_ACCURACY.key()).getAsDouble()));
        System.out.println(out.get("unreliable").getAsBoolean() ? "UNRELIABLE: " + out.get("unreliable_reasons") : "reliable: no trust check fired");
    }

    /** Says what to do when there is no checkpoint at the path (for every command that reads one). */
    public static boolean checkpointMissing(Path checkpoint) {
        if (Files.isRegularFile(checkpoint)) {
            return false;
        }
        System.err.println("error: no such checkpoint: " + checkpoint + " (write one with ./mixrule train --save PATH)");
        return true;
    }

    /** The splits of the dataset a checkpoint was trained on (Fashion-MNIST installed first if missing). */
    public static DataSplits dataOf(TrainedModel model) throws Exception {
        if (model.dataset().equals("fashion-mnist")) {
            DatasetCheck.ensureFashionMnist(System.err);
        }
        return Datasets.load(model.dataset());
    }
}
